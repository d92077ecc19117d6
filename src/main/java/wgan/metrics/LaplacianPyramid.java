package wgan.metrics;

/**
 * One image plane's Laplacian pyramid as ProGAN's metric builds it (cv2.pyrDown/pyrUp semantics
 * through scipy.ndimage.convolve): the 5x5 binomial kernel [1,4,6,4,1]^2/256, mirror padding
 * (d c b | a b c d | c b a, the edge pixel not repeated). Level l is the band G_l - up(G_l+1);
 * the last level is the Gaussian G_last itself. Separable passes give the same numbers as the 2-D
 * kernel up to float rounding.
 */
final class LaplacianPyramid {
    private static final float[] TAPS = {1 / 16f, 4 / 16f, 6 / 16f, 4 / 16f, 1 / 16f};

    private LaplacianPyramid() {
    }

    /** Level `level` (0 = full size) of a `levels`-level pyramid of a size x size plane. */
    static float[] level(float[] plane, int size, int level, int levels) {
        float[] gaussian = plane;
        int s = size;
        for (int l = 0; l < level; l++) {
            gaussian = down(gaussian, s);
            s /= 2;
        }
        if (level == levels - 1) {
            return gaussian;
        }
        float[] up = up(down(gaussian, s), s / 2);
        float[] band = new float[s * s];
        for (int i = 0; i < band.length; i++) {
            band[i] = gaussian[i] - up[i];
        }
        return band;
    }

    /** Blur and keep the even rows and columns: s x s to s/2 x s/2. */
    static float[] down(float[] g, int s) {
        return vertical(horizontal(g, s, s, 2, 1f), s / 2, s, 2, 1f);
    }

    /**
     * Put the t x t plane on the even pixels of a zero 2t x 2t plane and blur with 4 x the kernel,
     * computed without the zeros: per axis, even outputs are (g[x-1] + 6 g[x] + g[x+1]) / 8 and odd
     * ones (g[x] + g[x+1]) / 2. Mirroring the zero-filled plane makes g[-1] = g[1] but g[t] = g[t-1].
     */
    static float[] up(float[] g, int t) {
        int s = 2 * t;
        float[] rows = new float[t * s];
        for (int y = 0; y < t; y++) {
            upLine(g, y * t, 1, t, rows, y * s, 1);
        }
        float[] out = new float[s * s];
        for (int x = 0; x < s; x++) {
            upLine(rows, x, s, t, out, x, s);
        }
        return out;
    }

    private static void upLine(float[] in, int inStart, int inStep, int t, float[] out, int outStart, int outStep) {
        for (int x = 0; x < t; x++) {
            float left = in[inStart + (x == 0 ? 1 : x - 1) * inStep];
            float centre = in[inStart + x * inStep];
            float right = in[inStart + (x == t - 1 ? t - 1 : x + 1) * inStep];
            out[outStart + 2 * x * outStep] = (left + 6 * centre + right) / 8;
            out[outStart + (2 * x + 1) * outStep] = (centre + right) / 2;
        }
    }

    /** Each row blurred; every step-th column kept. */
    private static float[] horizontal(float[] in, int width, int height, int step, float gain) {
        float[] out = new float[width / step * height];
        for (int y = 0; y < height; y++) {
            blurLine(in, y * width, 1, width, step, gain, out, y * (width / step), 1);
        }
        return out;
    }

    /** Each column blurred; every step-th row kept. */
    private static float[] vertical(float[] in, int width, int height, int step, float gain) {
        float[] out = new float[width * (height / step)];
        for (int x = 0; x < width; x++) {
            blurLine(in, x, width, height, step, gain, out, x, width);
        }
        return out;
    }

    /** One line of n pixels (in[inStart + i * inStride]) blurred, every step-th output kept. */
    private static void blurLine(float[] in, int inStart, int inStride, int n, int step, float gain,
                                 float[] out, int outStart, int outStride) {
        for (int o = 0; o < n / step; o++) {
            int x = o * step;
            float sum = 0;
            for (int k = -2; k <= 2; k++) {
                sum += TAPS[k + 2] * in[inStart + mirror(x + k, n) * inStride];
            }
            out[outStart + o * outStride] = sum * gain;
        }
    }

    /** scipy.ndimage's "mirror" mode: reflect about the edge pixel's centre. */
    static int mirror(int i, int n) {
        return i < 0 ? -i : i >= n ? 2 * n - 2 - i : i;
    }
}
