package wgan.engine.fast;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.deconvolution_backward_data;
import org.bytedeco.dnnl.deconvolution_backward_weights;
import org.bytedeco.dnnl.deconvolution_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.primitive_desc_base;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

/**
 * One convolution layer (plain or transposed, no bias, square kernel) on oneDNN 2.5's own
 * primitives ({@code org.bytedeco:dnnl}), created once for one input shape: forward_training,
 * backward_data and backward_weights, in the formats oneDNN chooses ({@code format_tag::any}).
 * The caller's arrays stay float32 in DL4J's layouts (activations NCHW; weights [oC, iC, kH, kW],
 * or [iC, oC, kH, kW] for a transposed convolution, i.e. oneDNN's OIHW and IOHW): each call points
 * oneDNN memory at their buffers and reorders them into (and the results out of) the kernels'
 * formats. In {@link Precision#BF16} those reorders are the casts: src, weights and diff_dst are
 * bfloat16 for the kernels, every result (dst, diff_src, diff_weights) is float32, so master
 * weights, their gradients and every activation the engine keeps remain float32.
 *
 * <p>Measured against libnd4j's per-call conv2d/deconv2d ops in docs/PERFORMANCE-bf16.md
 * ("oneDNN 2.5.2 through JavaCPP: measured"). Not thread-safe: one stream, used by the caller's thread.
 */
public final class DnnlConvolution implements AutoCloseable {
    /** What the kernels compute in. */
    public enum Precision { FP32, BF16 }

    private static engine cpu;
    private static stream stream;

    private final Precision precision;
    private final long[] inputShape;
    private final long[] weightShape;
    private final long[] outputShape;
    private final primitive fwd;
    private final primitive bwdData;
    private final primitive bwdWeights;
    private final IntMemoryMap fwdArgs = new IntMemoryMap();
    private final IntMemoryMap dataArgs = new IntMemoryMap();
    private final IntMemoryMap weightArgs = new IntMemoryMap();
    /** The arrays' side (float32, DL4J layouts) and the kernels' side of every argument. */
    private final Port fwdSrc, fwdWeights, fwdDst, dataWeights, dataDiffDst, dataDiffSrc, weightSrc, weightDiffDst, weightDiff;
    private final List<Pointer> owned = new ArrayList<>();
    private final String implementation;

