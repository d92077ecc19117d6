package wgan.augment;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgan.config.AugmentOp;
import wgan.engine.Augmenter;
import wgan.model.Rng;

import java.util.List;

/**
 * Differentiable augmentation (Zhao et al. 2020, DiffAugment_pytorch.py of
 * mit-han-lab/data-efficient-gans), forward and backward, on NCHW images:
 * <ul>
 * <li>color: brightness x + (u - 0.5); saturation (x - mean_c) * 2u + mean_c; contrast
 * (x - mean_chw) * (u + 0.5) + mean_chw; one uniform u per image and function;</li>
 * <li>translation: a shift by up to side/8 pixels each way (integers, inclusive), zero fill;</li>
 * <li>cutout: a square of side/2 set to zero around a random centre (clipped at the borders).</li>
 * </ul>
 * Every function is linear in the images once its draws are fixed, so the backward needs only the
 * draws. The draws come from the caller's generator ({@link #draw}), so a resumed run draws the
 * same ones; tests feed PyTorch's. Computed in Java on heap arrays: per batch a few milliseconds
 * next to the convolutions, and no native memory churn.
 */
public final class DiffAugment {
    private final List<AugmentOp> ops;

    /**
     * One application's random draws, per image (null for an op not in the policy).
     *
     * @param shiftX rows (dimension 2), shiftY columns (dimension 3); cutX, cutY the cutout's offsets
     */
    public record Draws(double[] brightness, double[] saturation, double[] contrast, int[] shiftX, int[] shiftY,
                        int[] cutX, int[] cutY) {
    }

    public DiffAugment(List<AugmentOp> ops) {
        this.ops = List.copyOf(ops);
    }

    public boolean isEmpty() {
        return ops.isEmpty();
    }

    /** Draws for n images of height h and width w, in DiffAugment's order and ranges. */
    public Draws draw(Rng rng, int n, int h, int w) {
        double[] brightness = null;
        double[] saturation = null;
        double[] contrast = null;
        int[] shiftX = null;
        int[] shiftY = null;
        int[] cutX = null;
        int[] cutY = null;
        for (AugmentOp op : ops) {
            switch (op) {
                case color -> {
                    brightness = uniform(rng, n, -0.5);
                    saturation = uniform(rng, n, 0);
                    for (int i = 0; i < n; i++) {
                        saturation[i] *= 2;
                    }
                    contrast = uniform(rng, n, 0.5);
                }
                case translation -> {
                    shiftX = integers(rng, n, -(h / 8), h / 8);
                    shiftY = integers(rng, n, -(w / 8), w / 8);
                }
                case cutout -> {
                    cutX = integers(rng, n, 0, h - (h / 2) % 2);
                    cutY = integers(rng, n, 0, w - (w / 2) % 2);
                }
            }
        }
        return new Draws(brightness, saturation, contrast, shiftX, shiftY, cutX, cutY);
    }

    private static double[] uniform(Rng rng, int n, double plus) {
        double[] u = new double[n];
        for (int i = 0; i < n; i++) {
            u[i] = rng.nextDouble() + plus;
        }
        return u;
    }

