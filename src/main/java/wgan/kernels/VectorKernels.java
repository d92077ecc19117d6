package wgan.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * BatchNorm and activation kernels fused over NCHW float arrays in ND4J's CPU memory, written with
 * Java's Vector API (the CPU's widest vectors: AVX-512 here). Each replaces several libnd4j ops,
 * each a full pass over memory: the backward of LeakyReLU plus BatchNorm's two channel sums, for
 * one, read the arrays once here instead of about seven times (docs/PERFORMANCE.md).
 *
 * <p>Activation: y = v > 0 ? v : slope * v, computed as max(v, slope * v) (slope 0.2: LeakyReLU,
 * as {@link wgan.model.LeakyRelu}; slope 0: ReLU, as max(v, 0)).
 *
 * <p>Arrays are contiguous, C order, at offset 0 of their buffer. Work is split over the batch
 * into {@link Parallel}'s fixed ranges and per-channel sums are combined in range order, so a
 * result is the same on every run with the same thread count.
 */
public final class VectorKernels {
    /**
     * The CPU's preferred width, or a narrower one named by the system property wgan.vector.bits
     * (128 or 256: tests run the kernels at arm64's and AVX2's widths on a wider CPU). Read once:
     * a static final species is a constant to the JIT, so choosing it costs nothing per call.
     */
    public static final String BITS_PROPERTY = "wgan.vector.bits";
    private static final VectorSpecies<Float> SPECIES = species(Integer.getInteger(BITS_PROPERTY, 0));
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final int LANES = SPECIES.length();

    private VectorKernels() {
    }

    private static VectorSpecies<Float> species(int bits) {
        VectorSpecies<Float> preferred = FloatVector.SPECIES_PREFERRED;
        if (bits == 0) {
            return preferred;
        }
        if (bits > preferred.vectorBitSize()) {
            throw new IllegalArgumentException(BITS_PROPERTY + "=" + bits + ": wider than this CPU's "
                    + preferred.vectorBitSize() + "-bit vectors");
        }
        return VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
    }

    /** Floats per vector in the kernels: 16 at 512 bits, 8 at 256, 4 at 128. */
    public static int lanes() {
        return LANES;
    }

    /** Per-channel mean and biased variance (two passes: sums, then squared deviations). */
    public static void moments(Parallel parallel, INDArray x, float[] mean, float[] var) {
        Dims d = Dims.of(x);
        ByteBuffer xb = bytes(x);
        double[] sums = parallel.sumOverRanges(d.batch, d.channels, (n0, n1, acc) -> {
            for (int n = n0; n < n1; n++) {
                for (int c = 0; c < d.channels; c++) {
                    acc[c] += sum(xb, d.slice(n, c), d.positions);
                }
            }
        });
        double count = (double) d.batch * d.positions;
        for (int c = 0; c < d.channels; c++) {
            mean[c] = (float) (sums[c] / count);
        }
        double[] squares = parallel.sumOverRanges(d.batch, d.channels, (n0, n1, acc) -> {
            for (int n = n0; n < n1; n++) {
                for (int c = 0; c < d.channels; c++) {
                    acc[c] += squaredDeviations(xb, d.slice(n, c), d.positions, mean[c]);
                }
            }
        });
        for (int c = 0; c < d.channels; c++) {
            var[c] = (float) (squares[c] / count);
        }
        keepAlive(x);
    }

    /** out = act((x - mean) * scale + beta) per channel, scale = gamma / sqrt(var + eps). */
    public static void normalizeActivate(Parallel parallel, INDArray x, float[] mean, float[] scale, float[] beta,
                                  float slope, INDArray out) {
        Dims d = Dims.of(x);
        ByteBuffer xb = bytes(x);
        ByteBuffer ob = bytes(out);
        parallel.forRanges(d.batch, (n0, n1) -> {
            for (int n = n0; n < n1; n++) {
                for (int c = 0; c < d.channels; c++) {
                    normalizeActivateSlice(xb, ob, d.slice(n, c), d.positions, mean[c], scale[c], beta[c], slope);
                }
            }
        });
        keepAlive(x, out);
    }

    /** out = act(x), elementwise over any plain float array. */
    public static void activate(Parallel parallel, INDArray x, float slope, INDArray out) {
        int length = plainLength(x, out);
        ByteBuffer xb = bytes(x);
        ByteBuffer ob = bytes(out);
        parallel.forRanges(chunks(length), (k0, k1) -> {
            FloatVector zero = FloatVector.zero(SPECIES);
            boolean relu = slope == 0f;
            int end = Math.min(length, k1 * CHUNK);
            int i = k0 * CHUNK;
            for (; i <= end - LANES; i += LANES) {
                FloatVector v = FloatVector.fromByteBuffer(SPECIES, xb, i * 4, ORDER);
                v.max(relu ? zero : v.mul(slope)).intoByteBuffer(ob, i * 4, ORDER);
            }
            for (; i < end; i++) {
                float v = xb.getFloat(i * 4);
                ob.putFloat(i * 4, Math.max(v, relu ? 0f : v * slope));
            }
        });
        keepAlive(x, out);
    }