    /**
     * @param inputShape  [n, c, h, w] of the input
     * @param weightShape DL4J's: [oC, iC, k, k] for a convolution, [iC, oC, k, k] for a transposed one
     */
    public DnnlConvolution(boolean transposed, long[] inputShape, long[] weightShape, int kernel, int stride, int pad,
                           Precision precision) {
        if (inputShape.length != 4 || weightShape.length != 4 || weightShape[2] != kernel || weightShape[3] != kernel) {
            throw new IllegalArgumentException("input " + Arrays.toString(inputShape) + ", weights " + Arrays.toString(weightShape)
                    + ", kernel " + kernel);
        }
        long inC = transposed ? weightShape[0] : weightShape[1];
        long outC = transposed ? weightShape[1] : weightShape[0];
        if (inputShape[1] != inC) {
            throw new IllegalArgumentException("input " + Arrays.toString(inputShape) + " has " + inputShape[1]
                    + " channels, the weights " + Arrays.toString(weightShape) + " take " + inC);
        }
        this.precision = precision;
        this.inputShape = inputShape.clone();
        this.weightShape = weightShape.clone();
        long h = inputShape[2], w = inputShape[3];
        long oh = transposed ? stride * (h - 1) + kernel - 2L * pad : (h + 2L * pad - kernel) / stride + 1;
        long ow = transposed ? stride * (w - 1) + kernel - 2L * pad : (w + 2L * pad - kernel) / stride + 1;
        this.outputShape = new long[]{inputShape[0], outC, oh, ow};
        // oneDNN's right padding, from the sizes (DL4J's truncate mode): conv out = (in + pl + pr - k) / s + 1,
        // transposed out = (in - 1) s + k - pl - pr
        long padRh = transposed ? (h - 1) * stride + kernel - pad - oh : (oh - 1) * stride + kernel - h - pad;
        long padRw = transposed ? (w - 1) * stride + kernel - pad - ow : (ow - 1) * stride + kernel - w - pad;
        long[] strides = {stride, stride}, padL = {pad, pad}, padR = {padRh, padRw};
        long[] wDims = {outC, inC, kernel, kernel}; // oneDNN's weight dims, whatever the layout

        engine eng = engine();
        memory.data_type f32 = memory.data_type.f32;
        memory.data_type low = precision == Precision.BF16 ? memory.data_type.bf16 : f32;
        memory.format_tag any = memory.format_tag.any;
        memory.desc src = desc(inputShape, low, any), wei = desc(wDims, low, any), dst = desc(outputShape, f32, any);
        memory.desc diffDst = desc(outputShape, low, any), diffSrc = desc(inputShape, f32, any);
        memory.desc diffWei = desc(wDims, f32, any);
        primitive_desc_base pf, pd, pw;
        if (transposed) {
            dnnl.algorithm alg = dnnl.algorithm.deconvolution_direct;
            deconvolution_forward.primitive_desc f = new deconvolution_forward.primitive_desc(new deconvolution_forward.desc(
                    dnnl.prop_kind.forward_training, alg, src, wei, dst, strides, padL, padR), eng);
            deconvolution_backward_data.primitive_desc d = new deconvolution_backward_data.primitive_desc(
                    new deconvolution_backward_data.desc(alg, diffSrc, wei, diffDst, strides, padL, padR), eng, f);
            deconvolution_backward_weights.primitive_desc g = new deconvolution_backward_weights.primitive_desc(
                    new deconvolution_backward_weights.desc(alg, src, diffWei, diffDst, strides, padL, padR), eng, f);
            pf = own(f);
            pd = own(d);
            pw = own(g);
            fwd = own(new deconvolution_forward(f));
            bwdData = own(new deconvolution_backward_data(d));
            bwdWeights = own(new deconvolution_backward_weights(g));
        } else {
            dnnl.algorithm alg = dnnl.algorithm.convolution_direct;
            convolution_forward.primitive_desc f = new convolution_forward.primitive_desc(new convolution_forward.desc(
                    dnnl.prop_kind.forward_training, alg, src, wei, dst, strides, padL, padR), eng);
            convolution_backward_data.primitive_desc d = new convolution_backward_data.primitive_desc(
                    new convolution_backward_data.desc(alg, diffSrc, wei, diffDst, strides, padL, padR), eng, f);
            convolution_backward_weights.primitive_desc g = new convolution_backward_weights.primitive_desc(
                    new convolution_backward_weights.desc(alg, src, diffWei, diffDst, strides, padL, padR), eng, f);
            pf = own(f);
            pd = own(d);
            pw = own(g);
            fwd = own(new convolution_forward(f));
            bwdData = own(new convolution_backward_data(d));
            bwdWeights = own(new convolution_backward_weights(g));
        }
        implementation = pf.impl_info_str().getString() + " / " + pd.impl_info_str().getString() + " / "
                + pw.impl_info_str().getString();
        memory.format_tag act = memory.format_tag.nchw;
        memory.format_tag wTag = transposed ? memory.format_tag.iohw : memory.format_tag.oihw;
        fwdSrc = new Port(pf.src_desc(), desc(inputShape, f32, act), true);
        fwdWeights = new Port(pf.weights_desc(), desc(wDims, f32, wTag), true);
        fwdDst = new Port(pf.dst_desc(), desc(outputShape, f32, act), false);
        fwdArgs.put(DNNL_ARG_SRC, fwdSrc.kernel).put(DNNL_ARG_WEIGHTS, fwdWeights.kernel).put(DNNL_ARG_DST, fwdDst.kernel);
        dataWeights = new Port(pd.weights_desc(), desc(wDims, f32, wTag), true);
        dataDiffDst = new Port(pd.diff_dst_desc(), desc(outputShape, f32, act), true);
        dataDiffSrc = new Port(pd.diff_src_desc(), desc(inputShape, f32, act), false);
        dataArgs.put(DNNL_ARG_WEIGHTS, dataWeights.kernel).put(DNNL_ARG_DIFF_DST, dataDiffDst.kernel)
                .put(DNNL_ARG_DIFF_SRC, dataDiffSrc.kernel);
        weightSrc = new Port(pw.src_desc(), desc(inputShape, f32, act), true);
        weightDiffDst = new Port(pw.diff_dst_desc(), desc(outputShape, f32, act), true);
        weightDiff = new Port(pw.diff_weights_desc(), desc(wDims, f32, wTag), false);
        weightArgs.put(DNNL_ARG_SRC, weightSrc.kernel).put(DNNL_ARG_DIFF_DST, weightDiffDst.kernel)
                .put(DNNL_ARG_DIFF_WEIGHTS, weightDiff.kernel);
    }

