package wgan.engine.fast;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DnnlConvolution} against libnd4j's conv2d / conv2d_bp / deconv2d / deconv2d_bp (what the
 * fast engine runs in float32) on fixed inputs: float32 within 1e-5 relative (Frobenius), bfloat16
 * within 1e-2. The weights and the weight gradient are views at an offset into a flat array, as the
 * engine's are (the graphs' parameter and gradient views).
 */
class DnnlConvolutionTest {
    @ParameterizedTest(name = "{0} {1}->{2} at {3}, k{4} s{5} p{6}, {7}")
    @CsvSource({
            "conv, 3, 16, 16, 4, 2, 1, FP32", "conv, 3, 16, 16, 4, 2, 1, BF16",
            "conv, 32, 48, 8, 4, 2, 1, FP32", "conv, 32, 48, 8, 4, 2, 1, BF16",
            "conv, 64, 1, 4, 4, 1, 0, FP32", "conv, 64, 1, 4, 4, 1, 0, BF16",
            "deconv, 48, 32, 4, 4, 2, 1, FP32", "deconv, 48, 32, 4, 4, 2, 1, BF16",
            "deconv, 16, 3, 8, 4, 2, 1, FP32", "deconv, 16, 3, 8, 4, 2, 1, BF16",
            "deconv, 20, 64, 1, 4, 1, 0, FP32", "deconv, 20, 64, 1, 4, 1, 0, BF16",
    })
    void matchesLibnd4j(String kind, int in, int out, int side, int k, int s, int p, DnnlConvolution.Precision precision) {
        if (precision == DnnlConvolution.Precision.BF16) {
            String why = DnnlConvolution.bf16Unsupported();
            Assumptions.assumeTrue(why == null, why);
        }
        boolean transposed = kind.equals("deconv");
        int batch = 5;
        Nd4j.getRandom().setSeed(1616);
        INDArray x = Nd4j.randn(DataType.FLOAT, batch, in, side, side);
        long[] wShape = transposed ? new long[]{in, out, k, k} : new long[]{out, in, k, k};
        long wLen = (long) in * out * k * k;
        INDArray flat = Nd4j.randn(DataType.FLOAT, 1, wLen + 7).muli(1.0 / Math.sqrt(in * k * k));
        INDArray w = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(7, 7 + wLen)).reshape('c', wShape);
        INDArray flatGrad = Nd4j.zeros(DataType.FLOAT, 1, wLen + 3);
        INDArray gw = flatGrad.get(NDArrayIndex.point(0), NDArrayIndex.interval(3, 3 + wLen)).reshape('c', wShape);
        assertTrue(w.isView() && gw.isView());

