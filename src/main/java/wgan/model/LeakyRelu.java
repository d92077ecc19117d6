package wgan.model;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMax;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Max;
import org.nd4j.linalg.factory.Nd4j;

/**
 * LeakyReLU with slope 0.2, built from fast elementwise ops. ND4J's own LeakyReLU scalar op and
 * its LeakyReLUBp took 5.8 and 8.3 ms on a [64, 128, 16, 16] float array here, against 0.6 ms for
 * a multiplication: this computes max(x, 0.2 x) forward and g * (x > 0 ? 1 : 0.2) backward (the
 * gradient PyTorch uses) in 1.3 and ~2 ms, bit for bit the same values as ND4J's ops.
 */
public final class LeakyRelu extends BaseActivationFunction {
    public static final double SLOPE = 0.2;

    /** out = max(in, SLOPE * in), through scratch (which may be out, but not in). */
    public static void forward(INDArray in, INDArray out, INDArray scratch) {
        Nd4j.exec(new ScalarMultiplication(in, null, scratch, SLOPE));
        Nd4j.exec(new Max(in, scratch, out));
    }

    /**
     * x := (x > 0 ? 1 : SLOPE), the derivative, where x is the activation's input or output (same
     * sign): max(step(x), SLOPE), two passes.
     */
    public static void derivativeInPlace(INDArray x) {
        Nd4j.exec(new Step(x, x, 0.0));
        Nd4j.exec(new ScalarMax(x, null, x, SLOPE));
    }

    /** In place on in; the scaled copy lives in the caller's workspace, as DL4J's layers' arrays do. */
    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        forward(in, in, in.ulike());
        return in;
    }

    /** As DL4J's activations: overwrites in with the input gradient and returns it; epsilon is untouched. */
    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        assertShape(in, epsilon);
        derivativeInPlace(in);
        in.muli(epsilon);
        return new Pair<>(in, null);
    }

    @Override
    public String toString() {
        return "leakyrelu(a=" + SLOPE + ")";
    }
}
