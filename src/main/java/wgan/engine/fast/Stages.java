package wgan.engine.fast;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.lossfunctions.impl.LossWasserstein;
import wgan.engine.UnsupportedGraphException;
import org.nd4j.linalg.api.ndarray.INDArray;
import wgan.model.LeakyRelu;
import wgan.model.ProjectionScore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A graph read as the fast engine runs it: a chain of stages, each a convolution or transposed
 * convolution without bias, then optionally BatchNorm (batch statistics), then one activation;
 * a critic's chain ends in a Wasserstein loss layer. Reading checks every vertex and every
 * setting the passes rely on, and refuses anything else with one line naming the layer: the
 * fast engine never runs a different network from the graph it was given.
 */
final class Stages {
    /** The activations the passes implement; LeakyReLU only with slope {@link LeakyRelu#SLOPE}, as their kernels. */
    enum Activation {
        IDENTITY("no activation"), RELU("ReLU"), LEAKY_RELU("LeakyReLU " + LeakyRelu.SLOPE), TANH("tanh");

        private final String label;

        Activation(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /**
     * @param transposed Deconvolution2D (DL4J keeps its weights [in, out, kH, kW]) rather than ConvolutionLayer
     */
    record Conv(String name, Layer layer, boolean transposed, int kernel, int stride, int pad, long nOut) {
        /** Output side for an input side, in DL4J's Truncate (and Strict) arithmetic. */
        long outputSize(long inputSize) {
            return transposed ? stride * (inputSize - 1) + kernel - 2L * pad : (inputSize + 2L * pad - kernel) / stride + 1;
        }
    }

    record Norm(String name, Layer layer, double eps, double decay) {
    }

    /**
     * @param norm            null when no BatchNorm follows the convolution
     * @param activationLayer the layer the activation is set on: the convolution or an ActivationLayer
     */
    record Stage(Conv conv, Norm norm, Activation activation, String activationLayer) {
    }

    /**
     * A projection discriminator's score (wgan.model.ProjectionScore) after the last stage:
     * D(x, y) = &lt;W + E_y, phi(x)&gt; with phi(x) the last stage's output.
     *
     * @param weight    W [1, C, S, S]
     * @param embedding E [K, C, S, S]
     */
    record Projection(String name, INDArray weight, INDArray embedding, int channels, int size, int classes) {
    }

    /** The stages, the projection score that follows them (null for none), and whether a Wasserstein loss ends the chain. */
    record Chain(List<Stage> stages, Projection projection, boolean wassersteinLoss) {
    }

    private Stages() {
    }

    static Chain read(ComputationGraph graph) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        List<String> inputs = conf.getNetworkInputs();
        if (inputs.size() > 2 || conf.getNetworkOutputs().size() != 1) {
            throw unsupported("graph with " + inputs.size() + " inputs and "
                    + conf.getNetworkOutputs().size() + " outputs; the fast engine runs one chain");
        }
        List<Stage> stages = new ArrayList<>();
        Projection projection = null;
        Conv conv = null;
        Norm norm = null;
        Activation activation = null;
        String activationLayer = null;
        boolean loss = false;
        String previous = conf.getNetworkInputs().get(0);
        for (int index : graph.topologicalSortOrder()) {
            String name = graph.getVertices()[index].getVertexName();
            if (conf.getNetworkInputs().contains(name)) {
                continue;
            }
            if (loss || projection != null && !(conf.getVertices().get(name) instanceof LayerVertex lv
                    && lv.getLayerConf().getLayer() instanceof CnnLossLayer)) {
                throw unsupported("layer " + name + ": only the loss layer may follow the " + (loss ? "loss layer" : "projection score")
                        + " in the fast engine");
            }
            if (conf.getVertices().get(name) instanceof ProjectionScore p) {
                if (conv == null || inputs.size() != 2 || !List.of(previous, inputs.get(1)).equals(conf.getVertexInputs().get(name))) {
                    throw unsupported("vertex " + name + ": the fast engine runs a projection score only on the last"
                            + " layer's features and the label input, after a convolution");
                }
                stages.add(new Stage(conv, norm, activation, activationLayer));
                conv = null;
                Map<String, INDArray> params = graph.getVertex(name).paramTable(false);
                projection = new Projection(name, params.get(ProjectionScore.WEIGHT), params.get(ProjectionScore.EMBEDDING),
                        p.getChannels(), p.getSize(), p.getClasses());
                previous = name;
                continue;
            }
            checkChained(conf, name, previous);
            previous = name;
            org.deeplearning4j.nn.conf.layers.Layer c = graph.getLayer(name).conf().getLayer();
            checkNothingExtra(name, c);
            if (c.getClass() == ConvolutionLayer.class || c.getClass() == Deconvolution2D.class) {
                if (conv != null) {
                    stages.add(new Stage(conv, norm, activation, activationLayer));
                }
                conv = conv(name, graph.getLayer(name), (ConvolutionLayer) c);
                norm = null;
                activation = activation(name, ((ConvolutionLayer) c).getActivationFn());
                activationLayer = name;
            } else if (c.getClass() == BatchNormalization.class) {
                if (conv == null || norm != null || activation != Activation.IDENTITY) {
                    throw unsupported("layer " + name + ": the fast engine runs BatchNorm only right after a"
                            + " convolution without activation");
                }
                norm = norm(name, graph.getLayer(name), (BatchNormalization) c);
            } else if (c.getClass() == ActivationLayer.class) {
                if (conv == null || activation != Activation.IDENTITY) {
                    throw unsupported("layer " + name + ": the fast engine runs one activation per convolution");
                }
                activation = activation(name, ((ActivationLayer) c).getActivationFn());
                activationLayer = name;
            } else if (c.getClass() == CnnLossLayer.class) {
                checkLoss(name, (CnnLossLayer) c);
                loss = true;
            } else {
                throw unsupported("layer " + name + ": " + c.getClass().getSimpleName() + " is not in the fast engine");
            }
        }
        if (inputs.size() == 2 && projection == null) {
            throw unsupported("graph with a second input " + inputs.get(1) + " but no projection score reading it");
        }
        if (projection == null) {
            if (conv == null) {
                throw unsupported("graph without a convolution");
            }
            stages.add(new Stage(conv, norm, activation, activationLayer));
        }
        return new Chain(List.copyOf(stages), projection, loss);
    }

