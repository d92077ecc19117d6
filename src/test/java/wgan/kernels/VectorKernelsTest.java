package wgan.kernels;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every Vector API kernel against a plain double-precision loop over the same float inputs, at
 * slice lengths on both sides of every vector width (4 to 258 positions, so the full-vector loops,
 * their scalar tails and the lane reductions all run at 4, 8 and 16 lanes), split over one and
 * over three threads, and often enough for C2 to compile the kernels (the Vector API is only
 * intrinsified there). The pom runs this class again with -Dwgan.vector.bits=128 and 256, so on
 * this AVX-512 machine the kernels are checked at arm64's, AVX2's and AVX-512's widths.
 *
 * <p>Bounds: an elementwise kernel does at most three float roundings per value, so it is within
 * 4 float ulps (2.4e-7) of the exact value relative to the largest term; a channel sum adds at most
 * 258 float values per lane before its double reduction, so it is within 258 * 6e-8 = 1.6e-5 of
 * the sum of magnitudes. A lane-count bug (a lost or doubled element, a wrong tail, a wrong mask)
 * changes a value by a whole term, 1/258 or more of that scale: far outside both.
 */
class VectorKernelsTest {
    private static final double ELEMENTWISE = 4 * 0x1p-24 * 1.01;
    private static final double SUM = 1.6e-5;
    /** Height x width of the maps (ND4J does not give a size-1 axis the strides the kernels check for). */
    private static final int[][] MAPS = {{2, 2}, {2, 3}, {3, 3}, {2, 4}, {3, 5}, {4, 4}, {3, 6}, {3, 7}, {4, 8}, {3, 11},
            {8, 8}, {5, 13}, {16, 16}, {3, 86}};

    @Test
    void runsAtTheRequestedWidth() {
        Integer bits = Integer.getInteger(VectorKernels.BITS_PROPERTY);
        if (bits != null) {
            assertEquals(bits / 32, VectorKernels.lanes(), "lanes at " + VectorKernels.BITS_PROPERTY + "=" + bits);
        }
        System.out.println("VectorKernelsTest: " + VectorKernels.lanes() + " lanes");
    }

    @Test
    void batchNormKernelsMatchDoubleLoops() {
        Random random = new Random(3);
        for (int threads : new int[]{1, 3}) {
            Parallel parallel = new Parallel(threads);
            for (int round = 0; round < 40; round++) {
                for (int[] map : MAPS) {
                    checkBatchNorm(parallel, random, 3, 5, map[0], map[1], round % 2 == 0 ? 0.2f : 0f);
                }
            }
        }
    }

    @Test
    void elementwiseKernelsMatchDoubleLoops() {
        Random random = new Random(5);
        Parallel parallel = new Parallel(3);
        // across a chunk boundary (2^14) with a tail at every width, and short arrays that are all tail
        for (int length : new int[]{1, 5, 13, 37, (1 << 14) + 9, 3 * (1 << 14) - 3}) {
            for (int round = 0; round < 20; round++) {
                checkElementwise(parallel, random, length, round % 2 == 0 ? 0.2f : 0f);
                checkRmsProp(parallel, random, length, 1 + round % 7);
            }
        }
    }

    private static void checkBatchNorm(Parallel parallel, Random random, int batch, int channels, int height, int width,
                                       float slope) {
        long[] shape = {batch, channels, height, width};
        int positions = height * width;
        int n = batch * channels * positions;
        float[] x = gaussian(random, n, 0.5f);
        float[] g = gaussian(random, n, 0);
        INDArray xa = Nd4j.create(x, shape, 'c');
        float[] mean = new float[channels];
        float[] var = new float[channels];
        VectorKernels.moments(parallel, xa, mean, var);
        float[] scale = new float[channels];
        float[] beta = new float[channels];
        float[] invstd = new float[channels];
        for (int c = 0; c < channels; c++) {
            double m = 0;
            double abs = 0;
            for (int i : indices(batch, channels, positions, c)) {
                m += x[i];
                abs += Math.abs(x[i]);
            }
            int count = batch * positions;
            m /= count;
            assertWithin(m, mean[c], SUM * abs / count, "mean", c, positions);
            double v = 0;
            for (int i : indices(batch, channels, positions, c)) {
                v += (x[i] - (double) mean[c]) * (x[i] - (double) mean[c]);
            }
            assertWithin(v / count, var[c], SUM * v / count + 1e-12, "variance", c, positions);
            invstd[c] = (float) (1 / Math.sqrt(var[c] + 1e-5));
            scale[c] = (float) (0.5 + random.nextDouble());
            beta[c] = (float) random.nextGaussian() * 0.1f;
        }

        INDArray out = Nd4j.create(DataType.FLOAT, shape);
        VectorKernels.normalizeActivate(parallel, xa, mean, scale, beta, slope, out);
        float[] y = out.data().asFloat();
        for (int c = 0; c < channels; c++) {
            for (int i : indices(batch, channels, positions, c)) {
                double v = (x[i] - (double) mean[c]) * scale[c] + beta[c];
                double terms = Math.abs((x[i] - (double) mean[c]) * scale[c]) + Math.abs(beta[c]);
                assertWithin(v > 0 ? v : slope * v, y[i], ELEMENTWISE * terms + 1e-30, "normalizeActivate", i, positions);
            }
        }

        INDArray ga = Nd4j.create(g, shape, 'c');
        double[] sumG = new double[channels];
        double[] sumGXhat = new double[channels];
        VectorKernels.activationBackwardWithSums(parallel, ga, out, xa, mean, invstd, slope, sumG, sumGXhat);
        float[] gOut = ga.data().asFloat();
        float[] masked = new float[n];
        float[] a = new float[channels];
        float[] b = new float[channels];
        float[] cc = new float[channels];
        for (int c = 0; c < channels; c++) {
            double sg = 0;
            double sgx = 0;
            double absG = 0;
            double absGX = 0;
            for (int i : indices(batch, channels, positions, c)) {
                masked[i] = y[i] <= 0 ? g[i] * slope : g[i];
                assertEquals(masked[i], gOut[i], "activation backward at " + i + ", " + positions + " positions");
                double xhat = (x[i] - (double) mean[c]) * invstd[c];
                sg += masked[i];
                sgx += masked[i] * xhat;
                absG += Math.abs(masked[i]);
                absGX += Math.abs(masked[i] * xhat);
            }
            assertWithin(sg, sumG[c], SUM * absG + 1e-30, "sum g", c, positions);
            assertWithin(sgx, sumGXhat[c], SUM * absGX + 1e-30, "sum g xhat", c, positions);
            a[c] = (float) random.nextGaussian();
            b[c] = (float) random.nextGaussian();
            cc[c] = (float) random.nextGaussian();
        }

        INDArray dx = Nd4j.create(DataType.FLOAT, shape);
        VectorKernels.normInputGradient(parallel, ga, xa, mean, invstd, a, b, cc, dx);
        float[] d = dx.data().asFloat();
        for (int c = 0; c < channels; c++) {
            for (int i : indices(batch, channels, positions, c)) {
                double xhat = (x[i] - (double) mean[c]) * invstd[c];
                double expected = a[c] * (double) masked[i] + b[c] * xhat + cc[c];
                double terms = Math.abs(a[c] * masked[i]) + Math.abs(b[c] * xhat) + Math.abs(cc[c]);
                assertWithin(expected, d[i], 2 * ELEMENTWISE * terms, "normInputGradient", i, positions);
            }
        }
    }

