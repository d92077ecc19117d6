package wgan.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import wgan.model.GanNetworks;
import wgan.model.ParamBlock;
import wgan.model.ParamLayout;

import java.util.List;

/**
 * An exponential moving average of the generator's weights, as StyleGAN2-ADA keeps G_ema
 * (training/training_loop.py, "Update G_ema"), updated after every generator step:
 * <pre>
 *   ema_nimg = ema_kimg * 1000
 *   ema_nimg = min(ema_nimg, cur_nimg * ema_rampup)
 *   ema_beta = 0.5 ** (batch_size / max(ema_nimg, 1e-8))
 *   p_ema = lerp(p, p_ema, ema_beta)     for every learned parameter
 *   b_ema = b                            for every buffer (BatchNorm running mean and variance)
 * </pre>
 * ema_kimg is a half-life counted in images: the average forgets half of what it holds every
 * ema_kimg * 1000 images. cur_nimg is the images the generator was trained on BEFORE this step
 * (StyleGAN2-ADA adds the batch after the update), so the first update copies the weights.
 *
 * <p>What counts as an image here: the noise vectors of generator steps, batch_size per step.
 * StyleGAN2-ADA makes one G update per batch, so its half-life is ema_kimg * 1000 / batch_size
 * generator updates (156 at batch 64). Counting the critic's real images instead would shrink
 * that by the WGAN's 5 to 100 critic steps per generator step and make it jump with the
 * schedule's bursts; counting generator-step images keeps the half-life in generator updates,
 * which is what the average is taken over. With the ramp-up the half-life is 5% of the
 * generator's age (beta = 0.5^(20/t) after t steps) until that reaches ema_kimg, at
 * t = ema_kimg * 1000 / (0.05 * batch_size) (3,125 steps at the defaults), so short runs are
 * not held back by an average still dominated by the first weights.
 *
 * <p>The EMA generator is a second DL4J graph of the trained generator's own configuration, with
 * its own flat parameter vector. The update is three in-place ND4J ops on the whole flat vector
 * (p + beta * (p_ema - p), as torch.lerp computes it) and one copy per BatchNorm statistic: no
 * array is allocated per step (see WganSteps on native memory).
 */
public final class EmaGenerator {
    /** StyleGAN2-ADA's ema_rampup, fixed: its default for every configuration that ramps up. */
    public static final double RAMPUP = 0.05;

    private final ComputationGraph raw;
    private final ComputationGraph ema;
    private final double kimg;
    private final Double rampup;
    private final int batchSize;
    private final INDArray rawFlat;
    private final INDArray emaFlat;
    private final INDArray[] rawStatistics;
    private final INDArray[] emaStatistics;

    /** An average starting as a copy of the generator's current weights. */
    public EmaGenerator(GanNetworks nets, double kimg, int batchSize) {
        this(nets.generator(), nets.generatorLayout(), kimg, RAMPUP, batchSize);
    }

    /** @param rampup StyleGAN2-ADA's ema_rampup, or null for none (tests; training always ramps up) */
    EmaGenerator(ComputationGraph raw, ParamLayout layout, double kimg, Double rampup, int batchSize) {
        if (!(kimg > 0)) {
            throw new IllegalArgumentException("an EMA generator needs a positive ema_kimg, got " + kimg);
        }
        this.raw = raw;
        this.kimg = kimg;
        this.rampup = rampup;
        this.batchSize = batchSize;
        this.ema = new ComputationGraph(raw.getConfiguration().clone());
        this.ema.init(raw.params().dup(), false);
        this.rawFlat = raw.params();
        this.emaFlat = ema.params();
        List<ParamBlock> statistics = layout.runningStatistics();
        rawStatistics = new INDArray[statistics.size()];
        emaStatistics = new INDArray[statistics.size()];
        for (int i = 0; i < statistics.size(); i++) {
            rawStatistics[i] = ParamLayout.view(rawFlat, statistics.get(i));
            emaStatistics[i] = ParamLayout.view(emaFlat, statistics.get(i));
        }
    }

    /** StyleGAN2-ADA's ema_beta for a run that has trained the generator on curNimg images. */
    public static double beta(double kimg, Double rampup, long curNimg, int batchSize) {
        double nimg = kimg * 1000;
        if (rampup != null) {
            nimg = Math.min(nimg, curNimg * rampup);
        }
        return Math.pow(0.5, batchSize / Math.max(nimg, 1e-8));
    }

    /** After a generator step; generatorStepsBefore is how many steps the generator had taken before it. */
    public void update(long generatorStepsBefore) {
        update(beta(kimg, rampup, generatorStepsBefore * batchSize, batchSize));
    }

    /** p_ema = p + beta * (p_ema - p) on every parameter, then BatchNorm's statistics copied. */
    void update(double beta) {
        emaFlat.subi(rawFlat).muli(beta).addi(rawFlat);
        for (int i = 0; i < emaStatistics.length; i++) {
            emaStatistics[i].assign(rawStatistics[i]);
        }
    }

    /** The averaged generator: sampling, the epoch grids and the quality check run it. */
    public ComputationGraph graph() {
        return ema;
    }

    /** The trained generator the average follows. */
    public ComputationGraph raw() {
        return raw;
    }

    public double kimg() {
        return kimg;
    }
}