    /** g := g * act'(y) in place, elementwise; y is the activation's output (its input's sign). */
    public static void activationBackward(Parallel parallel, INDArray g, INDArray y, float slope) {
        int length = plainLength(g, y);
        ByteBuffer gb = bytes(g);
        ByteBuffer yb = bytes(y);
        parallel.forRanges(chunks(length), (k0, k1) -> {
            int end = Math.min(length, k1 * CHUNK);
            int i = k0 * CHUNK;
            for (; i <= end - LANES; i += LANES) {
                FloatVector gv = FloatVector.fromByteBuffer(SPECIES, gb, i * 4, ORDER);
                VectorMask<Float> inactive = FloatVector.fromByteBuffer(SPECIES, yb, i * 4, ORDER)
                        .compare(VectorOperators.LE, 0f);
                gv.blend(gv.mul(slope), inactive).intoByteBuffer(gb, i * 4, ORDER);
            }
            for (; i < end; i++) {
                if (yb.getFloat(i * 4) <= 0f) {
                    gb.putFloat(i * 4, gb.getFloat(i * 4) * slope);
                }
            }
        });
        keepAlive(g, y);
    }

    /**
     * One torch.optim.RMSprop step, in one pass: avg = alpha avg + (1 - alpha) g^2, then
     * params -= lr g / (sqrt(avg) + eps). params and grad may be views into larger buffers (the
     * critic's parameters are the second part of [generator | critic]); grad is left unchanged.
     * Returns false, having done nothing, when an array is not a contiguous float vector in CPU memory.
     */
    public static boolean rmsProp(Parallel parallel, INDArray params, INDArray grad, INDArray squareAverage, float lr,
                           float alpha, float eps) {
        Flat p = Flat.orNull(params);
        Flat g = Flat.orNull(grad);
        Flat s = Flat.orNull(squareAverage);
        if (p == null || g == null || s == null) {
            return false;
        }
        int length = plainLength(params, grad);
        plainLength(params, squareAverage);
        float rest = 1 - alpha;
        parallel.forRanges(chunks(length), (k0, k1) -> {
            FloatVector a = FloatVector.broadcast(SPECIES, alpha);
            FloatVector r = FloatVector.broadcast(SPECIES, rest);
            FloatVector l = FloatVector.broadcast(SPECIES, lr);
            FloatVector e = FloatVector.broadcast(SPECIES, eps);
            int end = Math.min(length, k1 * CHUNK);
            int i = k0 * CHUNK;
            for (; i <= end - LANES; i += LANES) {
                FloatVector gv = FloatVector.fromByteBuffer(SPECIES, g.bytes, g.at(i), ORDER);
                FloatVector avg = FloatVector.fromByteBuffer(SPECIES, s.bytes, s.at(i), ORDER).mul(a)
                        .add(gv.mul(gv).mul(r));
                avg.intoByteBuffer(s.bytes, s.at(i), ORDER);
                FloatVector update = gv.mul(l).div(avg.sqrt().add(e));
                FloatVector.fromByteBuffer(SPECIES, p.bytes, p.at(i), ORDER).sub(update)
                        .intoByteBuffer(p.bytes, p.at(i), ORDER);
            }
            for (; i < end; i++) {
                float gi = g.bytes.getFloat(g.at(i));
                float avg = s.bytes.getFloat(s.at(i)) * alpha + gi * gi * rest;
                s.bytes.putFloat(s.at(i), avg);
                p.bytes.putFloat(p.at(i), p.bytes.getFloat(p.at(i)) - gi * lr / ((float) Math.sqrt(avg) + eps));
            }
        });
        keepAlive(params, grad, squareAverage);
        return true;
    }

    /** A contiguous float vector inside its buffer: byte position of element i = at(i). */
    private record Flat(ByteBuffer bytes, int offset) {
        static Flat of(INDArray a) {
            Flat f = orNull(a);
            if (f == null) {
                throw new IllegalArgumentException("not a contiguous float array in CPU memory: " + a.shapeInfoToString());
            }
            return f;
        }

