package wgan.engine.fast;

import wgan.kernels.Parallel;
import wgan.kernels.VectorApi;
import wgan.kernels.VectorKernels;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One BatchNorm stage (batch statistics) and the activation after it, forward and backward, in
 * two or three fused passes ({@link VectorKernels}) instead of about a dozen libnd4j ops. Same
 * mathematics as the op path (moments, batchnorm, LeakyReLU/ReLU, {@link BatchNormBackward}).
 *
 * <p>Used when Java's Vector API is present (the launcher adds --add-modules jdk.incubator.vector)
 * and arrays live in CPU memory; otherwise the passes keep the libnd4j ops: see {@link VectorApi}.
 */
final class FusedBatchNorm {
    private final int channels;
    private final double eps;
    private final float slope;
    private final Parallel parallel;
    private final float[] mean;
    private final float[] var;
    private final float[] invstd;
    private final float[] gamma;
    private final float[] scale;
    private final float[] beta;
    private final float[] a;
    private final float[] b;
    private final float[] c;
    private final double[] sumG;
    private final double[] sumGXhat;
    /** A plain per-channel array through which parameter and gradient views are read and written. */
    private final INDArray staging;
    private final ByteBuffer stagingBytes;

    /**
     * A stage for float32 arrays where the kernels are {@link VectorApi#usable}, else null (the
     * caller keeps its libnd4j ops; float64, for the golden steps, always does).
     */
    static FusedBatchNorm ifAvailable(DataType dataType, long channels, double eps, double slope) {
        return dataType == DataType.FLOAT && VectorApi.usable()
                ? new FusedBatchNorm((int) channels, eps, (float) slope, Parallel.shared()) : null;
    }

    /** @param slope the activation after the norm: 0.2 LeakyReLU, 0 ReLU */
    FusedBatchNorm(int channels, double eps, float slope, Parallel parallel) {
        this.channels = channels;
        this.eps = eps;
        this.slope = slope;
        this.parallel = parallel;
        mean = new float[channels];
        var = new float[channels];
        invstd = new float[channels];
        gamma = new float[channels];
        scale = new float[channels];
        beta = new float[channels];
        a = new float[channels];
        b = new float[channels];
        c = new float[channels];
        sumG = new double[channels];
        sumGXhat = new double[channels];
        staging = Nd4j.createUninitialized(DataType.FLOAT, channels).detach();
        stagingBytes = staging.data().asNio().order(ByteOrder.nativeOrder());
    }

    /**
     * act = activation(gamma * (x - mean) / sqrt(var + eps) + beta) with the batch's mean and biased
     * variance, which are also written to batchMean and batchVar (for the running statistics).
     */
    void forward(INDArray x, INDArray gammaView, INDArray betaView, INDArray batchMean, INDArray batchVar,
                 INDArray act) {
        VectorKernels.moments(parallel, x, mean, var);
        write(mean, batchMean);
        write(var, batchVar);
        read(gammaView, gamma);
        read(betaView, beta);
        for (int ch = 0; ch < channels; ch++) {
            invstd[ch] = (float) (1 / Math.sqrt(var[ch] + eps));
            scale[ch] = gamma[ch] * invstd[ch];
        }
        VectorKernels.normalizeActivate(parallel, x, mean, scale, beta, slope, act);
    }

    /**
     * Backward of the last {@link #forward}: g (the gradient with respect to act) is consumed as
     * scratch; dx receives the gradient with respect to x, dGamma and dBeta theirs.
     */
    void backward(INDArray g, INDArray act, INDArray x, INDArray dGamma, INDArray dBeta, INDArray dx) {
        VectorKernels.activationBackwardWithSums(parallel, g, act, x, mean, invstd, slope, sumG, sumGXhat);
        double perChannel = (double) (x.length() / x.size(1));
        for (int ch = 0; ch < channels; ch++) {
            a[ch] = gamma[ch] * invstd[ch];
            b[ch] = (float) (-a[ch] * sumGXhat[ch] / perChannel);
            c[ch] = (float) (-a[ch] * sumG[ch] / perChannel);
        }
        write(sumGXhat, dGamma);
        write(sumG, dBeta);
        VectorKernels.normInputGradient(parallel, g, x, mean, invstd, a, b, c, dx);
    }

    private void read(INDArray view, float[] into) {
        staging.assign(view);
        stagingBytes.asFloatBuffer().get(into);
    }

    private void write(float[] values, INDArray view) {
        stagingBytes.asFloatBuffer().put(values);
        view.assign(staging);
    }

    private void write(double[] values, INDArray view) {
        java.nio.FloatBuffer f = stagingBytes.asFloatBuffer();
        for (double v : values) {
            f.put((float) v);
        }
        view.assign(staging);
    }
}
