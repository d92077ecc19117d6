package wgan.engine.fast;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.deconvolution_backward_data;
import org.bytedeco.dnnl.deconvolution_backward_weights;
import org.bytedeco.dnnl.deconvolution_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.primitive_desc_base;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

/**
 * Research probe for issue 16 (not a test): oneDNN 2.5.2's own convolution primitives through
 * JavaCPP ({@code org.bytedeco:dnnl:2.5.2-1.5.7}), created once per layer shape, against libnd4j's
 * per-call {@code conv2d}/{@code conv2d_bp}/{@code deconv2d}/{@code deconv2d_bp} (what the fast
 * engine calls today), at the statefarm-64 layer shapes of {@link Bf16ConvProbe}, timed interleaved
 * in one process (wall clock, median). Configurations of the oneDNN primitives:
 * <ul>
 * <li>{@code f32-nchw}: fp32, memory fixed to the DL4J arrays' own NCHW / OIHW (IOHW for the
 * transposed convolution's [iC, oC, kH, kW] weights) layouts: no reorders at all;</li>
 * <li>{@code f32-any}: fp32, formats chosen by oneDNN ({@code format_tag::any});</li>
 * <li>{@code bf16-any}: bf16 src / weights / diff_dst, f32 dst / diff_src / diff_weights;</li>
 * <li>{@code bf16-anyB}: as bf16-any with bf16 dst and diff_src (diff_weights f32);</li>
 * <li>{@code hybrid}: as bf16-any, but the backward-weights primitive is the float32 one, fed from
 * the float32 arrays (oneDNN 2.x's bf16 backward-weights kernels are the slow ones).</li>
 * </ul>
 * For each, "exec" times the primitive alone (inputs already in its formats) and "full" adds the
 * reorders from and to the DL4J arrays' NCHW float32 memory (for bf16 these reorders are the casts).
 * Usage: {@code DnnlConvProbe [reps] [layer filter: all|c0..c3|g0..g3]}; DNNL's verbose output for
 * the first execution of each primitive is printed when the system property {@code dnnl.verbose}
 * is set. Results: docs/PERFORMANCE-bf16.md.
 */