        try (DnnlConvolution conv = new DnnlConvolution(transposed, x.shape(), wShape, k, s, p, precision)) {
            long[] yShape = conv.outputShape();
            INDArray g = Nd4j.randn(DataType.FLOAT, yShape);
            INDArray[] ref = reference(transposed, x, w, g, k, s, p);
            assertEquals(java.util.Arrays.toString(ref[0].shape()), java.util.Arrays.toString(yShape));

            INDArray y = Nd4j.createUninitialized(DataType.FLOAT, yShape);
            INDArray gx = Nd4j.createUninitialized(DataType.FLOAT, x.shape());
            conv.forward(x, w, y);
            conv.backward(x, w, g, gx, gw);
            double tolerance = precision == DnnlConvolution.Precision.FP32 ? 1e-5 : 1e-2;
            String what = conv.implementation();
            assertClose(ref[0], y, tolerance, "output, " + what);
            assertClose(ref[1], gx, tolerance, "input gradient, " + what);
            assertClose(ref[2], gw, tolerance, "weight gradient, " + what);
            // the flat gradient's entries around the view are untouched
            assertEquals(0.0, flatGrad.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, 3)).sumNumber().doubleValue());

            // each gradient alone gives the same, and a second call the same again (no state carried over)
            INDArray gx2 = Nd4j.createUninitialized(DataType.FLOAT, x.shape());
            INDArray gw2 = Nd4j.createUninitialized(DataType.FLOAT, wShape);
            conv.backwardData(w, g, gx2);
            conv.backwardWeights(x, g, gw2);
            assertEquals(gx, gx2);
            assertEquals(gw, gw2);

            if (precision == DnnlConvolution.Precision.BF16) {
                // bf16 kernels = bf16 inputs, exact products, float32 sums: libnd4j's fp32 ops on the
                // bf16-rounded inputs give the same to float32 rounding
                INDArray[] rounded = reference(transposed, bf16(x), bf16(w), bf16(g), k, s, p);
                assertClose(rounded[0], y, 1e-5, "output against fp32 on bf16-rounded inputs, " + what);
                assertClose(rounded[1], gx, 1e-5, "input gradient against fp32 on bf16-rounded inputs, " + what);
                assertClose(rounded[2], gw, 1e-5, "weight gradient against fp32 on bf16-rounded inputs, " + what);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void refusesArraysOfTheWrongShapeOrType() {
        try (DnnlConvolution conv = new DnnlConvolution(false, new long[]{2, 3, 8, 8}, new long[]{4, 3, 4, 4}, 4, 2, 1,
                DnnlConvolution.Precision.FP32)) {
            INDArray w = Nd4j.zeros(DataType.FLOAT, 4, 3, 4, 4);
            INDArray y = Nd4j.zeros(DataType.FLOAT, 2, 4, 4, 4);
            assertThrows(IllegalArgumentException.class, () -> conv.forward(Nd4j.zeros(DataType.FLOAT, 2, 3, 6, 6), w, y));
            assertThrows(IllegalArgumentException.class, () -> conv.forward(Nd4j.zeros(DataType.DOUBLE, 2, 3, 8, 8), w, y));
            INDArray notContiguous = Nd4j.zeros(DataType.FLOAT, 2, 3, 8, 8).permute(0, 1, 3, 2);
            assertThrows(IllegalArgumentException.class, () -> conv.forward(notContiguous, w, y));
        }
    }

    private static INDArray bf16(INDArray a) {
        return a.castTo(DataType.BFLOAT16).castTo(DataType.FLOAT);
    }

    private static void assertClose(INDArray expected, INDArray got, double tolerance, String what) {
        double rel = got.sub(expected).norm2Number().doubleValue() / expected.norm2Number().doubleValue();
        assertTrue(rel < tolerance, what + ": relative error " + rel + " >= " + tolerance);
    }

    /** libnd4j's output, input gradient and weight gradient (weights in DL4J's layout). */
    static INDArray[] reference(boolean transposed, INDArray x, INDArray w, INDArray g, int k, int s, int p) {
        INDArray opW = transposed ? w.permute(2, 3, 1, 0) : w;
        int[] args = transposed ? new int[]{k, k, s, s, p, p, 1, 1, 0, 0} : new int[]{k, k, s, s, p, p, 1, 1, 0, 0, 1};
        INDArray y = Nd4j.createUninitialized(DataType.FLOAT, g.shape());
        Nd4j.exec(DynamicCustomOp.builder(transposed ? "deconv2d" : "conv2d").addInputs(x, opW).addOutputs(y)
                .addIntegerArguments(args).build());
        INDArray gx = Nd4j.createUninitialized(DataType.FLOAT, x.shape());
        INDArray gw = Nd4j.createUninitialized(DataType.FLOAT, w.shape());
        Nd4j.exec(DynamicCustomOp.builder(transposed ? "deconv2d_bp" : "conv2d_bp").addInputs(x, opW, g)
                .addOutputs(gx, transposed ? gw.permute(2, 3, 1, 0) : gw).addIntegerArguments(args).build());
        return new INDArray[]{y, gx, gw};
    }
}
