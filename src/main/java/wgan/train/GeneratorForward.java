package wgan.train;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;
import wgan.model.Dcgan;

import java.util.ArrayList;
import java.util.List;

/**
 * The generator's training-mode forward for the critic's fakes, on libnd4j's native ops directly:
 * the same ops DL4J's layers call (deconv2d, conv2d, batchnorm, ReLU, tanh), but with buffers
 * reused across steps and each BatchNorm's batch statistics computed once, for the normalisation
 * and for the running statistics alike (the graph's forward computed them in its BatchNorm helper
 * and the caller computed them again). In float32 the fakes are bit for bit the graph's.
 *
 * <p>Running statistics follow torch.nn.BatchNorm2d at every training-mode forward: momentum 0.1,
 * unbiased variance; DL4J only updates them through gradients, which this forward has none of.
 */
final class GeneratorForward {
    private record Stage(INDArray weights, boolean transposed, int kernel, int stride, int pad,
                         INDArray gamma, INDArray beta, INDArray runningMean, INDArray runningVar, double eps,
                         IActivation activation) {
    }

    private final List<Stage> stages = new ArrayList<>();
    private final DataType dataType;
    private final double momentum;
    private long batch = -1;
    private INDArray[] out;
    private INDArray[] mean;
    private INDArray[] var;

    /** Reads the generator's layers in graph order: (de)conv, optional BatchNorm, activation. */
    GeneratorForward(ComputationGraph generator, double momentum) {
        this.dataType = generator.params().dataType();
        this.momentum = momentum;
        Layer conv = null;
        Layer norm = null;
        for (int index : generator.topologicalSortOrder()) {
            if (!generator.getVertices()[index].hasLayer()) {
                continue;
            }
            Layer layer = generator.getVertices()[index].getLayer();
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            if (conf instanceof ConvolutionLayer) {
                conv = layer;
                if (conf.getLayerName().equals(Dcgan.GENERATOR_OUTPUT)) {
                    stages.add(stage(conv, null, ((ConvolutionLayer) conf).getActivationFn()));
                }
            } else if (conf instanceof BatchNormalization) {
                norm = layer;
            } else {
                IActivation activation = ((org.deeplearning4j.nn.conf.layers.ActivationLayer) conf).getActivationFn();
                stages.add(stage(conv, norm, activation));
                norm = null;
            }
        }
    }

    private static Stage stage(Layer conv, Layer norm, IActivation activation) {
        ConvolutionLayer c = (ConvolutionLayer) conv.conf().getLayer();
        if (!(activation instanceof ActivationReLU || activation instanceof ActivationTanH
                || activation instanceof ActivationIdentity)) {
            throw new IllegalStateException("unexpected generator layer " + c.getLayerName() + ": " + activation);
        }
        return new Stage(conv.getParam("W"), c instanceof Deconvolution2D,
                c.getKernelSize()[0], c.getStride()[0], c.getPadding()[0],
                norm == null ? null : flat(norm.getParam("gamma")),
                norm == null ? null : flat(norm.getParam("beta")),
                norm == null ? null : flat(norm.getParam("mean")),
                norm == null ? null : flat(norm.getParam("var")),
                norm == null ? 0 : ((BatchNormalization) norm.conf().getLayer()).getEps(),
                activation);
    }

    private static INDArray flat(INDArray a) {
        return a.reshape(a.length());
    }

    /** The fakes for noise [n, nz, 1, 1]; the returned buffer is reused by the next call. */
    INDArray run(INDArray noise) {
        allocate(noise);
        INDArray x = noise;
        for (int i = 0; i < stages.size(); i++) {
            Stage s = stages.get(i);
            Nd4j.exec(DynamicCustomOp.builder(s.transposed ? "deconv2d" : "conv2d")
                    .addInputs(x, s.transposed ? s.weights.permute(2, 3, 1, 0) : s.weights)
                    .addOutputs(out[i])
                    .addIntegerArguments(s.transposed
                            ? new int[]{s.kernel, s.kernel, s.stride, s.stride, s.pad, s.pad, 1, 1, 0, 0}
                            : new int[]{s.kernel, s.kernel, s.stride, s.stride, s.pad, s.pad, 1, 1, 0, 0, 1})
                    .build());
            if (s.gamma != null) {
                batchNormInPlace(s, out[i], mean[i], var[i]);
            }
            if (s.activation instanceof ActivationReLU) {
                Nd4j.exec(new RectifiedLinear(out[i], out[i], 0.0));
            } else if (s.activation instanceof ActivationTanH) {
                Nd4j.exec(new Tanh(out[i], out[i]));
            }
            x = out[i];
        }
        return x;
    }

    /** Normalises with the batch statistics (biased variance), updates the running ones PyTorch's way. */
    private void batchNormInPlace(Stage s, INDArray z, INDArray batchMean, INDArray batchVar) {
        Moments.of(z, batchMean, batchVar);
        Moments.updateRunning(s.runningMean, s.runningVar, batchMean, batchVar, z.length() / z.size(1), momentum);
        Nd4j.exec(DynamicCustomOp.builder("batchnorm")
                .addInputs(z, batchMean, batchVar, s.gamma, s.beta)
                .addOutputs(z)
                .addIntegerArguments(1, 1, 1) // apply gamma, apply beta, channel axis 1 (NCHW)
                .addFloatingPointArguments(s.eps)
                .build());
    }

    /** (Re)allocates the buffers when the batch size changes: steady state allocates nothing large. */
    private void allocate(INDArray noise) {
        if (noise.size(0) == batch) {
            return;
        }
        if (batch >= 0) {
            for (INDArray[] arrays : List.of(out, mean, var)) {
                for (INDArray a : arrays) {
                    if (a != null) {
                        a.close();
                    }
                }
            }
        }
        batch = noise.size(0);
        int n = stages.size();
        out = new INDArray[n];
        mean = new INDArray[n];
        var = new INDArray[n];
        long size = noise.size(2);
        for (int i = 0; i < n; i++) {
            Stage s = stages.get(i);
            size = s.transposed
                    ? s.stride * (size - 1) + s.kernel - 2L * s.pad
                    : (size + 2L * s.pad - s.kernel) / s.stride + 1;
            long channels = s.transposed ? s.weights.size(1) : s.weights.size(0);
            out[i] = Nd4j.createUninitialized(dataType, batch, channels, size, size).detach();
            if (s.gamma != null) {
                mean[i] = Nd4j.createUninitialized(dataType, channels).detach();
                var[i] = Nd4j.createUninitialized(dataType, channels).detach();
            }
        }
    }
}
