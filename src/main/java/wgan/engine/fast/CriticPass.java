package wgan.engine.fast;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import wgan.engine.GradientViews;
import wgan.engine.Moments;
import wgan.model.LeakyRelu;

import java.util.ArrayList;
import java.util.List;

/**
 * Forward and backward of sign * mean D(x) through the critic in training mode, on libnd4j's
 * native ops directly instead of through DL4J's graph. Same mathematics as the critic graph
 * (conv without bias, BatchNorm with batch statistics, LeakyReLU 0.2, Wasserstein loss), same
 * parameter and gradient arrays, but:
 * <ul>
 * <li>no separate activation layers: LeakyReLU ({@link LeakyRelu}'s fast form) runs in place on
 * BatchNorm's output and its backward reads that output (same sign as its input);</li>
 * <li>every activation and gradient buffer is allocated once per batch size and reused: no
 * workspace bookkeeping, no copies between layers;</li>
 * <li>weight gradients are written straight into the graph's gradient view;</li>
 * <li>only the work the reference does: the first layer's weight gradient without its unused image
 * gradient in critic steps ({@link WeightGradientOnly}), the image gradient without any weight
 * gradient in generator steps ({@link #runForImageGradient});</li>
 * <li>on the CPU with Java's Vector API, BatchNorm and LeakyReLU as fused kernels
 * ({@link FusedBatchNorm}, {@link FusedActivation}); otherwise libnd4j's ops;</li>
 * <li>convolutions on oneDNN primitives made once per shape when the engine gives a precision
 * ({@link DnnlConvolution}), else libnd4j's conv ops.</li>
 * </ul>
 * In float32 the gradients match the graph's to float rounding (GoldenGradientsFloatTest checks
 * them against PyTorch). BatchNorm running statistics are updated as DL4J's layer does (its decay, biased
 * batch variance). The structure is read from the graph and checked ({@link Stages}).
 */
final class CriticPass {
    private record Conv(String name, INDArray weights, INDArray weightGradient, int kernel, int stride, int pad) {
    }

    private record Norm(INDArray gamma, INDArray beta, INDArray runningMean, INDArray runningVar,
                        INDArray gammaGradient, INDArray betaGradient, double eps, double decay,
                        BatchNormBackward backward, FusedBatchNorm fused) {
    }

    /** One stage: a convolution, optionally BatchNorm, then LeakyReLU (none on the last stage). */
    private record Stage(Conv conv, Norm norm, boolean leaky) {
    }

    /**
     * A projection discriminator's score after the last stage (see {@link Stages.Projection}):
     * W and E with their gradient views, flattened to [1, F] and [K, F], F = C * S * S.
     */
    private record Head(INDArray weight, INDArray embedding, INDArray weightGradient, INDArray embeddingGradient,
                        int classes) {
    }

    private final List<Stage> stages = new ArrayList<>();
    /** Null for an unconditional critic, whose last stage is its scoring convolution. */
    private final Head head;
    private final DataType dataType;
    /** The one-hot classes [n, K] of the current pass's images (conditional critic only). */
    private INDArray labels;
    /** Per image, W + E_y, [n, F]: the projection's weights for the current pass. */
    private INDArray headWeights;
    private SectionTimer timer = SectionTimer.NONE;
    /** LeakyReLU without BatchNorm (the first layer) through the fused kernels; null where they do not run. */
    private final FusedActivation fusedLeaky;
    /** Per stage, for the current batch size: conv output, activation, gradient wrt the stage's output. */
    private long batch = -1;
    private INDArray[] out;
    private INDArray[] act;
    private INDArray[] grad;
    /** Per BatchNorm stage: gradient wrt the conv output, batch statistics, scratch for unwanted gamma and beta gradients. */
    private INDArray[] outGrad;
    private INDArray[] mean;
    private INDArray[] var;
    private INDArray[] gammaScratch;
    private INDArray[] betaScratch;
    /** The gradient with respect to the images: the generator step reads it; critic steps skip it. */
    private INDArray inputGradient;
    private WeightGradientOnly firstWeightGradient;
    /** The precision of oneDNN's own convolutions ({@link DnnlConvolution}); null: libnd4j's conv ops. */
    private final DnnlConvolution.Precision dnnlPrecision;
    /** Per stage, for the current batch size, with {@link #dnnlPrecision}: its convolution's oneDNN primitives. */
    private DnnlConvolution[] dnnl;

