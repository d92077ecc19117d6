package wgan.engine.fast;

import wgan.kernels.Parallel;
import wgan.kernels.VectorApi;
import wgan.kernels.VectorKernels;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An activation with no BatchNorm before it (the critic's first layer), forward and backward in
 * one fused pass each ({@link VectorKernels}) instead of two and three libnd4j ops. Same
 * mathematics as {@link wgan.model.LeakyRelu}; only where {@link VectorApi#usable}.
 */
final class FusedActivation {
    private final float slope;
    private final Parallel parallel;

    private FusedActivation(float slope, Parallel parallel) {
        this.slope = slope;
        this.parallel = parallel;
    }

    /** @param slope 0.2 LeakyReLU, 0 ReLU; null unless float32 and the kernels are {@link VectorApi#usable} */
    static FusedActivation ifAvailable(DataType dataType, double slope) {
        return dataType == DataType.FLOAT && VectorApi.usable()
                ? new FusedActivation((float) slope, Parallel.shared()) : null;
    }

    void forward(INDArray x, INDArray y) {
        VectorKernels.activate(parallel, x, slope, y);
    }

    /** g := g * activation'(y) in place, y the forward's output. */
    void backward(INDArray g, INDArray y) {
        VectorKernels.activationBackward(parallel, g, y, slope);
    }
}