        /** Null unless a is contiguous float data; a view's buffer spans the whole allocation, offset() is into it. */
        static Flat orNull(INDArray a) {
            boolean contiguous = a.rank() == 1 ? a.stride(0) == 1
                    : a.ordering() == 'c' && Shape.hasDefaultStridesForShape(a);
            if (a.dataType() != DataType.FLOAT || !contiguous) {
                return null;
            }
            ByteBuffer bytes = a.data().asNio();
            long end = (a.offset() + a.length()) * 4;
            if (bytes == null || end > Integer.MAX_VALUE || end > bytes.capacity()) {
                return null;
            }
            return new Flat(bytes.order(ORDER), (int) a.offset());
        }

        int at(int i) {
            return (offset + i) * 4;
        }
    }

    /** Elementwise kernels split their arrays into chunks of this many values (a multiple of any vector width). */
    private static final int CHUNK = 1 << 14;

    private static int chunks(int length) {
        return (length + CHUNK - 1) / CHUNK;
    }

    private static int plainLength(INDArray a, INDArray b) {
        if (a.length() != b.length()) {
            throw new IllegalArgumentException("lengths differ: " + a.length() + " and " + b.length());
        }
        return (int) a.length();
    }

    /**
     * g := g * act'(y) in place (y the activation's output, which has its input's sign), and,
     * per channel, sumG = sum g and sumGXhat = sum g * (x - mean) * invstd over the new g.
     */
    public static void activationBackwardWithSums(Parallel parallel, INDArray g, INDArray y, INDArray x, float[] mean,
                                           float[] invstd, float slope, double[] sumG, double[] sumGXhat) {
        Dims d = Dims.of(g);
        ByteBuffer gb = bytes(g);
        ByteBuffer yb = bytes(y);
        ByteBuffer xb = bytes(x);
        double[] sums = parallel.sumOverRanges(d.batch, 2 * d.channels, (n0, n1, acc) -> {
            for (int n = n0; n < n1; n++) {
                for (int c = 0; c < d.channels; c++) {
                    activationBackwardSlice(gb, yb, xb, d.slice(n, c), d.positions, mean[c], invstd[c], slope,
                            acc, c, d.channels + c);
                }
            }
        });
        System.arraycopy(sums, 0, sumG, 0, d.channels);
        System.arraycopy(sums, d.channels, sumGXhat, 0, d.channels);
        keepAlive(g, y, x);
    }

    /** dx = a g + b (x - mean) invstd + c, per channel: BatchNorm's input gradient. */
    public static void normInputGradient(Parallel parallel, INDArray g, INDArray x, float[] mean, float[] invstd,
                                  float[] a, float[] b, float[] c, INDArray dx) {
        Dims d = Dims.of(g);
        ByteBuffer gb = bytes(g);
        ByteBuffer xb = bytes(x);
        ByteBuffer db = bytes(dx);
        parallel.forRanges(d.batch, (n0, n1) -> {
            for (int n = n0; n < n1; n++) {
                for (int ch = 0; ch < d.channels; ch++) {
                    normInputGradientSlice(gb, xb, db, d.slice(n, ch), d.positions, mean[ch], invstd[ch],
                            a[ch], b[ch], c[ch]);
                }
            }
        });
        keepAlive(g, x, dx);
    }