    /**
     * The critic's chain, checked for what this pass runs: convolutions (not transposed), each but
     * the last followed by (optional BatchNorm and) LeakyReLU, the last one without either giving
     * one value per image, then the Wasserstein loss.
     */
    CriticPass(ComputationGraph critic, INDArray flatGradient, int imageSize) {
        this(critic, flatGradient, imageSize, null);
    }

    /** @param dnnlPrecision run every convolution on oneDNN's own primitives in this precision; null: libnd4j's ops */
    CriticPass(ComputationGraph critic, INDArray flatGradient, int imageSize, DnnlConvolution.Precision dnnlPrecision) {
        this.dataType = critic.params().dataType();
        this.dnnlPrecision = dnnlPrecision;
        this.fusedLeaky = FusedActivation.ifAvailable(dataType, LeakyRelu.SLOPE);
        Stages.Chain chain = Stages.read(critic);
        if (!chain.wassersteinLoss()) {
            throw Stages.unsupported("the critic must end in a CnnLossLayer with LossWasserstein");
        }
        List<Stages.Stage> read = chain.stages();
        Stages.Projection projection = chain.projection();
        long size = imageSize;
        for (int i = 0; i < read.size(); i++) {
            Stages.Stage s = read.get(i);
            boolean last = i == read.size() - 1 && projection == null;
            String what = "critic layer " + s.activationLayer() + ": ";
            if (s.conv().transposed()) {
                throw Stages.unsupported("critic layer " + s.conv().name() + ": a transposed convolution is not in the"
                        + " fast engine's critic");
            }
            if (!last && s.activation() != Stages.Activation.LEAKY_RELU) {
                throw Stages.unsupported(what + s.activation() + " is not in the fast engine's critic"
                        + ", which runs LeakyReLU " + LeakyRelu.SLOPE + " between convolutions");
            }
            if (last && (s.norm() != null || s.activation() != Stages.Activation.IDENTITY)) {
                throw Stages.unsupported(what + "the fast engine's critic scores with a plain convolution");
            }
            size = s.conv().outputSize(size);
            stages.add(new Stage(conv(critic, flatGradient, s.conv()), norm(critic, flatGradient, s.norm()), !last));
        }
        if (projection != null) {
            long channels = read.get(read.size() - 1).conv().nOut();
            if (size != projection.size() || channels != projection.channels()) {
                throw Stages.unsupported("critic vertex " + projection.name() + ": a projection over " + projection.channels()
                        + "x" + projection.size() + "x" + projection.size() + " features after layers giving " + channels
                        + "x" + size + "x" + size);
            }
            long features = channels * size * size;
            head = new Head(projection.weight().reshape(1, features),
                    projection.embedding().reshape(projection.classes(), features),
                    GradientViews.of(critic, flatGradient, projection.weight()).reshape(1, features),
                    GradientViews.of(critic, flatGradient, projection.embedding()).reshape(projection.classes(), features),
                    projection.classes());
            stages.add(new Stage(null, null, false)); // the scoring stage: the projection head
            return;
        }
        head = null;
        if (size != 1 || read.get(read.size() - 1).conv().nOut() != 1) {
            throw Stages.unsupported("critic: its last convolution gives " + read.get(read.size() - 1).conv().nOut()
                    + "x" + size + "x" + size + " values per image; the fast engine's critic scores 1x1x1");
        }
    }

    private static Conv conv(ComputationGraph critic, INDArray flatGradient, Stages.Conv c) {
        INDArray w = c.layer().getParam("W");
        return new Conv(c.name(), w, GradientViews.of(critic, flatGradient, w), c.kernel(), c.stride(), c.pad());
    }

    private Norm norm(ComputationGraph critic, INDArray flatGradient, Stages.Norm n) {
        if (n == null) {
            return null;
        }
        Layer layer = n.layer();
        INDArray gamma = layer.getParam("gamma");
        INDArray beta = layer.getParam("beta");
        FusedBatchNorm fused = FusedBatchNorm.ifAvailable(dataType, gamma.length(), n.eps(), LeakyRelu.SLOPE);
        return new Norm(flat(gamma), flat(beta), flat(layer.getParam("mean")), flat(layer.getParam("var")),
                flat(GradientViews.of(critic, flatGradient, gamma)), flat(GradientViews.of(critic, flatGradient, beta)),
                n.eps(), n.decay(),
                fused == null ? new BatchNormBackward(dataType, gamma.length(), n.eps()) : null, fused);
    }

