package wgan.engine.fast;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The first layer's weight gradient alone against libnd4j's conv2d_bp, the op it replaces. */
class WeightGradientOnlyTest {

    @Test
    void matchesConv2dBackward() {
        Nd4j.getRandom().setSeed(3);
        // {batch, in channels, size, out channels}: the critic's first layer (k4 s2 p1) at several shapes.
        for (int[] c : new int[][]{{4, 3, 64, 64}, {3, 1, 16, 8}, {5, 3, 32, 16}}) {
            int batch = c[0];
            int inChannels = c[1];
            int size = c[2];
            int outChannels = c[3];
            int out = size / 2;
            INDArray input = Nd4j.randn(DataType.FLOAT, batch, inChannels, size, size);
            INDArray weights = Nd4j.randn(DataType.FLOAT, outChannels, inChannels, 4, 4).muli(0.02);
            INDArray outGradient = Nd4j.randn(DataType.FLOAT, batch, outChannels, out, out);

            INDArray expected = weights.ulike();
            Nd4j.exec(DynamicCustomOp.builder("conv2d_bp")
                    .addInputs(input, weights, outGradient)
                    .addOutputs(input.ulike(), expected)
                    .addIntegerArguments(4, 4, 2, 2, 1, 1, 1, 1, 0, 0, 1)
                    .build());

            // Written into a view with an offset, as into the critic's flat gradient.
            INDArray flat = Nd4j.zeros(DataType.FLOAT, 7 + weights.length());
            INDArray view = flat.get(NDArrayIndex.interval(7, 7 + weights.length())).reshape(weights.shape());
            new WeightGradientOnly(DataType.FLOAT, input.shape(), weights.shape(),
                    new long[]{batch, outChannels, out, out}, 2, 1).run(input, outGradient, view);

            double scale = expected.amaxNumber().doubleValue();
            double worst = expected.sub(view).amaxNumber().doubleValue();
            assertTrue(worst <= 1e-5 * scale, java.util.Arrays.toString(c) + ": largest difference " + worst
                    + " against " + scale);
            assertTrue(flat.get(NDArrayIndex.interval(0, 7)).sumNumber().doubleValue() == 0, "nothing written before the view");
        }
    }
}