    private static void checkElementwise(Parallel parallel, Random random, int length, float slope) {
        float[] x = gaussian(random, length, 0);
        float[] g = gaussian(random, length, 0);
        INDArray xa = Nd4j.create(x, new long[]{length}, 'c');
        INDArray y = Nd4j.create(DataType.FLOAT, length);
        VectorKernels.activate(parallel, xa, slope, y);
        float[] yv = y.data().asFloat();
        INDArray ga = Nd4j.create(g, new long[]{length}, 'c');
        VectorKernels.activationBackward(parallel, ga, y, slope);
        float[] gv = ga.data().asFloat();
        for (int i = 0; i < length; i++) {
            assertEquals(x[i] > 0 ? x[i] : x[i] * slope, yv[i], 0f, "activate at " + i + " of " + length);
            assertEquals(yv[i] <= 0 ? g[i] * slope : g[i], gv[i], 0f, "activationBackward at " + i + " of " + length);
        }
    }

    /** On views at an offset into a larger buffer, as the critic's parameters sit after the generator's. */
    private static void checkRmsProp(Parallel parallel, Random random, int length, int offset) {
        float lr = 5e-5f;
        float alpha = 0.99f;
        float eps = 1e-8f;
        float[] p = gaussian(random, length + offset, 0);
        float[] g = gaussian(random, length + offset, 0);
        float[] s = new float[length + offset];
        for (int i = 0; i < s.length; i++) {
            s[i] = random.nextFloat() * 1e-3f;
        }
        INDArray pa = Nd4j.create(p, new long[]{length + offset}, 'c');
        INDArray ga = Nd4j.create(g, new long[]{length + offset}, 'c');
        INDArray sa = Nd4j.create(s, new long[]{length + offset}, 'c');
        assertTrue(VectorKernels.rmsProp(parallel, pa.get(NDArrayIndex.interval(offset, offset + length)),
                ga.get(NDArrayIndex.interval(offset, offset + length)), sa.get(NDArrayIndex.interval(offset, offset + length)),
                lr, alpha, eps));
        float[] pv = pa.data().asFloat();
        float[] sv = sa.data().asFloat();
        for (int i = 0; i < length + offset; i++) {
            if (i < offset) {
                assertEquals(p[i], pv[i], 0f, "rmsProp wrote before its view at " + i);
                assertEquals(s[i], sv[i], 0f, "rmsProp wrote before its view at " + i);
                continue;
            }
            double avg = s[i] * (double) alpha + (double) g[i] * g[i] * (1 - alpha);
            assertWithin(avg, sv[i], 3 * ELEMENTWISE * avg, "rmsProp average", i, length);
            double step = lr * (double) g[i] / (Math.sqrt(avg) + eps);
            assertWithin(p[i] - step, pv[i], ELEMENTWISE * Math.abs(p[i]) + 4 * ELEMENTWISE * Math.abs(step), "rmsProp param", i, length);
        }
    }

    private static int[] indices(int batch, int channels, int positions, int c) {
        int[] r = new int[batch * positions];
        int k = 0;
        for (int n = 0; n < batch; n++) {
            for (int p = 0; p < positions; p++) {
                r[k++] = (n * channels + c) * positions + p;
            }
        }
        return r;
    }

    private static float[] gaussian(Random random, int n, float mean) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = mean + (float) random.nextGaussian();
        }
        return v;
    }

    private static void assertWithin(double expected, double actual, double bound, String what, int at, int size) {
        assertTrue(Math.abs(expected - actual) <= bound, what + " at " + at + " (" + size + "): expected " + expected
                + ", got " + actual + ", bound " + bound + " (" + VectorKernels.lanes() + " lanes)");
    }
}