    private static INDArray flat(INDArray a) {
        return a.reshape(a.length());
    }

    /**
     * Forward and backward of sign * mean D(images); weight, gamma and beta gradients land in the
     * graph's gradient view (overwritten), running statistics are updated. Returns sign * mean D.
     */
    double run(INDArray images, INDArray labels, int sign) {
        setLabels(images, labels);
        double signedMean = forward(images, sign);
        backward(images, sign, true);
        return signedMean;
    }

    /**
     * Forward and backward of sign * mean D(images) for the generator step: only the gradient with
     * respect to the images is computed ({@link #imageGradient}), no critic weight gradient, as
     * PyTorch's autograd does with the critic's parameters frozen. Running statistics are updated,
     * as the reference's training-mode forward does. Returns sign * mean D.
     */
    double runForImageGradient(INDArray images, INDArray labels, int sign) {
        setLabels(images, labels);
        double signedMean = forward(images, sign);
        backward(images, sign, false);
        return signedMean;
    }

    /**
     * The gradient penalty of Gulrajani et al. on the interpolates x (overwritten, used as work
     * space): returns weight * mean_n (||grad_x D(x_n)||_2 - 1)^2 and writes its gradient with
     * respect to every critic weight into the gradient view. DL4J cannot differentiate a gradient,
     * so this does it: with LeakyReLU and no BatchNorm, D is piecewise linear, so for a direction
     * v, v . grad_x D(x) is the critic run as a linear network on v with the slopes of x's forward
     * pass fixed. The penalty's weight gradient is then sum_n d/dW [v_n . g_n(W)] with
     * v_n = dPenalty/dg_n held fixed: for each layer, the weight gradient of that linear network,
     * whose backward signals are exactly those of x's own input-gradient backward (upstream 1 per
     * image). So: one forward and input-gradient backward on x, one linear forward on v, and one
     * weight-gradient pass per layer.
     */
    double penalty(INDArray x, INDArray labels, double weight) {
        setLabels(x, labels);
        for (Stage s : stages) {
            if (s.norm != null) {
                throw Stages.unsupported("the gradient penalty needs a critic without BatchNorm, as --loss wgan-gp builds it");
            }
        }
        forward(x, +1);
        slopesForPenalty();
        int last = stages.size() - 1;
        grad[last].assign(1.0); // upstream 1 per image: grad[i] becomes dD/d(out[i]) per image
        for (int i = last; i >= 0; i--) {
            if (stages.get(i).leaky) {
                applySlopes(i, grad[i]);
            }
            if (stages.get(i).conv == null) {
                headInputGradient(grad[i], grad[i - 1]);
                continue;
            }
            conv2dInputGradient(i, grad[i], i == 0 ? inputGradient : grad[i - 1]);
        }
        // v_n = weight * 2 (||g_n|| - 1) / ||g_n|| / batch * g_n, in place over the image gradient
        INDArray g = inputGradient.reshape(batch, inputGradient.length() / batch);
        double[] norms = g.norm2(1).toDoubleVector();
        double penalty = 0;
        double[] scale = new double[norms.length];
        for (int n = 0; n < norms.length; n++) {
            penalty += (norms[n] - 1) * (norms[n] - 1);
            scale[n] = norms[n] == 0 ? 0 : weight * 2 * (norms[n] - 1) / norms[n] / batch;
        }
        try (INDArray column = Nd4j.createFromArray(scale).castTo(dataType).reshape(batch, 1)) {
            g.muliColumnVector(column);
        }
        // The linear network on v: out[i] := slopes_i * conv_i(previous), the previous being v for i = 0.
        for (int i = 0; i <= last; i++) {
            if (stages.get(i).conv == null) {
                break; // the head's output in the linear network is not needed: only its input is
            }
            conv2d(i == 0 ? inputGradient : out[i - 1], i, out[i]);
            if (stages.get(i).leaky) {
                applySlopes(i, out[i]);
            }
        }
        // Each layer's weight gradient: its input in the linear network against x's backward signal.
        for (int i = 0; i <= last; i++) {
            Conv c = stages.get(i).conv;
            if (c == null) {
                headWeightGradient(out[i - 1], grad[i]);
            } else if (i == 0) {
                firstWeightGradient(inputGradient, grad[0], c.weightGradient);
            } else {
                conv2dBackward(out[i - 1], i, grad[i], act[i - 1]); // act[i - 1]'s slopes are spent: scratch
            }
        }
        return weight * penalty / batch;
    }