    /** The CPU engine and stream, made on first use (loads oneDNN's natives). */
    private static synchronized engine engine() {
        if (cpu == null) {
            cpu = new engine(engine.kind.cpu, 0);
            stream = new stream(cpu);
        }
        return cpu;
    }

    /**
     * Whether oneDNN runs bfloat16 convolutions natively here (AVX512-BF16 or AMX): null if so, else
     * why not, in one line. Loads oneDNN's natives; a platform without them answers with the reason.
     */
    public static String bf16Unsupported() {
        String unavailable = unavailable();
        if (unavailable != null) {
            return unavailable;
        }
        dnnl.cpu_isa isa = dnnl.get_effective_cpu_isa();
        int bf16 = dnnl.cpu_isa.avx512_core_bf16.value; // oneDNN's ISA values are bit sets: AMX includes it
        if ((isa.value & bf16) == bf16) {
            return null;
        }
        return "this CPU has no native bfloat16 arithmetic (AVX512-BF16 or AMX-BF16; oneDNN's best ISA here is "
                + isa + ")";
    }

    /**
     * Whether oneDNN's natives load here: null if so, else why not, in one line (the build leaves
     * them out where org.bytedeco:dnnl has none, as on macosx-arm64).
     */
    public static String unavailable() {
        try {
            engine();
            return null;
        } catch (Throwable e) { // UnsatisfiedLinkError, NoClassDefFoundError: no oneDNN natives for this platform
            return "oneDNN's natives (org.bytedeco:dnnl) are not available on this platform (" + e + ")";
        }
    }

    /** oneDNN's implementations of the forward / backward-data / backward-weights primitives. */
    public String implementation() {
        return implementation;
    }

    public Precision precision() {
        return precision;
    }

    public long[] inputShape() {
        return inputShape.clone();
    }

    public long[] outputShape() {
        return outputShape.clone();
    }

    /** output := conv(input, weights). */
    public void forward(INDArray input, INDArray weights, INDArray output) {
        run(fwd, fwdArgs, fwdSrc, input, inputShape, "input", fwdWeights, weights, weightShape, "weights",
                fwdDst, output, outputShape, "output");
    }

    /** inputGradient := the gradient with respect to the input, given the output's. */
    public void backwardData(INDArray weights, INDArray outputGradient, INDArray inputGradient) {
        run(bwdData, dataArgs, dataWeights, weights, weightShape, "weights", dataDiffDst, outputGradient, outputShape,
                "output gradient", dataDiffSrc, inputGradient, inputShape, "input gradient");
    }