    /** Each vertex a layer whose one input is the vertex before it, with no input preprocessor. */
    private static void checkChained(ComputationGraphConfiguration conf, String name, String previous) {
        GraphVertex vertex = conf.getVertices().get(name);
        if (!(vertex instanceof LayerVertex layerVertex)) {
            throw unsupported("vertex " + name + ": " + vertex.getClass().getSimpleName() + " is not in the fast engine");
        }
        if (!List.of(previous).equals(conf.getVertexInputs().get(name))) {
            throw unsupported("vertex " + name + ": inputs " + conf.getVertexInputs().get(name)
                    + "; the fast engine runs a single chain of layers");
        }
        if (layerVertex.getPreProcessor() != null) {
            throw unsupported("layer " + name + ": input preprocessor "
                    + layerVertex.getPreProcessor().getClass().getSimpleName() + " is not in the fast engine");
        }
    }

    /** Settings any layer may carry that the passes would silently skip. */
    private static void checkNothingExtra(String name, org.deeplearning4j.nn.conf.layers.Layer c) {
        if (c.getIDropout() != null) {
            throw unsupported("layer " + name + ": dropout is not in the fast engine");
        }
        if (c instanceof BaseLayer b && b.getWeightNoise() != null) {
            throw unsupported("layer " + name + ": weight noise is not in the fast engine");
        }
    }

    private static Conv conv(String name, Layer layer, ConvolutionLayer c) {
        int[] k = c.getKernelSize();
        int[] s = c.getStride();
        int[] p = c.getPadding();
        String what = "layer " + name + ": ";
        if (k[0] != k[1] || s[0] != s[1] || p[0] != p[1]) {
            throw unsupported(what + "kernel " + Arrays.toString(k) + ", stride " + Arrays.toString(s) + ", padding "
                    + Arrays.toString(p) + ": the fast engine runs square ones");
        }
        if (c.getDilation()[0] != 1 || c.getDilation()[1] != 1) {
            throw unsupported(what + "dilation " + Arrays.toString(c.getDilation()) + " is not in the fast engine");
        }
        if (c.getConvolutionMode() != ConvolutionMode.Truncate && c.getConvolutionMode() != ConvolutionMode.Strict) {
            throw unsupported(what + "ConvolutionMode." + c.getConvolutionMode() + " is not in the fast engine"
                    + ", which runs Truncate and Strict");
        }
        if (c.hasBias()) {
            throw unsupported(what + "a convolution bias is not in the fast engine");
        }
        if (c.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
            throw unsupported(what + c.getCnn2dDataFormat() + " is not in the fast engine, which runs NCHW");
        }
        return new Conv(name, layer, c instanceof Deconvolution2D, k[0], s[0], p[0], c.getNOut());
    }

    private static Norm norm(String name, Layer layer, BatchNormalization bn) {
        String what = "layer " + name + ": ";
        if (bn.isLockGammaBeta() || bn.isUseLogStd() || !bn.isMinibatch()) {
            throw unsupported(what + "BatchNorm with lockGammaBeta, useLogStd or minibatch=false is not in the fast engine");
        }
        if (bn.getCnn2DFormat() != CNN2DFormat.NCHW) {
            throw unsupported(what + bn.getCnn2DFormat() + " is not in the fast engine, which runs NCHW");
        }
        // No check of bn.getActivationFn(): it holds the builder's global default (sigmoid), but
        // DL4J's BatchNormalization layer never applies it (activate() returns the normalised
        // values; the golden tests against PyTorch would fail otherwise).
        return new Norm(name, layer, bn.getEps(), bn.getDecay());
    }

    private static void checkLoss(String name, CnnLossLayer loss) {
        if (!(loss.getLossFn() instanceof LossWasserstein)
                || activation(name, loss.getActivationFn()) != Activation.IDENTITY
                || loss.getFormat() != CNN2DFormat.NCHW) {
            throw unsupported("layer " + name + ": the fast engine runs only a Wasserstein loss, identity activation, NCHW");
        }
    }

    static Activation activation(String layer, IActivation a) {
        if (a == null || a instanceof ActivationIdentity) {
            return Activation.IDENTITY;
        }
        if (new ActivationReLU().equals(a)) { // not one with a maximum, threshold or negative slope
            return Activation.RELU;
        }
        if (a.getClass() == ActivationTanH.class) {
            return Activation.TANH;
        }
        if (a.getClass() == LeakyRelu.class
                || a.getClass() == ActivationLReLU.class && ((ActivationLReLU) a).getAlpha() == LeakyRelu.SLOPE) {
            return Activation.LEAKY_RELU;
        }
        throw unsupported("layer " + layer + ": activation " + a + " is not in the fast engine"
                + ", which runs identity, ReLU, LeakyReLU " + LeakyRelu.SLOPE + " and tanh");
    }

    static UnsupportedGraphException unsupported(String message) {
        return new UnsupportedGraphException(message);
    }
}
