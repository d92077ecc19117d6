package wgan.engine.fast;

import wgan.engine.Moments;
import wgan.kernels.Parallel;
import wgan.kernels.VectorApi;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.factory.Nd4j;
import wgan.model.LeakyRelu;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused BatchNorm + activation kernels against the libnd4j op path they replace (moments,
 * batchnorm, LeakyReLU or ReLU forward; the activation's derivative and {@link BatchNormBackward}
 * backward), for LeakyReLU and ReLU, on shapes whose positions per channel are and are not a
 * multiple of the vector width, with 1 and 3 threads.
 */
class FusedBatchNormTest {

    @Test
    void theTestJvmHasTheVectorApi() {
        assertTrue(VectorApi.usable(), "surefire runs with --add-modules jdk.incubator.vector, as scripts/wgan");
    }

    @Test
    void matchesTheLibnd4jOpPath() {
        Nd4j.getRandom().setSeed(11);
        for (double slope : new double[]{LeakyRelu.SLOPE, 0.0}) {
            for (long[] shape : new long[][]{{8, 16, 8, 8}, {5, 3, 3, 3}, {7, 4, 5, 5}, {64, 32, 4, 4}}) {
                for (int threads : new int[]{1, 3}) {
                    compare(shape, slope, threads);
                }
            }
        }
    }

    @Test
    void activationAloneMatchesLeakyRelu() {
        // 3 x 5 x 47 x 47 values: several chunks and a tail shorter than a vector.
        INDArray x = Nd4j.randn(DataType.FLOAT, 3, 5, 47, 47);
        INDArray g = Nd4j.randn(DataType.FLOAT, 3, 5, 47, 47);
        INDArray expectedY = x.ulike();
        LeakyRelu.forward(x, expectedY, x.ulike());
        INDArray derivative = expectedY.dup();
        LeakyRelu.derivativeInPlace(derivative);
        INDArray expectedG = g.mul(derivative);

        FusedActivation leaky = FusedActivation.ifAvailable(DataType.FLOAT, LeakyRelu.SLOPE);
        INDArray y = x.ulike();
        leaky.forward(x, y);
        leaky.backward(g, y);
        assertTrue(expectedY.equals(y), "forward: bit for bit max(x, 0.2 x)");
        assertTrue(expectedG.equals(g), "backward: bit for bit g * (y > 0 ? 1 : 0.2)");
    }

    private static void compare(long[] shape, double slope, int threads) {
        String what = java.util.Arrays.toString(shape) + " slope " + slope + " threads " + threads;
        int channels = (int) shape[1];
        INDArray x = Nd4j.randn(DataType.FLOAT, shape).muli(0.3).addi(1.5);
        INDArray gOut = Nd4j.randn(DataType.FLOAT, shape);
        INDArray gamma = Nd4j.randn(DataType.FLOAT, channels).muli(0.5).addi(1);
        INDArray beta = Nd4j.randn(DataType.FLOAT, channels).muli(0.5);

        // The op path.
        INDArray mean = Nd4j.create(DataType.FLOAT, channels);
        INDArray var = Nd4j.create(DataType.FLOAT, channels);
        Moments.of(x, mean, var);
        INDArray act = x.ulike();
        Nd4j.exec(DynamicCustomOp.builder("batchnorm").addInputs(x, mean, var, gamma, beta).addOutputs(act)
                .addIntegerArguments(1, 1, 1).addFloatingPointArguments(1e-5).build());
        if (slope > 0) {
            LeakyRelu.forward(act, act, x.ulike());
        } else {
            Nd4j.exec(new RectifiedLinear(act, act, 0.0));
        }
        INDArray derivative = act.dup();
        if (slope > 0) {
            LeakyRelu.derivativeInPlace(derivative);
        } else {
            Nd4j.exec(new Step(derivative, derivative, 0.0));
        }
        INDArray g = gOut.mul(derivative);
        INDArray dx = x.ulike();
        INDArray dGamma = mean.ulike();
        INDArray dBeta = mean.ulike();
        new BatchNormBackward(DataType.FLOAT, channels, 1e-5).run(x, mean, var, gamma, g, dx, dGamma, dBeta, x.ulike());

        // The fused path.
        FusedBatchNorm fused = new FusedBatchNorm(channels, 1e-5, (float) slope, new Parallel(threads));
        INDArray fusedMean = mean.ulike();
        INDArray fusedVar = mean.ulike();
        INDArray fusedAct = x.ulike();
        fused.forward(x, gamma, beta, fusedMean, fusedVar, fusedAct);
        INDArray fusedG = gOut.dup();
        INDArray fusedDx = x.ulike();
        INDArray fusedDGamma = mean.ulike();
        INDArray fusedDBeta = mean.ulike();
        // The op path's activation for the mask: where a pre-activation rounds to +-0 differently in
        // the two paths, the (discontinuous) derivative would differ and hide any real difference.
        fused.backward(fusedG, act, x, fusedDGamma, fusedDBeta, fusedDx);

        assertClose(mean, fusedMean, "mean " + what);
        assertClose(var, fusedVar, "variance " + what);
        assertClose(act, fusedAct, "activation " + what);
        assertClose(dx, fusedDx, "dx " + what);
        assertClose(dGamma, fusedDGamma, "dgamma " + what);
        assertClose(dBeta, fusedDBeta, "dbeta " + what);
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        double scale = expected.amaxNumber().doubleValue();
        double worst = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(scale > 0, what + ": reference is all zero");
        assertTrue(worst <= 1e-4 * scale, what + ": largest difference " + worst + " against largest value " + scale);
    }
}
