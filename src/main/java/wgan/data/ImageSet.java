package wgan.data;

import java.nio.file.Path;
import java.util.List;

/**
 * The training images, prepared once: uint8, planar CHW, size x size. A 22,424-image set at
 * 64x64x3 is 275 MB; it is never held as floats.
 */
public final class ImageSet {
    private final byte[][] images;
    private final int size;
    private final int channels;
    private final List<SkippedFile> skipped;
    private final Path root;

    public ImageSet(Path root, byte[][] images, int size, int channels, List<SkippedFile> skipped) {
        this.root = root;
        this.images = images;
        this.size = size;
        this.channels = channels;
        this.skipped = List.copyOf(skipped);
    }

    public int count() {
        return images.length;
    }

    public int size() {
        return size;
    }

    public int channels() {
        return channels;
    }

    public Path root() {
        return root;
    }

    public List<SkippedFile> skipped() {
        return skipped;
    }

    public int pixelsPerImage() {
        return size * size * channels;
    }

    /** Writes images[indices[from..from+count)] into out as floats in [-1, 1], NCHW. */
    public void fill(int[] indices, int from, int count, float[] out) {
        int n = pixelsPerImage();
        for (int i = 0; i < count; i++) {
            byte[] image = images[indices[from + i]];
            int base = i * n;
            for (int p = 0; p < n; p++) {
                out[base + p] = (image[p] & 0xFF) / 127.5f - 1f;
            }
        }
    }
}
