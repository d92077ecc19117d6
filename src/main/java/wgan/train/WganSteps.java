package wgan.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import wgan.model.Dcgan;
import wgan.model.GanNetworks;
import wgan.model.ParamBlock;
import wgan.model.ParamLayout;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One critic step and one generator step, exactly as the WGAN reference (main.py) does them.
 * The inputs (real images, noise) come from the caller, so tests can feed fixed values.
 *
 * <p>DL4J's {@code LossWasserstein} scores mean(label * output) and has gradient label per example
 * (summed over the batch by backprop). Giving every example the label sign / batch therefore makes
 * the backpropagated gradient exactly that of sign * mean(D(x)), with no later division.
 *
 * <p>The steps allocate no large array: ND4J frees native memory only when Java's garbage
 * collector runs, so per-step garbage made resident memory grow by ~0.7 GB per generator
 * iteration. Gradients are used in place and per-step arrays are closed.
 */
public final class WganSteps {
    private static final double BN_MOMENTUM = 1 - Dcgan.BN_DECAY;

    private final GanNetworks nets;
    private final double clip;
    private final Optimizer criticOptimizer;
    private final Optimizer generatorOptimizer;
    private final INDArray criticGradient;
    private final INDArray criticGradientSum;
    /** The native passes, for float32 (training); null in float64, which runs the DL4J graphs. */
    private final CriticPass criticPass;
    private final GeneratorPass generatorPass;
    private final INDArray chainedGradient;
    private final INDArray generatorGradient;
    private final Map<Double, INDArray> labelsByValue = new HashMap<>();

    /** Losses of one critic step, in the reference's sign: lossD = D(real) - D(fake). */
    public record CriticResult(double lossD, double realMean, double fakeMean) {
    }

    public WganSteps(GanNetworks nets, double clip, Optimizer criticOptimizer, Optimizer generatorOptimizer) {
        this.nets = nets;
        this.clip = clip;
        this.criticOptimizer = criticOptimizer;
        this.generatorOptimizer = generatorOptimizer;
        this.criticGradient = GradientViews.whole(nets.critic());
        this.criticGradientSum = criticGradient.ulike();
        this.chainedGradient = GradientViews.whole(nets.chained());
        this.generatorGradient = chainedGradient.get(NDArrayIndex.interval(0, nets.generatorLayout().size()));
        // As DL4J's own native helpers, the native passes serve float32 only: libnd4j's float64
        // batchnorm_bp differs from DL4J's layer code by ~1e-9 relative, enough to move the float64
        // golden test's most ill-conditioned entries past its tolerance.
        if (criticGradient.dataType() == DataType.FLOAT) {
            // The native passes never write the running statistics' entries: keep them zero for the optimisers.
            criticGradient.assign(0);
            generatorGradient.assign(0);
            this.criticPass = new CriticPass(nets.critic(), criticGradient);
            this.generatorPass = new GeneratorPass(nets.generator(), generatorGradient, BN_MOMENTUM);
        } else {
            this.criticPass = null;
            this.generatorPass = null;
        }
    }

    /**
     * Clamp, then one update of the critic from the gradient of mean D(real) - mean D(fake),
     * computed as two passes so each batch gets its own BatchNorm statistics. The fakes come from
     * the generator in training mode and are not backpropagated into it.
     */
    public CriticResult criticStep(INDArray realImages, INDArray noise) {
        clampCritic();
        double realMean = criticPass(realImages, +1);
        criticGradientSum.assign(criticGradient);

        double fakeMean;
        if (generatorPass != null) {
            fakeMean = -criticPass(generatorPass.forward(noise), -1);
        } else {
            Map<String, INDArray> generatorActivations = generateUpdatingStatistics(noise);
            fakeMean = -criticPass(generatorActivations.get(Dcgan.GENERATOR_OUTPUT), -1);
            closeAll(generatorActivations);
        }
        criticGradient.addi(criticGradientSum);

        criticOptimizer.step(nets.critic().params(), criticGradient);
        return new CriticResult(realMean - fakeMean, realMean, fakeMean);
    }