    /**
     * After a forward: the LeakyReLU slope of every hidden activation where the penalty's passes
     * read it. The fused kernels read the slope from act's sign, which the passes keep until the
     * last use; the op path keeps the slopes themselves in act.
     */
    private void slopesForPenalty() {
        if (fusedLeaky == null) {
            for (int i = 0; i < stages.size(); i++) {
                if (stages.get(i).leaky) {
                    LeakyRelu.derivativeInPlace(act[i]);
                }
            }
        }
    }

    /** values := values * LeakyReLU'(stage i's forward), by its slopes (see {@link #slopesForPenalty}). */
    private void applySlopes(int i, INDArray values) {
        if (fusedLeaky != null) {
            fusedLeaky.backward(values, act[i]);
        } else {
            values.muli(act[i]);
        }
    }

    /** Times every layer's parts from now on (wgan bench --profile). */
    void timeWith(SectionTimer sectionTimer) {
        this.timer = sectionTimer;
    }

    /** The gradient with respect to the images of the last {@link #runForImageGradient}; reused by the next pass. */
    INDArray imageGradient() {
        return inputGradient;
    }

    private double forward(INDArray images, int sign) {
        allocate(images);
        int last = stages.size() - 1;
        INDArray x = images;
        timer.start();
        for (int i = 0; i <= last; i++) {
            Stage s = stages.get(i);
            if (s.conv == null) {
                headForward(x, out[i]);
                break;
            }
            conv2d(x, i, out[i]);
            timer.lap(s.conv.name, SectionTimer.Part.CONV_FORWARD);
            if (s.norm != null) {
                normThenActivation(i, s.norm);
            } else if (s.leaky) {
                leakyForward(i);
            }
            x = s.leaky ? act[i] : out[i];
            timer.lap(s.conv.name, SectionTimer.Part.NORM_ACTIVATION_FORWARD);
        }
        return sign * out[last].meanNumber().doubleValue();
    }

    private void backward(INDArray images, int sign, boolean weightGradients) {
        int last = stages.size() - 1;
        grad[last].assign((double) sign / batch);
        timer.start();
        for (int i = last; i >= 0; i--) {
            Stage s = stages.get(i);
            INDArray g = grad[i];
            if (s.conv == null) {
                if (weightGradients) {
                    headWeightGradient(act[i - 1], g);
                }
                headInputGradient(g, grad[i - 1]);
                continue;
            }
            if (s.norm != null) {
                normThenActivationBackward(i, s.norm, weightGradients);
                g = outGrad[i];
            } else if (s.leaky) {
                leakyBackward(i);
            }
            timer.lap(s.conv.name, SectionTimer.Part.NORM_ACTIVATION_BACKWARD);
            INDArray inputGradientOut = i == 0 ? inputGradient : grad[i - 1];
            if (weightGradients && i == 0) {
                firstWeightGradient(images, g, s.conv.weightGradient);
            } else if (weightGradients) {
                conv2dBackward(i == 0 ? images : act[i - 1], i, g, inputGradientOut);
            } else {
                conv2dInputGradient(i, g, inputGradientOut);
            }
            timer.lap(s.conv.name, SectionTimer.Part.CONV_BACKWARD);
        }
    }

    /** (Re)allocates the per-stage buffers when the batch size changes: steady state allocates nothing. */
    private void allocate(INDArray images) {
        if (images.size(0) == batch) {
            return;
        }
        if (batch >= 0) {
            closeBuffers();
        }
        batch = images.size(0);
        int n = stages.size();
        out = new INDArray[n];
        act = new INDArray[n];
        grad = new INDArray[n];
        outGrad = new INDArray[n];
        mean = new INDArray[n];
        var = new INDArray[n];
        gammaScratch = new INDArray[n];
        betaScratch = new INDArray[n];
        long size = images.size(2);
        for (int i = 0; i < n; i++) {
            Stage s = stages.get(i);
            size = s.conv == null ? 1 : (size + 2L * s.conv.pad - s.conv.kernel) / s.conv.stride + 1;
            long channels = s.conv == null ? 1 : s.conv.weights.size(0);
            long[] shape = {batch, channels, size, size};
            out[i] = buffer(shape);
            grad[i] = buffer(shape);
            if (s.leaky) {
                act[i] = buffer(shape);
            }
            if (s.norm != null) {
                outGrad[i] = buffer(shape);
                mean[i] = buffer(channels);
                var[i] = buffer(channels);
                gammaScratch[i] = buffer(channels);
                betaScratch[i] = buffer(channels);
            }
        }
        inputGradient = buffer(images.shape());
        if (head != null) {
            headWeights = buffer(batch, head.weight.length());
        }
        Conv first = stages.get(0).conv;
        if (dnnlPrecision != null) {
            dnnl = new DnnlConvolution[n];
            for (int i = 0; i < n; i++) {
                Conv c = stages.get(i).conv;
                if (c != null) {
                    dnnl[i] = new DnnlConvolution(false, i == 0 ? images.shape() : out[i - 1].shape(), c.weights.shape(),
                            c.kernel, c.stride, c.pad, dnnlPrecision);
                }
            }
        } else {
            firstWeightGradient = new WeightGradientOnly(dataType, images.shape(), first.weights.shape(), out[0].shape(),
                    first.stride, first.pad);
        }
    }

