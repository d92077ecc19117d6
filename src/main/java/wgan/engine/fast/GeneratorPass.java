package wgan.engine.fast;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarReverseSubtraction;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;
import wgan.engine.GradientViews;
import wgan.engine.Moments;
import wgan.kernels.VectorApi;

import java.util.ArrayList;
import java.util.List;

/**
 * The generator in training mode on libnd4j's native ops directly: the ops DL4J's layers call
 * (deconv2d, conv2d, batchnorm, ReLU, tanh and their backward ops), with buffers reused across
 * steps and each BatchNorm's batch statistics computed once. The forward makes the critic's fakes
 * and the generator step's fakes; the backward takes the gradient with respect to the fakes and
 * writes every weight, gamma and beta gradient into the caller's flat gradient (the running
 * statistics' entries are never written). BatchNorm and ReLU run as fused kernels where
 * {@link VectorApi#usable}; the fakes then match the graph's to float rounding.
 *
 * <p>Running statistics follow torch.nn.BatchNorm2d at every training-mode forward: momentum
 * 1 - DL4J's decay, unbiased variance; DL4J only updates them through gradients, which this forward has none of.
 */
final class GeneratorPass {
    private record Stage(String name, INDArray weights, INDArray weightGradient, boolean transposed, int kernel, int stride,
                         int pad, Norm norm, Stages.Activation activation) {
        /** Weights in libnd4j's layout: deconv2d wants [kH, kW, out, in], DL4J keeps [in, out, kH, kW]. */
        INDArray opWeights() {
            return transposed ? weights.permute(2, 3, 1, 0) : weights;
        }

        INDArray opWeightGradient() {
            return transposed ? weightGradient.permute(2, 3, 1, 0) : weightGradient;
        }

        int[] args() {
            return transposed
                    ? new int[]{kernel, kernel, stride, stride, pad, pad, 1, 1, 0, 0}
                    : new int[]{kernel, kernel, stride, stride, pad, pad, 1, 1, 0, 0, 1};
        }
    }

    private record Norm(INDArray gamma, INDArray beta, INDArray runningMean, INDArray runningVar,
                        INDArray gammaGradient, INDArray betaGradient, double eps, double momentum,
                        BatchNormBackward backward, FusedBatchNorm fused) {
    }

    private final List<Stage> stages = new ArrayList<>();
    private final DataType dataType;
    private SectionTimer timer = SectionTimer.NONE;
    private long batch = -1;
    /**
     * Per stage: the (de)conv output, the activation (BatchNorm then ReLU, or tanh), the gradient
     * with respect to the activation (the last stage's is the caller's), and scratch.
     */
    private INDArray[] convOut;
    private INDArray[] act;
    private INDArray[] actGrad;
    private INDArray[] scratch;
    private INDArray[] mean;
    private INDArray[] var;
    private INDArray noiseGradient;
    private INDArray input;
    /** The precision of oneDNN's own convolutions ({@link DnnlConvolution}); null: libnd4j's conv ops. */
    private final DnnlConvolution.Precision dnnlPrecision;
    /** Per stage, for the current batch size, with {@link #dnnlPrecision}: its convolution's oneDNN primitives. */
    private DnnlConvolution[] dnnl;

    /**
     * The generator's chain, checked for what this pass runs: (transposed) convolutions, each but
     * the last followed by BatchNorm and ReLU, the last by tanh alone, from noise [nz, 1, 1] to an
     * image [channels, imageSize, imageSize]. Gradients land in flatGradient, laid out like the
     * generator's params(); it may be null for a forward-only pass.
     */
    GeneratorPass(ComputationGraph generator, INDArray flatGradient, int imageSize, int channels) {
        this(generator, flatGradient, imageSize, channels, null);
    }

    /** @param dnnlPrecision run every convolution on oneDNN's own primitives in this precision; null: libnd4j's ops */
    GeneratorPass(ComputationGraph generator, INDArray flatGradient, int imageSize, int channels,
                  DnnlConvolution.Precision dnnlPrecision) {
        this.dataType = generator.params().dataType();
        this.dnnlPrecision = dnnlPrecision;
        Stages.Chain chain = Stages.read(generator);
        if (chain.wassersteinLoss()) {
            throw Stages.unsupported("the generator must not end in a loss layer");
        }
        List<Stages.Stage> read = chain.stages();
        long size = 1;
        for (int i = 0; i < read.size(); i++) {
            Stages.Stage s = read.get(i);
            boolean last = i == read.size() - 1;
            String what = "generator layer " + s.activationLayer() + ": ";
            if (!last && (s.norm() == null || s.activation() != Stages.Activation.RELU)) {
                throw Stages.unsupported(what + (s.norm() == null ? "no BatchNorm" : s.activation().toString())
                        + " is not in the fast engine's generator, which runs BatchNorm then ReLU between convolutions");
            }
            if (last && (s.norm() != null || s.activation() != Stages.Activation.TANH)) {
                throw Stages.unsupported(what + "the fast engine's generator ends in a convolution with tanh");
            }
            size = s.conv().outputSize(size);
            stages.add(stage(generator, flatGradient, s));
        }
        long outChannels = read.get(read.size() - 1).conv().nOut();
        if (size != imageSize || outChannels != channels) {
            throw Stages.unsupported("generator: it makes " + outChannels + "x" + size + "x" + size + " images, not "
                    + channels + "x" + imageSize + "x" + imageSize);
        }
    }