    private static double sum(ByteBuffer xb, int start, int length) {
        FloatVector acc = FloatVector.zero(SPECIES);
        int i = start;
        int end = start + length;
        for (; i <= end - LANES; i += LANES) {
            acc = acc.add(FloatVector.fromByteBuffer(SPECIES, xb, i * 4, ORDER));
        }
        double s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < end; i++) {
            s += xb.getFloat(i * 4);
        }
        return s;
    }

    private static double squaredDeviations(ByteBuffer xb, int start, int length, float mean) {
        FloatVector acc = FloatVector.zero(SPECIES);
        FloatVector m = FloatVector.broadcast(SPECIES, mean);
        int i = start;
        int end = start + length;
        for (; i <= end - LANES; i += LANES) {
            FloatVector dev = FloatVector.fromByteBuffer(SPECIES, xb, i * 4, ORDER).sub(m);
            acc = dev.fma(dev, acc);
        }
        double s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < end; i++) {
            float dev = xb.getFloat(i * 4) - mean;
            s += dev * dev;
        }
        return s;
    }

    private static void normalizeActivateSlice(ByteBuffer xb, ByteBuffer ob, int start, int length, float mean,
                                               float scale, float beta, float slope) {
        FloatVector m = FloatVector.broadcast(SPECIES, mean);
        FloatVector s = FloatVector.broadcast(SPECIES, scale);
        FloatVector b = FloatVector.broadcast(SPECIES, beta);
        FloatVector zero = FloatVector.zero(SPECIES);
        boolean relu = slope == 0f; // max(v, 0), not max(v, -0.0)
        int i = start;
        int end = start + length;
        for (; i <= end - LANES; i += LANES) {
            FloatVector v = FloatVector.fromByteBuffer(SPECIES, xb, i * 4, ORDER).sub(m).fma(s, b);
            v.max(relu ? zero : v.mul(slope)).intoByteBuffer(ob, i * 4, ORDER);
        }
        for (; i < end; i++) {
            float v = (xb.getFloat(i * 4) - mean) * scale + beta;
            ob.putFloat(i * 4, Math.max(v, relu ? 0f : v * slope));
        }
    }

    private static void activationBackwardSlice(ByteBuffer gb, ByteBuffer yb, ByteBuffer xb, int start, int length,
                                                float mean, float invstd, float slope, double[] acc,
                                                int gIndex, int gxIndex) {
        FloatVector sumG = FloatVector.zero(SPECIES);
        FloatVector sumGX = FloatVector.zero(SPECIES);
        FloatVector m = FloatVector.broadcast(SPECIES, mean);
        FloatVector is = FloatVector.broadcast(SPECIES, invstd);
        int i = start;
        int end = start + length;
        for (; i <= end - LANES; i += LANES) {
            FloatVector g = FloatVector.fromByteBuffer(SPECIES, gb, i * 4, ORDER);
            VectorMask<Float> inactive = FloatVector.fromByteBuffer(SPECIES, yb, i * 4, ORDER)
                    .compare(VectorOperators.LE, 0f);
            g = g.blend(g.mul(slope), inactive);
            g.intoByteBuffer(gb, i * 4, ORDER);
            FloatVector xhat = FloatVector.fromByteBuffer(SPECIES, xb, i * 4, ORDER).sub(m).mul(is);
            sumG = sumG.add(g);
            sumGX = g.fma(xhat, sumGX);
        }
        double sg = sumG.reduceLanes(VectorOperators.ADD);
        double sgx = sumGX.reduceLanes(VectorOperators.ADD);
        for (; i < end; i++) {
            float g = gb.getFloat(i * 4);
            if (yb.getFloat(i * 4) <= 0f) {
                g *= slope;
            }
            gb.putFloat(i * 4, g);
            sg += g;
            sgx += g * ((xb.getFloat(i * 4) - mean) * invstd);
        }
        acc[gIndex] += sg;
        acc[gxIndex] += sgx;
    }

    private static void normInputGradientSlice(ByteBuffer gb, ByteBuffer xb, ByteBuffer db, int start, int length,
                                               float mean, float invstd, float a, float b, float c) {
        FloatVector m = FloatVector.broadcast(SPECIES, mean);
        FloatVector is = FloatVector.broadcast(SPECIES, invstd);
        FloatVector av = FloatVector.broadcast(SPECIES, a);
        FloatVector bv = FloatVector.broadcast(SPECIES, b);
        FloatVector cv = FloatVector.broadcast(SPECIES, c);
        int i = start;
        int end = start + length;
        for (; i <= end - LANES; i += LANES) {
            FloatVector xhat = FloatVector.fromByteBuffer(SPECIES, xb, i * 4, ORDER).sub(m).mul(is);
            FloatVector g = FloatVector.fromByteBuffer(SPECIES, gb, i * 4, ORDER);
            g.fma(av, xhat.fma(bv, cv)).intoByteBuffer(db, i * 4, ORDER);
        }
        for (; i < end; i++) {
            float xhat = (xb.getFloat(i * 4) - mean) * invstd;
            db.putFloat(i * 4, a * gb.getFloat(i * 4) + (b * xhat + c));
        }
    }

    /** The NCHW dimensions of a float array, checked to be plain (contiguous, C order, offset 0). */
    private record Dims(int batch, int channels, int positions) {
        static Dims of(INDArray a) {
            if (a.rank() != 4) {
                throw new IllegalArgumentException("expected NCHW, got " + a.shapeInfoToString());
            }
            return new Dims((int) a.size(0), (int) a.size(1), (int) (a.size(2) * a.size(3)));
        }

        int slice(int n, int c) {
            return (n * channels + c) * positions;
        }
    }

    /**
     * Keeps the arrays, and so their memory, until the work on them is done. The kernels read and
     * write through ByteBuffers that do not hold the arrays: ND4J frees an array's memory as soon
     * as the array is unreachable, which the JIT may decide right after the buffer is taken (a
     * test once read another array's values that way).
     */
    private static void keepAlive(INDArray... arrays) {
        Reference.reachabilityFence(arrays);
    }

    /** The buffer of an array that starts at its beginning (the activation buffers). */
    private static ByteBuffer bytes(INDArray a) {
        Flat f = Flat.of(a);
        if (f.offset != 0) {
            throw new IllegalArgumentException("a view at offset " + f.offset + ": " + a.shapeInfoToString());
        }
        return f.bytes;
    }
}