    private INDArray buffer(long... shape) {
        return Nd4j.createUninitialized(dataType, shape).detach();
    }

    private void closeBuffers() {
        for (INDArray[] arrays : List.of(out, act, grad, outGrad, mean, var, gammaScratch, betaScratch)) {
            for (INDArray a : arrays) {
                if (a != null) {
                    a.close();
                }
            }
        }
        inputGradient.close();
        if (firstWeightGradient != null) {
            firstWeightGradient.close();
        }
        if (dnnl != null) {
            for (DnnlConvolution d : dnnl) {
                if (d != null) {
                    d.close();
                }
            }
        }
        if (headWeights != null) {
            headWeights.close();
        }
    }

    /** The classes of the coming pass: one-hot [n, K] for a conditional critic, null for an unconditional one. */
    private void setLabels(INDArray images, INDArray oneHot) {
        if ((head == null) != (oneHot == null)) {
            throw new IllegalArgumentException(head == null ? "labels given to an unconditional critic"
                    : "the conditional critic needs each image's class");
        }
        if (oneHot != null && (oneHot.rank() != 2 || oneHot.size(0) != images.size(0) || oneHot.size(1) != head.classes)) {
            throw new IllegalArgumentException("labels " + java.util.Arrays.toString(oneHot.shape()) + " for "
                    + images.size(0) + " images of " + head.classes + " classes");
        }
        labels = oneHot;
    }

    /** out[n] := &lt;W + E_{y_n}, phi_n&gt;, keeping W + E_y in headWeights for the backward. */
    private void headForward(INDArray phi, INDArray scores) {
        INDArray features = phi.reshape(batch, head.weight.length());
        labels.mmuli(head.embedding, headWeights);
        headWeights.addiRowVector(head.weight);
        try (INDArray products = headWeights.mul(features); INDArray sums = products.sum(true, 1)) {
            scores.assign(sums.reshape(batch, 1, 1, 1));
        }
    }

    /** phiGradient_n := g_n * (W + E_{y_n}). */
    private void headInputGradient(INDArray scoreGradient, INDArray phiGradient) {
        INDArray g = phiGradient.reshape(batch, head.weight.length());
        g.assign(headWeights);
        g.muliColumnVector(scoreGradient.reshape(batch, 1));
    }

    /** dW := sum_n g_n phi_n; dE_k := sum over the images of class k of g_n phi_n. */
    private void headWeightGradient(INDArray phi, INDArray scoreGradient) {
        INDArray features = phi.reshape(batch, head.weight.length());
        INDArray g = scoreGradient.reshape(batch, 1);
        try (INDArray weighted = features.mulColumnVector(g)) {
            try (INDArray sum = weighted.sum(true, 0)) {
                head.weightGradient.assign(sum);
            }
            labels.transpose().mmuli(weighted, head.embeddingGradient);
        }
    }

    private void conv2d(INDArray input, int i, INDArray out) {
        Conv c = stages.get(i).conv;
        if (dnnl != null) {
            dnnl[i].forward(input, c.weights, out);
            return;
        }
        Nd4j.exec(DynamicCustomOp.builder("conv2d")
                .addInputs(input, c.weights)
                .addOutputs(out)
                .addIntegerArguments(convArgs(c))
                .build());
    }

    private void conv2dBackward(INDArray input, int i, INDArray outGradient, INDArray inputGradient) {
        Conv c = stages.get(i).conv;
        if (dnnl != null) {
            dnnl[i].backward(input, c.weights, outGradient, inputGradient, c.weightGradient);
            return;
        }
        Nd4j.exec(DynamicCustomOp.builder("conv2d_bp")
                .addInputs(input, c.weights, outGradient)
                .addOutputs(inputGradient, c.weightGradient)
                .addIntegerArguments(convArgs(c))
                .build());
    }

