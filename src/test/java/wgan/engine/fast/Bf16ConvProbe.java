package wgan.engine.fast;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Research probe for issue 16 (not a test): runs libnd4j's conv2d, conv2d_bp, deconv2d and
 * deconv2d_bp at the statefarm-64 layer shapes in float32 and in bfloat16, prints the relative
 * error of bf16 against fp32 and the median time of each. Usage:
 * {@code Bf16ConvProbe <op|all> <layer index|all> <reps> [bf16-output-type: bf16|fp32]}.
 * Run with ONEDNN_VERBOSE=1 (or DNNL_VERBOSE=1) to see which oneDNN primitives execute.
 * Results: docs/PERFORMANCE-bf16.md.
 */
public final class Bf16ConvProbe {
    /** Critic convolutions (k4 s2 p1, batch 64): in channels, out channels, input side. */
    static final int[][] CRITIC = {{3, 64, 64}, {64, 128, 32}, {128, 256, 16}, {256, 512, 8}};
    /** Generator transposed convolutions (k4 s2 p1): in channels, out channels, input side. */
    static final int[][] GENERATOR = {{512, 256, 4}, {256, 128, 8}, {128, 64, 16}, {64, 3, 32}};
    static final int BATCH = 64;

    public static void main(String[] args) {
        String which = args.length > 0 ? args[0] : "all";
        String layer = args.length > 1 ? args[1] : "all";
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        DataType bf16Out = args.length > 3 && args[3].equals("fp32") ? DataType.FLOAT : DataType.BFLOAT16;
        System.out.println("backend: " + Nd4j.getExecutioner().getEnvironmentInformation().get("blas.vendor")
                + ", helpers allowed " + Nd4j.getEnvironment().helpersAllowed() + ", threads "
                + Nd4j.getEnvironment().maxThreads());
        Nd4j.getRandom().setSeed(16);
        for (String op : List.of("conv2d", "conv2d_bp", "deconv2d", "deconv2d_bp")) {
            if (!which.equals("all") && !which.equals(op)) {
                continue;
            }
            int[][] shapes = op.startsWith("deconv") ? GENERATOR : CRITIC;
            for (int l = 0; l < shapes.length; l++) {
                if (!layer.equals("all") && Integer.parseInt(layer) != l) {
                    continue;
                }
                run(op, l, shapes[l], reps, bf16Out);
            }
        }
    }

    private static void run(String op, int l, int[] s, int reps, DataType bf16Out) {
        boolean transposed = op.startsWith("deconv");
        int in = s[0], out = s[1], side = s[2];
        int outSide = transposed ? 2 * side : side / 2;
        INDArray x = Nd4j.randn(DataType.FLOAT, BATCH, in, side, side);
        // conv: [oC, iC, kH, kW] (wFormat 1); deconv: DL4J's [iC, oC, kH, kW] permuted to libnd4j's [kH, kW, oC, iC]
        INDArray w = Nd4j.randn(DataType.FLOAT, transposed ? new long[]{in, out, 4, 4} : new long[]{out, in, 4, 4})
                .muli(1.0 / Math.sqrt(in * 16.0));
        INDArray gOut = Nd4j.randn(DataType.FLOAT, BATCH, out, outSide, outSide);
        INDArray[] ref = exec(op, x, w, gOut, DataType.FLOAT);
        double tRef = time(op, x, w, gOut, DataType.FLOAT, reps);
        INDArray xb = x.castTo(DataType.BFLOAT16), wb = w.castTo(DataType.BFLOAT16), gb = gOut.castTo(DataType.BFLOAT16);
        long t0 = CPU.getProcessCpuTime();
        INDArray[] got = exec(op, xb, wb, gb, bf16Out);
        double first = (CPU.getProcessCpuTime() - t0) / 1e6;
        double tBf = reps > 1 ? time(op, xb, wb, gb, bf16Out, reps) : first;
        StringBuilder err = new StringBuilder();
        for (int i = 0; i < ref.length; i++) {
            INDArray g = got[i].castTo(DataType.FLOAT);
            double rel = g.sub(ref[i]).norm2Number().doubleValue() / ref[i].norm2Number().doubleValue();
            err.append(String.format(" rel.err[%d]=%.2e", i, rel));
        }
        double flops = 2.0 * BATCH * out * in * 16 * (transposed ? side * side : outSide * outSide)
                * (op.endsWith("_bp") ? 2 : 1);
        System.out.printf("%-11s layer %d %3d->%3d %2dx%-2d  fp32 %8.2f cpu-ms (%5.0f GFLOP/cpu-s)  bf16(out %s) %8.2f cpu-ms (%5.0f GFLOP/cpu-s) ratio %.2f%s%n",
                op, l, in, out, side, side, tRef, flops / tRef / 1e6, bf16Out, tBf, flops / tBf / 1e6, tRef / tBf, err);
    }

    /**
     * Median of the process CPU time per call, in ms (wall time is printed too). The machine is
     * shared and this runs at nice 19: CPU time is what the op costs, wall time what it waited.
     */
    private static double time(String op, INDArray x, INDArray w, INDArray g, DataType outType, int reps) {
        exec(op, x, w, g, outType); // warm-up
        double[] t = new double[reps];
        double[] wall = new double[reps];
        for (int r = 0; r < reps; r++) {
            long c0 = CPU.getProcessCpuTime();
            long t0 = System.nanoTime();
            for (INDArray a : exec(op, x, w, g, outType)) {
                a.close();
            }
            wall[r] = (System.nanoTime() - t0) / 1e6;
            t[r] = (CPU.getProcessCpuTime() - c0) / 1e6;
        }
        Arrays.sort(t);
        Arrays.sort(wall);
        System.out.printf("    %s %s: cpu ms %s, wall ms %s%n", op, x.dataType(), Arrays.toString(round(t)), Arrays.toString(round(wall)));
        return t[reps / 2];
    }

    private static long[] round(double[] v) {
        long[] r = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = Math.round(v[i]);
        }
        return r;
    }

    private static final com.sun.management.OperatingSystemMXBean CPU =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    static INDArray[] exec(String op, INDArray x, INDArray w, INDArray gOut, DataType outType) {
        boolean transposed = op.startsWith("deconv");
        INDArray opW = transposed ? w.permute(2, 3, 1, 0) : w;
        int[] iargs = transposed ? new int[]{4, 4, 2, 2, 1, 1, 1, 1, 0, 0} : new int[]{4, 4, 2, 2, 1, 1, 1, 1, 0, 0, 1};
        List<INDArray> outs = new ArrayList<>();
        DynamicCustomOp.DynamicCustomOpsBuilder b = DynamicCustomOp.builder(op).addIntegerArguments(iargs);
        if (op.endsWith("_bp")) {
            INDArray gIn = Nd4j.createUninitialized(outType, x.shape());
            INDArray gW = Nd4j.createUninitialized(outType, w.shape());
            outs.add(gIn);
            outs.add(gW);
            b.addInputs(x, opW, gOut).addOutputs(gIn, transposed ? gW.permute(2, 3, 1, 0) : gW);
        } else {
            INDArray y = Nd4j.createUninitialized(outType, gOut.shape());
            outs.add(y);
            b.addInputs(x, opW).addOutputs(y);
        }
        Nd4j.exec(b.build());
        return outs.toArray(new INDArray[0]);
    }
}