    /** weightGradient := the gradient with respect to the weights (overwritten, not accumulated). */
    public void backwardWeights(INDArray input, INDArray outputGradient, INDArray weightGradient) {
        run(bwdWeights, weightArgs, weightSrc, input, inputShape, "input", weightDiffDst, outputGradient, outputShape,
                "output gradient", weightDiff, weightGradient, weightShape, "weight gradient");
    }

    /** Every pass: two arrays into their ports, the result's port bound, the primitive run, the result out. */
    private void run(primitive pass, IntMemoryMap args, Port inA, INDArray a, long[] shapeA, String nameA,
                     Port inB, INDArray b, long[] shapeB, String nameB, Port result, INDArray r, long[] shapeR,
                     String nameR) {
        check(a, shapeA, nameA);
        check(b, shapeB, nameB);
        check(r, shapeR, nameR);
        inA.in(a);
        inB.in(b);
        result.bind(r);
        pass.execute(stream, args);
        result.out();
        stream._wait();
        // oneDNN holds raw addresses: ND4J frees an array's memory once the array is unreachable,
        // which the JIT may decide right after bind(), so the arrays must outlive the wait.
        Reference.reachabilityFence(a);
        Reference.reachabilityFence(b);
        Reference.reachabilityFence(r);
    }

    /** Both gradients, as libnd4j's conv2d_bp / deconv2d_bp. */
    public void backward(INDArray input, INDArray weights, INDArray outputGradient, INDArray inputGradient,
                         INDArray weightGradient) {
        backwardData(weights, outputGradient, inputGradient);
        backwardWeights(input, outputGradient, weightGradient);
    }

    private static void check(INDArray a, long[] shape, String what) {
        if (a.dataType() != DataType.FLOAT || !Arrays.equals(a.shape(), shape) || !contiguous(a)) {
            throw new IllegalArgumentException("oneDNN convolution: the " + what + " must be a contiguous (row-major) float32 array of shape "
                    + Arrays.toString(shape) + ", got " + a.dataType() + " " + Arrays.toString(a.shape()) + " '" + a.ordering()
                    + "' strides " + Arrays.toString(a.stride()));
        }
    }

    /** Row-major without gaps (dimensions of size 1 may carry any stride, as ND4J gives them). */
    private static boolean contiguous(INDArray a) {
        long expected = 1;
        for (int d = a.rank() - 1; d >= 0; d--) {
            if (a.size(d) != 1 && a.stride(d) != expected) {
                return false;
            }
            expected *= a.size(d);
        }
        return true;
    }

    private static memory.desc desc(long[] dims, memory.data_type type, memory.format_tag tag) {
        return new memory.desc(dims, type, tag);
    }

    private <T extends Pointer> T own(T p) {
        owned.add(p);
        return p;
    }

    /**
     * One argument: the caller's float32 array as oneDNN memory (its buffer set per call) and the
     * kernel's memory; the same memory when the kernel takes the array's own format and type,
     * else a reorder between the two (into the kernel for inputs, out of it for results).
     */
    private final class Port {
        final memory user;
        final memory kernel;
        final reorder reorder;
        final boolean input;

        Port(memory.desc kernelDesc, memory.desc userDesc, boolean input) {
            this.input = input;
            user = own(new memory(userDesc, engine(), new Pointer()));
            if (kernelDesc.equals(userDesc)) {
                kernel = user;
                reorder = null;
            } else {
                kernel = own(new memory(kernelDesc, engine()));
                reorder = own(input ? new reorder(user, kernel) : new reorder(kernel, user));
            }
        }

        void bind(INDArray a) {
            user.set_data_handle(a.data().addressPointer());
        }

        void in(INDArray a) {
            bind(a);
            if (reorder != null) {
                reorder.execute(stream, user, kernel);
            }
        }

        void out() {
            if (reorder != null) {
                reorder.execute(stream, kernel, user);
            }
        }
    }

    @Override
    public void close() {
        for (int i = owned.size() - 1; i >= 0; i--) {
            owned.get(i).close();
        }
        owned.clear();
    }
}
