package wgan.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.impl.LossWasserstein;
import wgan.config.ModelConfig;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The DCGAN generator and critic of the WGAN reference (models/dcgan.py, DCGAN_G and DCGAN_D),
 * as DL4J graph configurations. No layer has a bias.
 *
 * <p>These two configurations are the one definition of the networks: sampling, evaluation and
 * the checkpoints use the graphs built from them, and both training engines (wgan.engine) derive
 * what they compute from those graphs. The fast engine reads and checks every layer and refuses
 * what it does not implement; DL4J's own backprop runs any layer, on the critic graph and on
 * {@link #chain the two chained}. {@link GanNetworks} makes the three graphs share one
 * parameter array.
 *
 * <p>DL4J's own updater is {@link NoOp}: the optimisers are ours (see wgan.optim), so that they
 * match PyTorch's and so that no unused updater state is allocated.
 */
public final class Dcgan {

    public static final String NOISE_INPUT = "noise";
    public static final String IMAGE_INPUT = "image";
    /** The conditional critic's second input: each image's class as a one-hot code [n, K]. */
    public static final String LABEL_INPUT = "label";
    public static final String GENERATOR_OUTPUT = "g_out";
    public static final String CRITIC_SCORE = "d_score";
    public static final String CRITIC_LOSS = "d_loss";

    /** Same as PyTorch's BatchNorm2d: eps 1e-5, running-average momentum 0.1 (DL4J "decay" 0.9). */
    private static final double BN_EPS = 1e-5;
    private static final double BN_DECAY = 0.9;

    static {
        NativeHelpers.enable();
    }

    private Dcgan() {
    }

    public static ComputationGraphConfiguration generator(ModelConfig m, DataType dataType) {
        GraphBuilder b = base(dataType).addInputs(NOISE_INPUT)
                .setInputTypes(InputType.convolutional(1, 1, m.generatorInputs()));
        String last = addGeneratorLayers(b, m, NOISE_INPUT);
        return b.setOutputs(last).build();
    }

    /**
     * The critic; for a conditional model (m.classes() > 0) a projection discriminator: a second
     * input {@link #LABEL_INPUT} and a {@link ProjectionScore} in place of the last convolution.
     */
    public static ComputationGraphConfiguration critic(ModelConfig m, DataType dataType) {
        GraphBuilder b = base(dataType);
        if (m.conditional()) {
            b.addInputs(IMAGE_INPUT, LABEL_INPUT).setInputTypes(
                    InputType.convolutional(m.imageSize(), m.imageSize(), m.channels()), InputType.feedForward(m.classes()));
        } else {
            b.addInputs(IMAGE_INPUT).setInputTypes(InputType.convolutional(m.imageSize(), m.imageSize(), m.channels()));
        }
        String score = addCriticLayers(b, m, IMAGE_INPUT);
        b.addLayer(CRITIC_LOSS, wassersteinLoss(), score);
        return b.setOutputs(CRITIC_LOSS).build();
    }

    /**
     * The generator followed by the critic and its loss, derived from the two configurations as
     * they are (each vertex copied, the critic's input wired to the generator's output), so that
     * it is always the same network as the two standalone graphs: DL4J's own backprop for the
     * generator step (wgan.engine.GraphEngine) runs on it. Its flat parameter vector lists the
     * generator's layers first: [generator | critic].
     */
    public static ComputationGraphConfiguration chain(ComputationGraphConfiguration generator,
                                                      ComputationGraphConfiguration critic) {
        List<String> inputs = new ArrayList<>(generator.getNetworkInputs());
        inputs.addAll(critic.getNetworkInputs().subList(1, critic.getNetworkInputs().size())); // a conditional critic's label
        GraphBuilder b = base(generator.getDataType()).addInputs(inputs.toArray(new String[0]));
        copyVertices(b, generator, null, null);
        copyVertices(b, critic, critic.getNetworkInputs().get(0), generator.getNetworkOutputs().get(0));
        return b.setOutputs(critic.getNetworkOutputs().toArray(new String[0])).build();
    }

    private static void copyVertices(GraphBuilder b, ComputationGraphConfiguration from, String input, String wiredTo) {
        for (String name : inputsFirst(from)) {
            String[] inputs = from.getVertexInputs().get(name).stream().map(in -> in.equals(input) ? wiredTo : in)
                    .toArray(String[]::new);
            b.addVertex(name, from.getVertices().get(name).clone(), inputs);
        }
    }

    /** The vertices (not the network inputs), each after all of its inputs. */
    private static List<String> inputsFirst(ComputationGraphConfiguration conf) {
        Set<String> placed = new HashSet<>(conf.getNetworkInputs());
        List<String> order = new ArrayList<>();
        List<String> waiting = new ArrayList<>(conf.getVertices().keySet());
        while (!waiting.isEmpty()) {
            String next = waiting.stream().filter(v -> placed.containsAll(conf.getVertexInputs().get(v))).findFirst()
                    .orElseThrow(() -> new IllegalStateException("graph with a cycle: " + waiting));
            waiting.remove(next);
            placed.add(next);
            order.add(next);
        }
        return order;
    }

    private static GraphBuilder base(DataType dataType) {
        return new NeuralNetConfiguration.Builder()
                .dataType(dataType)
                .updater(new NoOp())
                .convolutionMode(ConvolutionMode.Truncate)
                .cacheMode(CacheMode.DEVICE)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .graphBuilder();
    }

    /** DCGAN_G: 1x1 -> 4x4 (k4 s1 p0), then k4 s2 p1 doublings to S/2, extra 3x3 layers, k4 s2 p1 to S. */
    private static String addGeneratorLayers(GraphBuilder b, ModelConfig m, String input) {
        int channels = m.generatorBaseChannels();
        String last = deconv(b, "g0", input, m.generatorInputs(), channels, 4, 1, 0, new ActivationIdentity());
        last = batchNormThen(b, "g0", last, channels, new ActivationReLU());
        int layer = 1;
        for (int size = 4; size < m.imageSize() / 2; size *= 2, layer++) {
            last = deconv(b, "g" + layer, last, channels, channels / 2, 4, 2, 1, new ActivationIdentity());
            channels /= 2;
            last = batchNormThen(b, "g" + layer, last, channels, new ActivationReLU());
        }
        for (int t = 0; t < m.extraLayers(); t++, layer++) {
            last = conv(b, "g" + layer, last, channels, channels, 3, 1, 1, new ActivationIdentity());
            last = batchNormThen(b, "g" + layer, last, channels, new ActivationReLU());
        }
        deconv(b, GENERATOR_OUTPUT, last, channels, m.channels(), 4, 2, 1, new ActivationTanH());
        return GENERATOR_OUTPUT;
    }

    /**
     * DCGAN_D: k4 s2 p1 + LeakyReLU, extra 3x3 layers, k4 s2 p1 + BN + LeakyReLU down to 4x4, k4 s1 p0
     * to 1x1. Without BatchNorm (the gradient penalty's critic) each hidden convolution carries its
     * LeakyReLU itself, as the first one does.
     */
    private static String addCriticLayers(GraphBuilder b, ModelConfig m, String input) {
        int channels = m.ndf();
        String last = conv(b, "d0", input, m.channels(), channels, 4, 2, 1, leaky());
        int layer = 1;
        for (int t = 0; t < m.extraLayers(); t++, layer++) {
            last = criticHidden(b, m, "d" + layer, last, channels, channels, 3, 1, 1);
        }
        for (int size = m.imageSize() / 2; size > 4; size /= 2, layer++) {
            last = criticHidden(b, m, "d" + layer, last, channels, channels * 2, 4, 2, 1);
            channels *= 2;
        }
        if (m.conditional()) {
            b.addVertex(CRITIC_SCORE, new ProjectionScore(channels, 4, m.classes()), last, LABEL_INPUT);
            return CRITIC_SCORE;
        }
        return conv(b, CRITIC_SCORE, last, channels, 1, 4, 1, 0, new ActivationIdentity());
    }

    private static String criticHidden(GraphBuilder b, ModelConfig m, String name, String input, int nIn, int nOut,
                                       int kernel, int stride, int pad) {
        if (!m.criticBatchNorm()) {
            return conv(b, name, input, nIn, nOut, kernel, stride, pad, leaky());
        }
        String convolved = conv(b, name, input, nIn, nOut, kernel, stride, pad, new ActivationIdentity());
        return batchNormThen(b, name, convolved, nOut, leaky());
    }

    private static String deconv(GraphBuilder b, String name, String input, int nIn, int nOut,
                                 int kernel, int stride, int pad, IActivation activation) {
        b.addLayer(name, new Deconvolution2D.Builder(new int[]{kernel, kernel}, new int[]{stride, stride},
                new int[]{pad, pad}).nIn(nIn).nOut(nOut).hasBias(false).activation(activation).build(), input);
        return name;
    }

    private static String conv(GraphBuilder b, String name, String input, int nIn, int nOut,
                               int kernel, int stride, int pad, IActivation activation) {
        b.addLayer(name, new ConvolutionLayer.Builder(new int[]{kernel, kernel}, new int[]{stride, stride},
                new int[]{pad, pad}).nIn(nIn).nOut(nOut).hasBias(false).activation(activation).build(), input);
        return name;
    }

    /** BatchNorm (running statistics kept as variance, like PyTorch) then the activation. */
    private static String batchNormThen(GraphBuilder b, String prefix, String input, int channels,
                                        IActivation activation) {
        b.addLayer(prefix + "_bn", new BatchNormalization.Builder().nIn(channels).nOut(channels)
                .eps(BN_EPS).decay(BN_DECAY).useLogStd(false).build(), input);
        b.addLayer(prefix + "_act", new ActivationLayer.Builder().activation(activation).build(), prefix + "_bn");
        return prefix + "_act";
    }

    /** LeakyReLU 0.2; {@link LeakyRelu} rather than ND4J's slow op. Only the critic uses it, and only
     * the generator's configuration is ever saved. */
    private static IActivation leaky() {
        return new LeakyRelu();
    }

    private static CnnLossLayer wassersteinLoss() {
        return new CnnLossLayer.Builder(new LossWasserstein()).activation(new ActivationIdentity()).build();
    }
}