    private Stage stage(ComputationGraph graph, INDArray flatGradient, Stages.Stage s) {
        Norm n = null;
        if (s.norm() != null) {
            Layer norm = s.norm().layer();
            long channels = norm.getParam("gamma").length();
            double eps = s.norm().eps();
            FusedBatchNorm fused = FusedBatchNorm.ifAvailable(dataType, channels, eps, 0.0);
            n = new Norm(flat(norm.getParam("gamma")), flat(norm.getParam("beta")),
                    flat(norm.getParam("mean")), flat(norm.getParam("var")),
                    flat(GradientViews.of(graph, flatGradient, norm.getParam("gamma"))),
                    flat(GradientViews.of(graph, flatGradient, norm.getParam("beta"))),
                    eps, 1 - s.norm().decay(), fused == null ? new BatchNormBackward(dataType, channels, eps) : null, fused);
        }
        Stages.Conv c = s.conv();
        INDArray w = c.layer().getParam("W");
        return new Stage(c.name(), w, GradientViews.of(graph, flatGradient, w), c.transposed(), c.kernel(), c.stride(),
                c.pad(), n, s.activation());
    }

    private static INDArray flat(INDArray a) {
        return a == null ? null : a.reshape(a.length());
    }

    /** Times every layer's parts from now on (wgan bench --profile). */
    void timeWith(SectionTimer sectionTimer) {
        this.timer = sectionTimer;
    }

    /** The fakes for noise [n, nz, 1, 1]; the returned buffer is reused by the next call. */
    INDArray forward(INDArray noise) {
        allocate(noise);
        input = noise;
        INDArray x = noise;
        timer.start();
        for (int i = 0; i < stages.size(); i++) {
            Stage s = stages.get(i);
            if (dnnl != null) {
                dnnl[i].forward(x, s.weights, convOut[i]);
            } else {
                Nd4j.exec(DynamicCustomOp.builder(s.transposed ? "deconv2d" : "conv2d")
                        .addInputs(x, s.opWeights())
                        .addOutputs(convOut[i])
                        .addIntegerArguments(s.args())
                        .build());
            }
            timer.lap(s.name, SectionTimer.Part.CONV_FORWARD);
            if (s.norm != null) {
                normThenRelu(i, s.norm);
            } else {
                Nd4j.exec(new Tanh(convOut[i], act[i]));
            }
            x = act[i];
            timer.lap(s.name, SectionTimer.Part.NORM_ACTIVATION_FORWARD);
        }
        return x;
    }

    /** The fakes of the last {@link #forward} (the buffer it returned). */
    INDArray act() {
        return act[stages.size() - 1];
    }

    /**
     * Backward of the last {@link #forward} given the gradient with respect to the fakes (which
     * is overwritten): every weight, gamma and beta gradient is written to the flat gradient.
     */
    void backward(INDArray fakeGradient) {
        INDArray g = fakeGradient;
        timer.start();
        for (int i = stages.size() - 1; i >= 0; i--) {
            Stage s = stages.get(i);
            INDArray convGradient;
            if (s.norm != null) {
                normThenReluBackward(i, s.norm, g);
                convGradient = scratch[i];
            } else {
                tanhBackward(i, g);
                convGradient = g;
            }
            timer.lap(s.name, SectionTimer.Part.NORM_ACTIVATION_BACKWARD);
            INDArray inputGradient = i == 0 ? noiseGradient : actGrad[i - 1];
            if (dnnl != null && i == 0) {
                dnnl[i].backwardWeights(input, convGradient, s.weightGradient); // the noise gradient is never read
            } else if (dnnl != null) {
                dnnl[i].backward(act[i - 1], s.weights, convGradient, inputGradient, s.weightGradient);
            } else {
                Nd4j.exec(DynamicCustomOp.builder(s.transposed ? "deconv2d_bp" : "conv2d_bp")
                        .addInputs(i == 0 ? input : act[i - 1], s.opWeights(), convGradient)
                        .addOutputs(inputGradient, s.opWeightGradient())
                        .addIntegerArguments(s.args())
                        .build());
            }
            timer.lap(s.name, SectionTimer.Part.CONV_BACKWARD);
            g = inputGradient;
        }
    }

