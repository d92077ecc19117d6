package wgan.engine;

import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.impl.LossWasserstein;
import wgan.model.GanNetworks;
import wgan.model.ParamBlock;
import wgan.model.ParamLayout;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * DL4J's own backprop on the graphs: the critic graph for critic passes, the chained graph
 * (generator, critic, loss) for generator passes. It runs whatever layers DL4J runs, in float32
 * or float64 (the float64 golden tests go through it), and is the engine for any graph the fast
 * engine cannot read.
 *
 * <p>DL4J's {@code LossWasserstein} scores mean(label * output) and has gradient label per
 * example (summed over the batch by backprop). Giving every example the label sign / batch makes
 * the backpropagated gradient exactly that of sign * mean(D(x)), with no later division.
 *
 * <p>Running statistics: DL4J hands BatchNorm's running-average update out as the "gradient" of
 * the running mean and variance, (running - batch) * (1 - decay), with the biased batch variance.
 * The critic's are applied as they are (its running statistics are never used in training). The
 * generator's follow torch.nn.BatchNorm2d, as the reference's do: momentum 1 - decay and the
 * UNBIASED batch variance, recovered from DL4J's update in the generator pass and computed from
 * the activations when making fakes.
 */
public final class GraphEngine implements Engine {
    public static final String PENALTY_NEEDS_FAST_ENGINE = "the gradient penalty needs the fast engine: DL4J 1.0.0-M2.1"
            + " cannot differentiate a gradient";
    public static final String CONDITIONAL_NEEDS_FAST_ENGINE = "--conditional needs the fast engine: the graph engine"
            + " trains single-input graphs, and the projection critic takes each image's class as a second input";
    public static final String AUGMENT_NEEDS_FAST_ENGINE = "--augment needs the fast engine: DL4J's chained graph runs"
            + " the generator straight into the critic, with no place for the augmentation's backward";
    private final GanNetworks nets;
    private final INDArray criticGradient;
    private final INDArray chainedGradient;
    private final INDArray generatorGradient;
    private final List<BatchNormStatistics> generatorStatistics;
    private final List<ParamBlock> chainedCriticStatistics;
    private final Map<Double, INDArray> labelsByValue = new HashMap<>();
    private Map<String, INDArray> lastActivations = Map.of();

    public GraphEngine(GanNetworks nets) {
        if (nets.config().conditional()) {
            throw new UnsupportedGraphException(CONDITIONAL_NEEDS_FAST_ENGINE);
        }
        refuseWhatOurStepsDoNotApply(nets.critic());
        refuseWhatOurStepsDoNotApply(nets.generator());
        requireWassersteinLoss(nets.critic());
        this.nets = nets;
        this.criticGradient = GradientViews.whole(nets.critic());
        this.chainedGradient = GradientViews.whole(nets.chained());
        this.generatorGradient = chainedGradient.get(NDArrayIndex.interval(0, nets.generatorLayout().size()));
        this.generatorStatistics = BatchNormStatistics.of(nets.generator(), nets.generatorLayout(),
                InputType.convolutional(1, 1, nets.config().generatorInputs()));
        this.chainedCriticStatistics = nets.chainedLayout().runningStatistics().stream()
                .filter(b -> b.offset() >= nets.generatorLayout().size()).toList();
        criticGradient.assign(0);
        chainedGradient.assign(0);
    }

    @Override
    public String description() {
        return "dl4j graph";
    }

    @Override
    public double criticPass(INDArray images, int sign) {
        double signedMean = scoredPass(nets.critic(), images, sign);
        applyDl4jRunningStatistics(nets.critic().params(), criticGradient, nets.criticLayout().runningStatistics());
        return signedMean;
    }

    /**
     * PyTorch updates BatchNorm running statistics at every training-mode forward, even under
     * no_grad; DL4J only does so through gradients, so this forward updates them itself.
     */
    /** Never called: the constructor refuses conditional networks. */
    @Override
    public double criticPass(INDArray images, INDArray labels, int sign) {
        if (labels != null) {
            throw new UnsupportedGraphException(CONDITIONAL_NEEDS_FAST_ENGINE);
        }
        return criticPass(images, sign);
    }

    @Override
    public double generatorPass(INDArray noise, INDArray labels, Augmenter augmenter) {
        if (labels != null) {
            throw new UnsupportedGraphException(CONDITIONAL_NEEDS_FAST_ENGINE);
        }
        return generatorPass(noise, augmenter);
    }

    @Override
    public double gradientPenalty(INDArray interpolates, INDArray labels, double weight) {
        return gradientPenalty(interpolates, weight);
    }

    @Override
    public INDArray fakes(INDArray noise) {
        closeLastActivations();
        ComputationGraph generator = nets.generator();
        Map<String, INDArray> activations = generator.feedForward(noise, true);
        activations.remove(generator.getConfiguration().getNetworkInputs().get(0)); // the caller's array
        INDArray params = generator.params();
        for (BatchNormStatistics s : generatorStatistics) {
            INDArray input = activations.get(s.input());
            try (INDArray mean = Nd4j.createUninitialized(input.dataType(), input.size(1));
                 INDArray var = Nd4j.createUninitialized(input.dataType(), input.size(1))) {
                Moments.of(input, mean, var);
                Moments.updateRunning(s.mean(params), s.var(params), mean, var, input.length() / input.size(1),
                        s.momentum());
            }
        }
        lastActivations = activations;
        return activations.get(generator.getConfiguration().getNetworkOutputs().get(0));
    }

