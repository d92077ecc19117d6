package wgan.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import wgan.engine.Engine;
import wgan.model.GanNetworks;
import wgan.model.ParamBlock;
import wgan.model.ParamLayout;
import wgan.optim.Optimizer;

/**
 * One critic step and one generator step, exactly as the WGAN reference (main.py) does them, on
 * whichever {@link Engine} computes the passes. The inputs (real images, noise) come from the
 * caller, so tests can feed fixed values.
 *
 * <p>The steps allocate no large array: ND4J frees native memory only when Java's garbage
 * collector runs, so per-step garbage made resident memory grow by ~0.7 GB per generator
 * iteration. The engines reuse their buffers and the gradients are used in place.
 */
public final class WganSteps {
    private final GanNetworks nets;
    private final Engine engine;
    private final double clip;
    private final Optimizer criticOptimizer;
    private final Optimizer generatorOptimizer;
    private final INDArray criticGradientSum;

    /** Losses of one critic step, in the reference's sign: lossD = D(real) - D(fake). */
    public record CriticResult(double lossD, double realMean, double fakeMean) {
    }

    public WganSteps(GanNetworks nets, Engine engine, double clip, Optimizer criticOptimizer,
                     Optimizer generatorOptimizer) {
        this.nets = nets;
        this.engine = engine;
        this.clip = clip;
        this.criticOptimizer = criticOptimizer;
        this.generatorOptimizer = generatorOptimizer;
        this.criticGradientSum = engine.criticGradient().ulike();
    }

    /**
     * Clamp, then one update of the critic from the gradient of mean D(real) - mean D(fake),
     * computed as two passes so each batch gets its own BatchNorm statistics. The fakes come from
     * the generator in training mode and are not backpropagated into it.
     */
    public CriticResult criticStep(INDArray realImages, INDArray noise) {
        clampCritic();
        INDArray gradient = engine.criticGradient();
        double realMean = engine.criticPass(realImages, +1);
        criticGradientSum.assign(gradient);
        double fakeMean = -engine.criticPass(engine.fakes(noise), -1);
        gradient.addi(criticGradientSum);
        criticOptimizer.step(nets.critic().params(), gradient);
        return new CriticResult(realMean - fakeMean, realMean, fakeMean);
    }

    /**
     * One update of the generator from the gradient of mean D(G(z)) through the critic (in
     * training mode, not updated). Returns loss_g = mean D(G(z)).
     */
    public double generatorStep(INDArray noise) {
        double lossG = engine.generatorPass(noise);
        generatorOptimizer.step(nets.generator().params(), engine.generatorGradient());
        return lossG;
    }

    /** Clamps every learned critic parameter to [-clip, clip]; running statistics are left alone. */
    public void clampCritic() {
        INDArray params = nets.critic().params();
        for (ParamBlock run : nets.criticLayout().learnedRuns()) {
            INDArray view = ParamLayout.view(params, run);
            Transforms.min(view, clip, false);
            Transforms.max(view, -clip, false);
        }
    }

    public Engine engine() {
        return engine;
    }

    public Optimizer criticOptimizer() {
        return criticOptimizer;
    }

    public Optimizer generatorOptimizer() {
        return generatorOptimizer;
    }
}