    /**
     * BatchNorm of convOut[i] with the batch statistics, then ReLU, into act[i]: fused when the
     * Vector API kernels are available, else libnd4j's moments, batchnorm and ReLU ops. The running
     * statistics are updated PyTorch's way.
     */
    private void normThenRelu(int i, Norm n) {
        if (n.fused != null) {
            n.fused.forward(convOut[i], n.gamma, n.beta, mean[i], var[i], act[i]);
        } else {
            Moments.of(convOut[i], mean[i], var[i]);
            Moments.applyBatchNorm(convOut[i], mean[i], var[i], n.gamma, n.beta, n.eps, act[i]);
            Nd4j.exec(new RectifiedLinear(act[i], act[i], 0.0));
        }
        Moments.updateRunning(n.runningMean, n.runningVar, mean[i], var[i],
                convOut[i].length() / convOut[i].size(1), n.momentum);
    }

    /** From g (the gradient wrt act[i], consumed) to scratch[i], the gradient wrt convOut[i]. */
    private void normThenReluBackward(int i, Norm n, INDArray g) {
        if (n.fused != null) {
            n.fused.backward(g, act[i], convOut[i], n.gammaGradient, n.betaGradient, scratch[i]);
            return;
        }
        // ReLU: g * (y > 0), its output having the sign of its input
        Nd4j.exec(new Step(act[i], scratch[i], 0.0));
        g.muli(scratch[i]);
        // act[i] was read by the next stage's backward and by the ReLU mask: free as work space.
        n.backward.run(convOut[i], mean[i], var[i], n.gamma, g, scratch[i], n.gammaGradient, n.betaGradient, act[i]);
    }

    /** g := g * (1 - y^2) in place, y = act[i] = tanh. */
    private void tanhBackward(int i, INDArray g) {
        Nd4j.exec(new MulOp(act[i], act[i], scratch[i]));
        Nd4j.exec(new ScalarReverseSubtraction(scratch[i], null, scratch[i], 1.0));
        g.muli(scratch[i]);
    }

    /** (Re)allocates the buffers when the batch size changes: steady state allocates nothing large. */
    private void allocate(INDArray noise) {
        if (noise.size(0) == batch) {
            return;
        }
        if (batch >= 0) {
            closeBuffers();
        }
        batch = noise.size(0);
        int n = stages.size();
        convOut = new INDArray[n];
        act = new INDArray[n];
        actGrad = new INDArray[n];
        scratch = new INDArray[n];
        mean = new INDArray[n];
        var = new INDArray[n];
        long size = noise.size(2);
        for (int i = 0; i < n; i++) {
            Stage s = stages.get(i);
            size = s.transposed
                    ? s.stride * (size - 1) + s.kernel - 2L * s.pad
                    : (size + 2L * s.pad - s.kernel) / s.stride + 1;
            long channels = s.transposed ? s.weights.size(1) : s.weights.size(0);
            convOut[i] = buffer(batch, channels, size, size);
            act[i] = buffer(batch, channels, size, size);
            scratch[i] = buffer(batch, channels, size, size);
            if (i < n - 1) {
                actGrad[i] = buffer(batch, channels, size, size);
            }
            if (s.norm != null) {
                mean[i] = buffer(channels);
                var[i] = buffer(channels);
            }
        }
        noiseGradient = buffer(noise.shape());
        if (dnnlPrecision != null) {
            dnnl = new DnnlConvolution[n];
            for (int i = 0; i < n; i++) {
                Stage s = stages.get(i);
                dnnl[i] = new DnnlConvolution(s.transposed, i == 0 ? noise.shape() : act[i - 1].shape(), s.weights.shape(),
                        s.kernel, s.stride, s.pad, dnnlPrecision);
            }
        }
    }

    private INDArray buffer(long... shape) {
        return Nd4j.createUninitialized(dataType, shape).detach();
    }

    private void closeBuffers() {
        for (INDArray[] arrays : List.of(convOut, act, actGrad, scratch, mean, var)) {
            for (INDArray a : arrays) {
                if (a != null) {
                    a.close();
                }
            }
        }
        noiseGradient.close();
        if (dnnl != null) {
            for (DnnlConvolution d : dnnl) {
                d.close();
            }
        }
    }
}
