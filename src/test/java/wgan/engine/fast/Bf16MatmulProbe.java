package wgan.engine.fast;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Research probe for issue 16 (not a test): libnd4j's matmul op in float32 and bfloat16 (its
 * oneDNN helper accepts bf16 x bf16 -> bf16) at the GEMM shapes of an im2col convolution of the
 * statefarm-64 critic and generator. Prints process CPU ms per call (mean) and the relative
 * error of bf16 against fp32. Usage: {@code Bf16MatmulProbe [reps]}. Results: docs/PERFORMANCE-bf16.md.
 */
public final class Bf16MatmulProbe {
    private static final com.sun.management.OperatingSystemMXBean CPU =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        // M, K, N: critic layer 1 and 3 forward (W x columns), generator layer 0 forward (W^T x input)
        long[][] shapes = {{128, 1024, 16384}, {512, 4096, 1024}, {4096, 512, 1024}};
        for (long[] s : shapes) {
            INDArray a = Nd4j.randn(DataType.FLOAT, s[0], s[1]);
            INDArray b = Nd4j.randn(DataType.FLOAT, s[1], s[2]);
            INDArray ref = Nd4j.create(DataType.FLOAT, s[0], s[2]);
            double tf = time(a, b, ref, reps);
            INDArray ab = a.castTo(DataType.BFLOAT16), bb = b.castTo(DataType.BFLOAT16);
            INDArray got = Nd4j.create(DataType.BFLOAT16, s[0], s[2]);
            double tb = time(ab, bb, got, reps);
            double rel = got.castTo(DataType.FLOAT).sub(ref).norm2Number().doubleValue() / ref.norm2Number().doubleValue();
            double gflop = 2.0 * s[0] * s[1] * s[2] / 1e9;
            System.out.printf("matmul %dx%dx%d: fp32 %.0f cpu-ms (%.0f GFLOP/cpu-s), bf16 %.0f cpu-ms (%.0f GFLOP/cpu-s), ratio %.2f, rel.err %.2e%n",
                    s[0], s[1], s[2], tf, gflop / tf * 1e3, tb, gflop / tb * 1e3, tf / tb, rel);
        }
    }

    private static double time(INDArray a, INDArray b, INDArray c, int reps) {
        exec(a, b, c);
        // the process CPU clock ticks in 10 ms here: the mean over all reps, not a median of ticks
        long c0 = CPU.getProcessCpuTime();
        for (int r = 0; r < reps; r++) {
            exec(a, b, c);
        }
        return (CPU.getProcessCpuTime() - c0) / 1e6 / reps;
    }

    private static void exec(INDArray a, INDArray b, INDArray c) {
        Nd4j.exec(DynamicCustomOp.builder("matmul").addInputs(a, b).addOutputs(c).build());
    }
}