    /**
     * One update of the generator from the gradient of mean D(G(z)) through the critic (in
     * training mode, not updated). Returns loss_g = mean D(G(z)).
     */
    public double generatorStep(INDArray noise) {
        if (generatorPass != null) {
            double lossG = criticPass.runForImageGradient(generatorPass.forward(noise), +1);
            generatorPass.backward(criticPass.imageGradient());
            generatorOptimizer.step(nets.generator().params(), generatorGradient);
            return lossG;
        }
        ComputationGraph chained = nets.chained();
        double lossG = scoredPass(chained, noise, +1);
        applyRunningStatistics(chained.params(), chainedGradient, nets.chainedLayout());
        generatorOptimizer.step(nets.generator().params(), generatorGradient);
        return lossG;
    }

    /**
     * The generator's training-mode forward for the critic's fakes through the DL4J graph (float64;
     * float32 uses {@link GeneratorPass}); returns every layer's output.
     * PyTorch updates BatchNorm running statistics at every training-mode forward, even under
     * no_grad; DL4J only does so through gradients, so this forward updates them here: momentum
     * 0.1, unbiased variance, as torch.nn.BatchNorm2d.
     */
    private Map<String, INDArray> generateUpdatingStatistics(INDArray noise) {
        ComputationGraph generator = nets.generator();
        Map<String, INDArray> activations = generator.feedForward(noise, true);
        activations.remove(Dcgan.NOISE_INPUT); // the caller's array, not ours to close
        INDArray params = generator.params();
        List<ParamBlock> statistics = nets.generatorLayout().runningStatistics();
        for (ParamBlock meanBlock : statistics) {
            if (!meanBlock.key().equals("mean")) {
                continue;
            }
            ParamBlock varBlock = statistics.stream()
                    .filter(b -> b.layer().equals(meanBlock.layer()) && b.key().equals("var")).findFirst().orElseThrow();
            INDArray input = activations.get(Dcgan.batchNormInput(meanBlock.layer()));
            try (INDArray mean = Nd4j.createUninitialized(input.dataType(), input.size(1));
                 INDArray var = Nd4j.createUninitialized(input.dataType(), input.size(1))) {
                Moments.of(input, mean, var);
                Moments.updateRunning(ParamLayout.view(params, meanBlock), ParamLayout.view(params, varBlock), mean,
                        var, input.length() / input.size(1), BN_MOMENTUM);
            }
        }
        return activations;
    }

    /** Forward and backward of sign * mean D(images) on the critic; returns sign * mean D. */
    private double criticPass(INDArray images, int sign) {
        if (criticPass != null) {
            return criticPass.run(images, sign);
        }
        double signedMean = scoredPass(nets.critic(), images, sign);
        applyRunningStatistics(nets.critic().params(), criticGradient, nets.criticLayout());
        return signedMean;
    }

    /**
     * Sets labels sign/batch and computes gradient and score. DL4J's score is the per-example sum
     * of label * output divided by the batch, i.e. sign * mean(output) / batch; undone here.
     */
    private double scoredPass(ComputationGraph graph, INDArray input, int sign) {
        long batch = input.size(0);
        graph.setInput(0, input);
        graph.setLabel(0, labels(batch, (double) sign / batch, input));
        graph.computeGradientAndScore();
        return graph.score() * batch;
    }

    private INDArray labels(long batch, double value, INDArray like) {
        return labelsByValue.computeIfAbsent(value,
                v -> Nd4j.valueArrayOf(new long[]{batch, 1, 1, 1}, v, like.dataType()));
    }

    /**
     * BatchNorm's "gradient" for its running mean and variance is the moving-average delta:
     * apply it now, pass by pass, as PyTorch updates its buffers at every training-mode forward,
     * then zero it so the optimiser leaves those entries alone.
     */
    private static void applyRunningStatistics(INDArray params, INDArray gradient, ParamLayout layout) {
        for (ParamBlock b : layout.runningStatistics()) {
            INDArray delta = ParamLayout.view(gradient, b);
            ParamLayout.view(params, b).subi(delta);
            delta.assign(0);
        }
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

    private static void closeAll(Map<String, INDArray> arrays) {
        for (INDArray a : List.copyOf(arrays.values())) {
            if (a.closeable()) {
                a.close();
            }
        }
    }

    public Optimizer criticOptimizer() {
        return criticOptimizer;
    }

    public Optimizer generatorOptimizer() {
        return generatorOptimizer;
    }
}