    /**
     * The input gradient alone: the transposed convolution of the output gradient with the same
     * weights, i.e. the "data" half of conv2d_bp without its weight-gradient half.
     */
    private void conv2dInputGradient(int i, INDArray outGradient, INDArray inputGradient) {
        Conv c = stages.get(i).conv;
        if (dnnl != null) {
            dnnl[i].backwardData(c.weights, outGradient, inputGradient);
            return;
        }
        Nd4j.exec(DynamicCustomOp.builder("deconv2d")
                .addInputs(outGradient, c.weights.permute(2, 3, 1, 0))
                .addOutputs(inputGradient)
                .addIntegerArguments(c.kernel, c.kernel, c.stride, c.stride, c.pad, c.pad, 1, 1, 0, 0)
                .build());
    }

    /** The first layer's weight gradient alone (its image gradient is not wanted). */
    private void firstWeightGradient(INDArray images, INDArray outGradient, INDArray weightGradient) {
        if (dnnl != null) {
            dnnl[0].backwardWeights(images, outGradient, weightGradient);
        } else {
            firstWeightGradient.run(images, outGradient, weightGradient);
        }
    }

    /** kH, kW, sH, sW, pH, pW, dilation 1, 1, not "same" mode, NCHW, weights [oC, iC, kH, kW]. */
    private static int[] convArgs(Conv c) {
        return new int[]{c.kernel, c.kernel, c.stride, c.stride, c.pad, c.pad, 1, 1, 0, 0, 1};
    }

    /**
     * BatchNorm with batch statistics (biased variance, as DL4J's layer), the running-average update
     * DL4J's layer applies through its gradient, then LeakyReLU, into act[i]: fused when the
     * Vector API kernels are available, else as libnd4j's moments, batchnorm and two LeakyReLU ops.
     */
    private void normThenActivation(int i, Norm n) {
        if (n.fused != null) {
            n.fused.forward(out[i], n.gamma, n.beta, mean[i], var[i], act[i]);
        } else {
            Moments.of(out[i], mean[i], var[i]);
            Moments.applyBatchNorm(out[i], mean[i], var[i], n.gamma, n.beta, n.eps, act[i]);
            LeakyRelu.forward(act[i], act[i], grad[i]); // grad[i] is free until the backward pass
        }
        movingAverage(n.runningMean, mean[i], n.decay);
        movingAverage(n.runningVar, var[i], n.decay);
    }

    /** act[i] := LeakyReLU(out[i]), for a stage without BatchNorm. */
    private void leakyForward(int i) {
        if (fusedLeaky != null) {
            fusedLeaky.forward(out[i], act[i]);
        } else {
            LeakyRelu.forward(out[i], act[i], act[i]);
        }
    }

    /** grad[i] := grad[i] * LeakyReLU'(act[i]); act[i], last read by stage i + 1's backward, may hold the derivative. */
    private void leakyBackward(int i) {
        if (fusedLeaky != null) {
            fusedLeaky.backward(grad[i], act[i]);
            return;
        }
        LeakyRelu.derivativeInPlace(act[i]);
        grad[i].muli(act[i]);
    }

    /** running -= (1 - decay) * (running - batch): DL4J's "gradient" for the running statistics. */
    private static void movingAverage(INDArray running, INDArray batchStatistic, double decay) {
        try (INDArray delta = running.sub(batchStatistic)) {
            running.subi(delta.muli(1 - decay));
        }
    }

    /**
     * From grad[i] (consumed) to outGrad[i], through LeakyReLU and BatchNorm; gamma and beta
     * gradients into the gradient view, or scratch when not wanted.
     */
    private void normThenActivationBackward(int i, Norm n, boolean weightGradients) {
        INDArray gammaGradient = weightGradients ? n.gammaGradient : gammaScratch[i];
        INDArray betaGradient = weightGradients ? n.betaGradient : betaScratch[i];
        if (n.fused != null) {
            n.fused.backward(grad[i], act[i], out[i], gammaGradient, betaGradient, outGrad[i]);
        } else {
            leakyBackward(i);
            // act[i] now holds the derivative, already applied: free as work space.
            n.backward.run(out[i], mean[i], var[i], n.gamma, grad[i], outGrad[i], gammaGradient, betaGradient, act[i]);
        }
    }
}