    @Override
    public double generatorPass(INDArray noise) {
        ComputationGraph chained = nets.chained();
        double lossG = scoredPass(chained, noise, +1);
        INDArray params = chained.params();
        for (BatchNormStatistics s : generatorStatistics) {
            applyPyTorchRunningStatistics(s, params, noise.size(0));
        }
        applyDl4jRunningStatistics(params, chainedGradient, chainedCriticStatistics);
        return lossG;
    }

    /** The chained graph runs the generator straight into the critic: nothing can sit between them. */
    @Override
    public double generatorPass(INDArray noise, Augmenter augmenter) {
        if (augmenter != null) {
            throw new UnsupportedGraphException(AUGMENT_NEEDS_FAST_ENGINE);
        }
        return generatorPass(noise);
    }

    /** DL4J 1.0.0-M2.1 cannot take the derivative of a derivative (dl4j-notes, SameDiff's doDiff). */
    @Override
    public double gradientPenalty(INDArray interpolates, double weight) {
        throw new UnsupportedGraphException(PENALTY_NEEDS_FAST_ENGINE);
    }

    @Override
    public INDArray criticGradient() {
        return criticGradient;
    }

    @Override
    public INDArray generatorGradient() {
        return generatorGradient;
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

    /** DL4J's running-statistics "gradient" applied as its updater would, then zeroed for our optimisers. */
    private static void applyDl4jRunningStatistics(INDArray params, INDArray gradient, List<ParamBlock> blocks) {
        for (ParamBlock b : blocks) {
            INDArray delta = ParamLayout.view(gradient, b);
            ParamLayout.view(params, b).subi(delta);
            delta.assign(0);
        }
    }

    /**
     * From DL4J's update of a generator BatchNorm layer, delta = (running - batch) * (1 - decay),
     * back to the batch statistics, then torch's update with the unbiased variance.
     */
    private void applyPyTorchRunningStatistics(BatchNormStatistics s, INDArray params, long batch) {
        double momentum = s.momentum();
        INDArray mean = s.mean(params);
        INDArray var = s.var(params);
        INDArray meanDelta = s.mean(chainedGradient);
        INDArray varDelta = s.var(chainedGradient);
        try (INDArray batchMean = mean.sub(meanDelta.divi(momentum));
             INDArray batchVar = var.sub(varDelta.divi(momentum))) {
            Moments.updateRunning(mean, var, batchMean, batchVar, batch * s.valuesPerExample(), momentum);
        }
        meanDelta.assign(0);
        varDelta.assign(0);
    }

    private void closeLastActivations() {
        for (INDArray a : List.copyOf(lastActivations.values())) {
            if (a.closeable()) {
                a.close();
            }
        }
        lastActivations = Map.of();
    }

    /**
     * What DL4J's backprop would compute or apply but wgan's optimisers (wgan.optim) do not: the
     * graph engine refuses it rather than train without it.
     */
    private static void refuseWhatOurStepsDoNotApply(ComputationGraph graph) {
        for (org.deeplearning4j.nn.api.Layer layer : graph.getLayers()) {
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            String name = "layer " + conf.getLayerName() + ": ";
            if (conf instanceof BaseLayer base) {
                if (!base.getRegularization().isEmpty() || !base.getRegularizationBias().isEmpty()) {
                    throw new UnsupportedGraphException(name + "weight decay / L1 / L2 is not applied by wgan's optimisers");
                }
                if (base.getGradientNormalization() != null && base.getGradientNormalization() != GradientNormalization.None) {
                    throw new UnsupportedGraphException(name + "gradient normalization is not applied by wgan's optimisers");
                }
            }
            if (conf.getConstraints() != null && !conf.getConstraints().isEmpty()) {
                throw new UnsupportedGraphException(name + "constraints are not applied by wgan's optimisers");
            }
            if (conf instanceof BatchNormalization bn && bn.isUseLogStd()) {
                throw new UnsupportedGraphException(name + "BatchNorm with log10 std running statistics (wgan keeps variance)");
            }
        }
    }

    /** The critic's score is read through a Wasserstein loss layer on a 1x1 map (see the class comment). */
    private static void requireWassersteinLoss(ComputationGraph critic) {
        String output = critic.getConfiguration().getNetworkOutputs().get(0);
        org.deeplearning4j.nn.conf.layers.Layer last = critic.getLayer(output).conf().getLayer();
        if (!(last instanceof CnnLossLayer loss) || !(loss.getLossFn() instanceof LossWasserstein)) {
            throw new UnsupportedGraphException("layer " + output + ": the critic must end in a CnnLossLayer with"
                    + " LossWasserstein");
        }
    }
}