    /** n integers uniform in [low, high], both included. */
    private static int[] integers(Rng rng, int n, int low, int high) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = low + rng.nextInt(high - low + 1);
        }
        return v;
    }

    /** The augmented images, a new array of x's type and shape. */
    public INDArray forward(INDArray x, Draws d) {
        Shape s = Shape.of(x);
        double[] v = x.dup('c').data().asDouble();
        for (AugmentOp op : ops) {
            switch (op) {
                case color -> {
                    brightness(v, s, d.brightness());
                    saturation(v, s, d.saturation());
                    contrast(v, s, d.contrast());
                }
                case translation -> v = translate(v, s, d.shiftX(), d.shiftY(), +1);
                case cutout -> cutout(v, s, d.cutX(), d.cutY());
            }
        }
        return Nd4j.create(v, x.shape(), 'c').castTo(x.dataType());
    }

    /** The gradient with respect to forward's input, from the gradient with respect to its output. */
    public INDArray backward(INDArray outputGradient, Draws d) {
        Shape s = Shape.of(outputGradient);
        double[] g = outputGradient.dup('c').data().asDouble();
        for (int k = ops.size() - 1; k >= 0; k--) {
            switch (ops.get(k)) {
                case color -> { // the three in reverse; brightness passes the gradient through
                    contrastBackward(g, s, d.contrast());
                    saturationBackward(g, s, d.saturation());
                }
                case translation -> g = translate(g, s, d.shiftX(), d.shiftY(), -1);
                case cutout -> cutout(g, s, d.cutX(), d.cutY());
            }
        }
        return Nd4j.create(g, outputGradient.shape(), 'c').castTo(outputGradient.dataType());
    }

    /** forward and backward with these draws, for a generator pass. */
    public Augmenter with(Draws d) {
        return new Augmenter() {
            @Override
            public INDArray forward(INDArray images) {
                return DiffAugment.this.forward(images, d);
            }

            @Override
            public INDArray backward(INDArray outputGradient) {
                return DiffAugment.this.backward(outputGradient, d);
            }
        };
    }

    private record Shape(int n, int c, int h, int w) {
        static Shape of(INDArray x) {
            return new Shape((int) x.size(0), (int) x.size(1), (int) x.size(2), (int) x.size(3));
        }

        int at(int image, int channel, int row, int column) {
            return ((image * c + channel) * h + row) * w + column;
        }
    }

    private static void brightness(double[] v, Shape s, double[] b) {
        int per = s.c * s.h * s.w;
        for (int n = 0; n < s.n; n++) {
            for (int i = n * per; i < (n + 1) * per; i++) {
                v[i] += b[n];
            }
        }
    }

    /** (x - mean over channels) * factor + mean over channels, per pixel. */
    private static void saturation(double[] v, Shape s, double[] factor) {
        for (int n = 0; n < s.n; n++) {
            for (int p = 0; p < s.h * s.w; p++) {
                double mean = channelMean(v, s, n, p);
                for (int c = 0; c < s.c; c++) {
                    int i = (n * s.c + c) * s.h * s.w + p;
                    v[i] = (v[i] - mean) * factor[n] + mean;
                }
            }
        }
    }

    /** d/dx of saturation: factor * g + (1 - factor) * mean_c(g). */
    private static void saturationBackward(double[] g, Shape s, double[] factor) {
        for (int n = 0; n < s.n; n++) {
            for (int p = 0; p < s.h * s.w; p++) {
                double mean = channelMean(g, s, n, p);
                for (int c = 0; c < s.c; c++) {
                    int i = (n * s.c + c) * s.h * s.w + p;
                    g[i] = factor[n] * g[i] + (1 - factor[n]) * mean;
                }
            }
        }
    }

    private static double channelMean(double[] v, Shape s, int n, int pixel) {
        double sum = 0;
        for (int c = 0; c < s.c; c++) {
            sum += v[(n * s.c + c) * s.h * s.w + pixel];
        }
        return sum / s.c;
    }

    /** (x - mean of the image) * factor + mean of the image. */
    private static void contrast(double[] v, Shape s, double[] factor) {
        int per = s.c * s.h * s.w;
        for (int n = 0; n < s.n; n++) {
            double mean = mean(v, n * per, per);
            for (int i = n * per; i < (n + 1) * per; i++) {
                v[i] = (v[i] - mean) * factor[n] + mean;
            }
        }
    }

    /** d/dx of contrast: factor * g + (1 - factor) * mean(g) over the image. */
    private static void contrastBackward(double[] g, Shape s, double[] factor) {
        int per = s.c * s.h * s.w;
        for (int n = 0; n < s.n; n++) {
            double mean = mean(g, n * per, per);
            for (int i = n * per; i < (n + 1) * per; i++) {
                g[i] = factor[n] * g[i] + (1 - factor[n]) * mean;
            }
        }
    }

    private static double mean(double[] v, int from, int length) {
        double sum = 0;
        for (int i = from; i < from + length; i++) {
            sum += v[i];
        }
        return sum / length;
    }

    /**
     * direction +1: y[i][j] = x[i + dx][j + dy], 0 outside (the forward); -1: the transpose,
     * g_x[i][j] = g_y[i - dx][j - dy] where that source lies inside (the backward).
     */
    private static double[] translate(double[] v, Shape s, int[] shiftX, int[] shiftY, int direction) {
        double[] out = new double[v.length];
        for (int n = 0; n < s.n; n++) {
            int dx = direction * shiftX[n];
            int dy = direction * shiftY[n];
            for (int c = 0; c < s.c; c++) {
                for (int i = 0; i < s.h; i++) {
                    int from = i + dx;
                    if (from < 0 || from >= s.h) {
                        continue;
                    }
                    for (int j = 0; j < s.w; j++) {
                        int fromColumn = j + dy;
                        if (fromColumn >= 0 && fromColumn < s.w) {
                            out[s.at(n, c, i, j)] = v[s.at(n, c, from, fromColumn)];
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Zero a (side/2)-square: rows clamp(cutX - h/4 + k) and columns likewise, as DiffAugment's clamped grid. */
    private static void cutout(double[] v, Shape s, int[] cutX, int[] cutY) {
        int sizeX = s.h / 2;
        int sizeY = s.w / 2;
        for (int n = 0; n < s.n; n++) {
            int rowFrom = Math.max(0, cutX[n] - sizeX / 2);
            int rowTo = Math.min(s.h - 1, cutX[n] - sizeX / 2 + sizeX - 1);
            int columnFrom = Math.max(0, cutY[n] - sizeY / 2);
            int columnTo = Math.min(s.w - 1, cutY[n] - sizeY / 2 + sizeY - 1);
            for (int c = 0; c < s.c; c++) {
                for (int i = rowFrom; i <= rowTo; i++) {
                    for (int j = columnFrom; j <= columnTo; j++) {
                        v[s.at(n, c, i, j)] = 0;
                    }
                }
            }
        }
    }
}
