package wgan.engine.fast;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A convolution's weight gradient without its input gradient, for the critic's first layer in
 * critic steps: nothing reads the gradient with respect to the images there (PyTorch's autograd
 * skips it too), but libnd4j's conv2d_bp always computes it. Here: im2col of the input, two
 * transposing copies, one SGEMM, gradW[o, (c kh kw)] = sum over (n, y, x) of
 * gradOut[n, o, y, x] * columns[n, (c kh kw), y, x]. For the 64x64x3 critic's first layer at batch
 * 64 that is ~9.5 ms against conv2d_bp's ~17-22 (docs/PERFORMANCE.md).
 */
final class WeightGradientOnly {
    private final int[] im2colArgs;
    private final long batch;
    private final long outChannels;
    private final long patch;
    private final long positions;
    /** im2col's output, [n, c, kh, kw, y, x]. */
    private final INDArray columns;
    /** The same values as [(c kh kw), n, (y x)], and the output gradient as [o, n, (y x)]: plain matrices for SGEMM. */
    private final INDArray columnsByPatch;
    private final INDArray outGradientByChannel;

    /**
     * @param input   the layer's input shape [n, c, h, w]
     * @param weights the layer's weights [o, c, kh, kw]
     */
    WeightGradientOnly(DataType dataType, long[] input, long[] weights, long[] output, int stride, int pad) {
        int kernel = (int) weights[2];
        this.im2colArgs = new int[]{kernel, kernel, stride, stride, pad, pad, 1, 1, 0};
        this.batch = input[0];
        this.outChannels = weights[0];
        this.patch = weights[1] * weights[2] * weights[3];
        this.positions = output[2] * output[3];
        this.columns = buffer(dataType, batch, weights[1], weights[2], weights[3], output[2], output[3]);
        this.columnsByPatch = buffer(dataType, patch, batch, positions);
        this.outGradientByChannel = buffer(dataType, outChannels, batch, positions);
    }

    private static INDArray buffer(DataType dataType, long... shape) {
        return Nd4j.createUninitialized(dataType, shape).detach();
    }

    /** Overwrites weightGradient [o, c, kh, kw] (contiguous, possibly a view) with dL/dW. */
    void run(INDArray input, INDArray outGradient, INDArray weightGradient) {
        Nd4j.exec(DynamicCustomOp.builder("im2col")
                .addInputs(input)
                .addOutputs(columns)
                .addIntegerArguments(im2colArgs)
                .addFloatingPointArguments(0.0) // padding value
                .build());
        columnsByPatch.assign(columns.reshape(batch, patch, positions).permute(1, 0, 2));
        outGradientByChannel.assign(outGradient.reshape(batch, outChannels, positions).permute(1, 0, 2));
        // A contiguous array's reshape is a view: SGEMM writes straight into the weight gradient.
        Nd4j.gemm(outGradientByChannel.reshape(outChannels, batch * positions),
                columnsByPatch.reshape(patch, batch * positions), weightGradient.reshape(outChannels, patch),
                false, true, 1.0, 0.0);
    }

    void close() {
        columns.close();
        columnsByPatch.close();
        outGradientByChannel.close();
    }
}