public final class DnnlConvProbe {
    static final int BATCH = Bf16ConvProbe.BATCH;

    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        String filter = args.length > 1 ? args[1] : "all";
        System.out.println("nd4j: " + Nd4j.getExecutioner().getEnvironmentInformation().get("blas.vendor")
                + ", helpers allowed " + Nd4j.getEnvironment().helpersAllowed() + ", threads "
                + Nd4j.getEnvironment().maxThreads() + "; OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS")
                + " OMP_WAIT_POLICY=" + System.getenv("OMP_WAIT_POLICY"));
        engine eng = new engine(engine.kind.cpu, 0);
        stream s = new stream(eng);
        Nd4j.getRandom().setSeed(16);
        List<String> summary = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            int[][] shapes = t == 0 ? Bf16ConvProbe.CRITIC : Bf16ConvProbe.GENERATOR;
            for (int l = 0; l < shapes.length; l++) {
                String name = (t == 0 ? "c" : "g") + l;
                if (!filter.equals("all") && !filter.equals(name)) {
                    continue;
                }
                summary.add(layer(name, t == 1, shapes[l], reps, eng, s));
            }
        }
        System.out.println("\nlibraries mapped (libgomp copies, oneDNN copies):");
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            if (line.contains("gomp") || line.contains("dnnl") || line.contains("nd4jcpu") || line.contains("libtbb")) {
                String lib = line.substring(line.indexOf('/'));
                if (!summary.contains("  lib " + lib)) {
                    summary.add("  lib " + lib);
                }
            }
        }
        summary.forEach(System.out::println);
    }

    private static String layer(String name, boolean deconv, int[] sh, int reps, engine eng, stream s) {
        int in = sh[0], out = sh[1], side = sh[2];
        int outSide = deconv ? 2 * side : side / 2;
        INDArray x = Nd4j.randn(DataType.FLOAT, BATCH, in, side, side);
        // conv: [oC, iC, kH, kW]; deconv: DL4J's [iC, oC, kH, kW]
        INDArray w = Nd4j.randn(DataType.FLOAT, deconv ? new long[]{in, out, 4, 4} : new long[]{out, in, 4, 4})
                .muli(1.0 / Math.sqrt(in * 16.0));
        INDArray g = Nd4j.randn(DataType.FLOAT, BATCH, out, outSide, outSide);
        String fwdOp = deconv ? "deconv2d" : "conv2d";
        String bpOp = fwdOp + "_bp";
        INDArray[] refF = Bf16ConvProbe.exec(fwdOp, x, w, g, DataType.FLOAT);
        INDArray[] refB = Bf16ConvProbe.exec(bpOp, x, w, g, DataType.FLOAT);
        INDArray[] ref = {refF[0], refB[0], refB[1]};

        Map<String, Conv> convs = new LinkedHashMap<>();
        convs.put("f32-nchw", new Conv(eng, deconv, x, w, g, memory.data_type.f32, memory.data_type.f32, false));
        convs.put("f32-any", new Conv(eng, deconv, x, w, g, memory.data_type.f32, memory.data_type.f32, true));
        convs.put("bf16-any", new Conv(eng, deconv, x, w, g, memory.data_type.bf16, memory.data_type.f32, true));
        convs.put("bf16-anyB", new Conv(eng, deconv, x, w, g, memory.data_type.bf16, memory.data_type.bf16, true));
        convs.put("hybrid", new Conv(eng, deconv, x, w, g, memory.data_type.bf16, memory.data_type.f32, true, true));
        StringBuilder acc = new StringBuilder();
        boolean verbose = System.getProperty("dnnl.verbose") != null;
        for (Map.Entry<String, Conv> e : convs.entrySet()) {
            Conv c = e.getValue();
            if (verbose) {
                org.bytedeco.dnnl.global.dnnl.set_verbose(1);
            }
            c.fwdFull(s);
            c.bwdFull(s);
            if (verbose) {
                org.bytedeco.dnnl.global.dnnl.set_verbose(0);
            }
            INDArray[] got = {c.y, c.gx, c.gw};
            acc.append(String.format("    %-9s impl fwd %s, bwd-data %s, bwd-weights %s; rel.err y %.1e gx %.1e gw %.1e%n",
                    e.getKey(), c.implF, c.implD, c.implW, rel(got[0], ref[0]), rel(got[1], ref[1]), rel(got[2], ref[2])));
        }

        // the timed variants, run interleaved: one call of each per round
        Map<String, Runnable> v = new LinkedHashMap<>();
        v.put("nd4j fwd", () -> close(Bf16ConvProbe.exec(fwdOp, x, w, g, DataType.FLOAT)));
        v.put("nd4j bp", () -> close(Bf16ConvProbe.exec(bpOp, x, w, g, DataType.FLOAT)));
        for (Map.Entry<String, Conv> e : convs.entrySet()) {
            Conv c = e.getValue();
            String k = e.getKey();
            v.put(k + " fwd exec", () -> c.exec(c.fwd, c.fwdArgs, s));
            v.put(k + " bwd-data exec", () -> c.exec(c.bd, c.bdArgs, s));
            v.put(k + " bwd-weights exec", () -> c.exec(c.bw, c.bwArgs, s));
            if (!k.equals("f32-nchw")) {
                v.put(k + " fwd full", () -> c.fwdFull(s));
                v.put(k + " bwd full", () -> c.bwdFull(s));
            }
        }
        // a two-step cast of the input for the bf16 kernels: ND4J's cast in NCHW, then a bf16 reorder to the kernel's format
        Conv hy = convs.get("hybrid");
        INDArray xb = x.castTo(DataType.BFLOAT16);
        memory uXb = new memory(new memory.desc(x.shape(), memory.data_type.bf16, memory.format_tag.nchw), eng, xb.data().addressPointer());
        memory kXb = new memory(hy.srcKernel, eng);
        reorder rXb = new reorder(uXb, kXb);
        memory uX = new memory(new memory.desc(x.shape(), memory.data_type.f32, memory.format_tag.nchw), eng, x.data().addressPointer());
        reorder rX = new reorder(uX, kXb);
        v.put("cast x: nd4j castTo bf16", () -> x.castTo(DataType.BFLOAT16).close());
        v.put("cast x: bf16 nchw->kernel", () -> { rXb.execute(s, uXb, kXb); s._wait(); });
        v.put("cast x: f32 nchw->kernel", () -> { rX.execute(s, uX, kXb); s._wait(); });
        Map<String, double[]> times = new LinkedHashMap<>();
        v.keySet().forEach(k -> times.put(k, new double[reps]));
        int warm = 2;
        for (int r = -warm; r < reps; r++) {
            for (Map.Entry<String, Runnable> e : v.entrySet()) {
                long t0 = System.nanoTime();
                e.getValue().run();
                double ms = (System.nanoTime() - t0) / 1e6;
                if (r >= 0) {
                    times.get(e.getKey())[r] = ms;
                }
            }
        }
        double gflop = 2.0 * BATCH * out * in * 16 * (deconv ? side * side : outSide * outSide) / 1e9;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%s %s %d->%d %dx%d (%.2f GFLOP per pass), wall ms median of %d [min..max]%n",
                name, deconv ? "deconv" : "conv", in, out, side, side, gflop, reps));
        for (Map.Entry<String, double[]> e : times.entrySet()) {
            double[] t = e.getValue().clone();
            Arrays.sort(t);
            sb.append(String.format("    %-26s %8.2f  [%.1f..%.1f]%n", e.getKey(), t[reps / 2], t[0], t[reps - 1]));
        }
        sb.append(acc);
        System.out.print(sb);
        convs.values().forEach(Conv::close);
        rXb.close();
        rX.close();
        kXb.close();
        return sb.toString();
    }

    private static void close(INDArray[] a) {
        for (INDArray x : a) {
            x.close();
        }
    }

    static double rel(INDArray got, INDArray ref) {
        return got.sub(ref).norm2Number().doubleValue() / ref.norm2Number().doubleValue();
    }

    /** One layer's oneDNN primitives and memories, created once. */
    static final class Conv implements AutoCloseable {
        final INDArray y, gx, gw; // f32 results in the DL4J layouts
        final primitive fwd, bd, bw;
        final IntMemoryMap fwdArgs = new IntMemoryMap(), bdArgs = new IntMemoryMap(), bwArgs = new IntMemoryMap();
        final String implF, implD, implW;
        final memory.desc srcKernel;
        private final List<Runnable> fwdIn = new ArrayList<>(), fwdOut = new ArrayList<>();
        private final List<Runnable> bwdIn = new ArrayList<>(), bwdOut = new ArrayList<>();
        private final List<org.bytedeco.javacpp.Pointer> owned = new ArrayList<>();

        Conv(engine eng, boolean deconv, INDArray x, INDArray w, INDArray g, memory.data_type low,
                memory.data_type dstType, boolean any) {
            this(eng, deconv, x, w, g, low, dstType, any, false);
        }

        /** With f32Weights, the backward-weights primitive is the float32 one (from the float32 arrays) whatever low is. */
        Conv(engine eng, boolean deconv, INDArray x, INDArray w, INDArray g, memory.data_type low,
                memory.data_type dstType, boolean any, boolean f32Weights) {
            long[] xd = x.shape(), gd = g.shape();
            long[] wd = deconv ? new long[]{g.size(1), x.size(1), 4, 4} : w.shape(); // oneDNN dims: {oC, iC, kH, kW}
            memory.format_tag act = memory.format_tag.nchw;
            memory.format_tag wTag = deconv ? memory.format_tag.iohw : memory.format_tag.oihw;
            memory.format_tag ta = any ? memory.format_tag.any : act;
            memory.format_tag tw = any ? memory.format_tag.any : wTag;
            memory.desc src = new memory.desc(xd, low, ta), wei = new memory.desc(wd, low, tw);
            memory.desc dst = new memory.desc(gd, dstType, ta), ddst = new memory.desc(gd, low, ta);
            memory.desc dsrc = new memory.desc(xd, dstType, ta), dwei = new memory.desc(wd, memory.data_type.f32, tw);
            memory.data_type wl = f32Weights ? memory.data_type.f32 : low;
            memory.desc srcW = new memory.desc(xd, wl, ta), ddstW = new memory.desc(gd, wl, ta);
            memory.desc weiW = new memory.desc(wd, wl, tw), dstW = new memory.desc(gd, f32Weights ? memory.data_type.f32 : dstType, ta);
            long[] st = {2, 2}, pad = {1, 1};
            primitive_desc_base pf, pd, pw;
            if (deconv) {
                deconvolution_forward.primitive_desc f = new deconvolution_forward.primitive_desc(
                        new deconvolution_forward.desc(org.bytedeco.dnnl.global.dnnl.prop_kind.forward_training,
                                org.bytedeco.dnnl.global.dnnl.algorithm.deconvolution_direct, src, wei, dst, st, pad, pad), eng);
                pf = f;
                pd = new deconvolution_backward_data.primitive_desc(new deconvolution_backward_data.desc(
                        org.bytedeco.dnnl.global.dnnl.algorithm.deconvolution_direct, dsrc, wei, ddst, st, pad, pad), eng, f);
                deconvolution_forward.primitive_desc hint = !f32Weights ? f : new deconvolution_forward.primitive_desc(
                        new deconvolution_forward.desc(org.bytedeco.dnnl.global.dnnl.prop_kind.forward_training,
                                org.bytedeco.dnnl.global.dnnl.algorithm.deconvolution_direct, srcW, weiW, dstW, st, pad, pad), eng);
                pw = new deconvolution_backward_weights.primitive_desc(new deconvolution_backward_weights.desc(
                        org.bytedeco.dnnl.global.dnnl.algorithm.deconvolution_direct, srcW, dwei, ddstW, st, pad, pad), eng, hint);
                fwd = new deconvolution_forward((deconvolution_forward.primitive_desc) pf);
                bd = new deconvolution_backward_data((deconvolution_backward_data.primitive_desc) pd);
                bw = new deconvolution_backward_weights((deconvolution_backward_weights.primitive_desc) pw);
            } else {
                convolution_forward.primitive_desc f = new convolution_forward.primitive_desc(
                        new convolution_forward.desc(org.bytedeco.dnnl.global.dnnl.prop_kind.forward_training,
                                org.bytedeco.dnnl.global.dnnl.algorithm.convolution_direct, src, wei, dst, st, pad, pad), eng);
                pf = f;
                pd = new convolution_backward_data.primitive_desc(new convolution_backward_data.desc(
                        org.bytedeco.dnnl.global.dnnl.algorithm.convolution_direct, dsrc, wei, ddst, st, pad, pad), eng, f);
                convolution_forward.primitive_desc hint = !f32Weights ? f : new convolution_forward.primitive_desc(
                        new convolution_forward.desc(org.bytedeco.dnnl.global.dnnl.prop_kind.forward_training,
                                org.bytedeco.dnnl.global.dnnl.algorithm.convolution_direct, srcW, weiW, dstW, st, pad, pad), eng);
                pw = new convolution_backward_weights.primitive_desc(new convolution_backward_weights.desc(
                        org.bytedeco.dnnl.global.dnnl.algorithm.convolution_direct, srcW, dwei, ddstW, st, pad, pad), eng, hint);
                fwd = new convolution_forward((convolution_forward.primitive_desc) pf);
                bd = new convolution_backward_data((convolution_backward_data.primitive_desc) pd);
                bw = new convolution_backward_weights((convolution_backward_weights.primitive_desc) pw);
            }
            srcKernel = pf.src_desc();
            implF = pf.impl_info_str().getString();
            implD = pd.impl_info_str().getString();
            implW = pw.impl_info_str().getString();
            y = Nd4j.createUninitialized(DataType.FLOAT, gd);
            gx = Nd4j.createUninitialized(DataType.FLOAT, xd);
            gw = Nd4j.createUninitialized(DataType.FLOAT, w.shape());
            // the DL4J arrays as oneDNN memory (no copies)
            memory uX = user(xd, act, x, eng), uW = user(wd, wTag, w, eng), uG = user(gd, act, g, eng);
            memory uY = user(gd, act, y, eng), uGx = user(xd, act, gx, eng), uGw = user(wd, wTag, gw, eng);
            // forward: src, weights in; dst out
            memory mX = input(pf.src_desc(), uX, eng, fwdIn);
            memory mW = input(pf.weights_desc(), uW, eng, fwdIn);
            memory mY = output(pf.dst_desc(), uY, eng, fwdOut);
            fwdArgs.put(DNNL_ARG_SRC, mX).put(DNNL_ARG_WEIGHTS, mW).put(DNNL_ARG_DST, mY);
            // backward data: diff_dst, weights in (weights reused when the format matches); diff_src out
            memory mG = input(pd.diff_dst_desc(), uG, eng, bwdIn);
            memory mWd = pd.weights_desc().equals(pf.weights_desc()) ? mW : input(pd.weights_desc(), uW, eng, bwdIn);
            memory mGx = output(pd.diff_src_desc(), uGx, eng, bwdOut);
            bdArgs.put(DNNL_ARG_DIFF_DST, mG).put(DNNL_ARG_WEIGHTS, mWd).put(DNNL_ARG_DIFF_SRC, mGx);
            // backward weights: src, diff_dst in (reused when the format matches); diff_weights out
            memory mXw = pw.src_desc().equals(pf.src_desc()) ? mX : input(pw.src_desc(), uX, eng, bwdIn);
            memory mGw = pw.diff_dst_desc().equals(pd.diff_dst_desc()) ? mG : input(pw.diff_dst_desc(), uG, eng, bwdIn);
            memory mDw = output(pw.diff_weights_desc(), uGw, eng, bwdOut);
            bwArgs.put(DNNL_ARG_SRC, mXw).put(DNNL_ARG_DIFF_DST, mGw).put(DNNL_ARG_DIFF_WEIGHTS, mDw);
            streamForReorders = new stream(eng);
        }

        private final stream streamForReorders;

        private memory user(long[] dims, memory.format_tag tag, INDArray a, engine eng) {
            memory m = new memory(new memory.desc(dims, memory.data_type.f32, tag), eng, a.data().addressPointer());
            owned.add(m);
            return m;
        }

        /** The kernel's memory for an input: the user's own when the formats match, else a reorder into a new one. */
        private memory input(memory.desc want, memory user, engine eng, List<Runnable> reorders) {
            if (want.equals(user.get_desc())) {
                return user;
            }
            memory m = new memory(want, eng);
            reorder r = new reorder(user, m);
            owned.add(m);
            owned.add(r);
            reorders.add(() -> r.execute(streamForReorders, user, m));
            return m;
        }

        private memory output(memory.desc want, memory user, engine eng, List<Runnable> reorders) {
            if (want.equals(user.get_desc())) {
                return user;
            }
            memory m = new memory(want, eng);
            reorder r = new reorder(m, user);
            owned.add(m);
            owned.add(r);
            reorders.add(() -> r.execute(streamForReorders, m, user));
            return m;
        }

        void exec(primitive p, IntMemoryMap args, stream s) {
            p.execute(s, args);
            s._wait();
        }

        /** Reorders in, forward, reorder out. */
        void fwdFull(stream s) {
            fwdIn.forEach(Runnable::run);
            exec(fwd, fwdArgs, s);
            fwdOut.forEach(Runnable::run);
            streamForReorders._wait();
        }

        /** Reorders in (diff_dst; src and weights when the backward kernels want other formats than the forward's), both backward passes, reorders out. */
        void bwdFull(stream s) {
            bwdIn.forEach(Runnable::run);
            exec(bd, bdArgs, s);
            exec(bw, bwArgs, s);
            bwdOut.forEach(Runnable::run);
            streamForReorders._wait();
        }

        @Override
        public void close() {
            for (org.bytedeco.javacpp.Pointer p : owned) {
                p.close();
            }
            fwd.close();
            bd.close();
            bw.close();
        }
    }
}
