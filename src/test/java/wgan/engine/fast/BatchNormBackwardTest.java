package wgan.engine.fast;

import wgan.engine.Moments;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our BatchNorm backward against libnd4j's batchnorm_bp, the op DL4J's BatchNormalization layer calls. */
class BatchNormBackwardTest {

    @Test
    void matchesLibnd4jBatchNormBackward() {
        Nd4j.getRandom().setSeed(7);
        for (long[] shape : new long[][]{{8, 16, 8, 8}, {5, 3, 4, 4}, {64, 32, 2, 2}}) {
            long channels = shape[1];
            // An offset mean and a small spread: BatchNorm inputs are rarely centred.
            INDArray x = Nd4j.randn(DataType.FLOAT, shape).muli(0.3).addi(2.0);
            INDArray g = Nd4j.randn(DataType.FLOAT, shape);
            INDArray gamma = Nd4j.randn(DataType.FLOAT, channels).muli(0.01);
            INDArray beta = Nd4j.randn(DataType.FLOAT, channels).muli(0.01);
            INDArray mean = Nd4j.create(DataType.FLOAT, channels);
            INDArray var = Nd4j.create(DataType.FLOAT, channels);
            Moments.of(x, mean, var);

            INDArray dxRef = x.ulike();
            INDArray dGammaRef = mean.ulike();
            INDArray dBetaRef = mean.ulike();
            Nd4j.exec(DynamicCustomOp.builder("batchnorm_bp")
                    .addInputs(x, mean, var, gamma, beta, g)
                    .addOutputs(dxRef, mean.ulike(), mean.ulike(), dGammaRef, dBetaRef)
                    .addIntegerArguments(1, 1, 1)
                    .addFloatingPointArguments(1e-5)
                    .build());

            INDArray dx = x.ulike();
            INDArray dGamma = mean.ulike();
            INDArray dBeta = mean.ulike();
            INDArray gBefore = g.dup();
            new BatchNormBackward(DataType.FLOAT, channels, 1e-5).run(x, mean, var, gamma, g, dx, dGamma, dBeta, x.ulike());

            assertClose(dxRef, dx, "dx " + java.util.Arrays.toString(shape));
            assertClose(dGammaRef, dGamma, "dgamma");
            assertClose(dBetaRef, dBeta, "dbeta");
            assertTrue(gBefore.equals(g), "the output gradient is left as it was");
        }
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        double scale = expected.amaxNumber().doubleValue();
        double worst = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(scale > 0, what + " reference is all zero");
        assertTrue(worst <= 1e-4 * scale, what + ": largest difference " + worst + " against largest value " + scale);
    }
}
