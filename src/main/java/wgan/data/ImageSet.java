package wgan.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;

/**
 * The training images, prepared once: uint8, planar CHW, size x size. A 22,424-image set at
 * 64x64x3 is 275 MB; it is never held as floats. The images sit back to back in a few large
 * arrays (not one array per image): no per-object overhead, and the cache file reads straight
 * into them.
 */
public final class ImageSet {
    /** About 64 MB per array: large reads, yet no single array near Java's 2 GB limit. */
    static final int CHUNK_BYTES = 64 << 20;

    private final ByteBuffer[] chunks;
    private final int imagesPerChunk;
    private final int count;
    private final int size;
    private final int channels;
    private final List<SkippedFile> skipped;
    private final List<SkippedFile> warnings;
    private final List<String> classes;
    private final int[] labels;
    private final Path root;

    /**
     * @param classes the class names (parent folders), sorted
     * @param labels  each image's index into classes
     */
    ImageSet(Path root, Pixels pixels, int count, List<SkippedFile> skipped, List<SkippedFile> warnings,
             List<String> classes, int[] labels) {
        if (labels.length != count) {
            throw new IllegalArgumentException(labels.length + " labels for " + count + " images");
        }
        this.root = root;
        this.chunks = pixels.chunks;
        this.imagesPerChunk = pixels.imagesPerChunk;
        this.count = count;
        this.size = pixels.size;
        this.channels = pixels.channels;
        this.skipped = List.copyOf(skipped);
        this.warnings = List.copyOf(warnings);
        this.classes = List.copyOf(classes);
        this.labels = labels;
    }

    /** A set of images already in memory (planar CHW uint8, size x size x channels each), all of one class. */
    public static ImageSet of(List<byte[]> images, int size, int channels) {
        Pixels pixels = new Pixels(images.size(), size, channels);
        for (int i = 0; i < images.size(); i++) {
            pixels.put(i, images.get(i));
        }
        return new ImageSet(null, pixels, images.size(), List.of(), List.of(), List.of("images"),
                new int[images.size()]);
    }

    public int count() {
        return count;
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

    /** Files not used, with the reason. */
    public List<SkippedFile> skipped() {
        return skipped;
    }

    /** Files used although a native decoder complained about them, with what it said. */
    public List<SkippedFile> warnings() {
        return warnings;
    }

    /** What a run's skipped.txt lists: the skipped files, then the files used with a warning. */
    public List<SkippedFile> reported() {
        List<SkippedFile> all = new java.util.ArrayList<>(skipped);
        all.addAll(warnings);
        return all;
    }

    /** The class names: each image's parent folder (DataVec's ParentPathLabelGenerator), sorted. */
    public List<String> classes() {
        return classes;
    }

    /** The class index (into {@link #classes()}) of image i. */
    public int classOf(int image) {
        return labels[image];
    }

    /** Images per class, in the order of {@link #classes()}. */
    public int[] classCounts() {
        int[] counts = new int[classes.size()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    public int pixelsPerImage() {
        return size * size * channels;
    }

    /** Writes images[indices[from..from+count)] into out as floats in [-1, 1], NCHW. */
    public void fill(int[] indices, int from, int count, float[] out) {
        int n = pixelsPerImage();
        for (int i = 0; i < count; i++) {
            int image = indices[from + i];
            ByteBuffer chunk = chunks[image / imagesPerChunk];
            int offset = (image % imagesPerChunk) * n;
            int base = i * n;
            for (int p = 0; p < n; p++) {
                out[base + p] = TO_FLOAT[chunk.get(offset + p) & 0xFF];
            }
        }
    }

    /** uint8 to [-1, 1] by table: the same value as v / 127.5 - 1, without a division per pixel. */
    private static final float[] TO_FLOAT = new float[256];

    static {
        for (int v = 0; v < 256; v++) {
            TO_FLOAT[v] = v / 127.5f - 1f;
        }
    }

    /**
     * Room for a number of size x size x channels uint8 images, in chunks: on the heap when decoded
     * here, or mapped straight from a cache file (no copy and no fresh memory to fault in: reading
     * 20,000 images from the cache is then mostly the checksum).
     */
    static final class Pixels {
        final ByteBuffer[] chunks;
        final int imagesPerChunk;
        final int size;
        final int channels;
        final int imageBytes;

        private Pixels(int size, int channels, ByteBuffer[] chunks, int imagesPerChunk) {
            this.size = size;
            this.channels = channels;
            this.imageBytes = size * size * channels;
            this.chunks = chunks;
            this.imagesPerChunk = imagesPerChunk;
        }

        Pixels(int capacity, int size, int channels) {
            this(size, channels, new ByteBuffer[chunkCount(capacity, size, channels)], perChunk(size, channels));
            for (int c = 0; c < chunks.length; c++) {
                chunks[c] = ByteBuffer.allocate(imagesIn(c, capacity) * imageBytes);
            }
        }

        /** count images stored back to back in a file from position on, mapped read-only. */
        static Pixels mapped(FileChannel file, long position, int count, int size, int channels) throws IOException {
            Pixels pixels = new Pixels(size, channels, new ByteBuffer[chunkCount(count, size, channels)],
                    perChunk(size, channels));
            long at = position;
            for (int c = 0; c < pixels.chunks.length; c++) {
                long bytes = (long) pixels.imagesIn(c, count) * pixels.imageBytes;
                pixels.chunks[c] = file.map(FileChannel.MapMode.READ_ONLY, at, bytes);
                at += bytes;
            }
            return pixels;
        }

        private static int perChunk(int size, int channels) {
            return Math.max(1, CHUNK_BYTES / (size * size * channels));
        }

        private static int chunkCount(int capacity, int size, int channels) {
            int perChunk = perChunk(size, channels);
            return (capacity + perChunk - 1) / perChunk;
        }

        private int imagesIn(int chunk, int capacity) {
            return Math.min(imagesPerChunk, capacity - chunk * imagesPerChunk);
        }

        void put(int index, byte[] image) {
            chunks[index / imagesPerChunk].put(offset(index), image, 0, imageBytes);
        }

        /** Moves image from to slot to (to < from), closing the gap a skipped file left. */
        void move(int from, int to) {
            chunks[to / imagesPerChunk].put(offset(to), chunks[from / imagesPerChunk], offset(from), imageBytes);
        }

        int offset(int index) {
            return (index % imagesPerChunk) * imageBytes;
        }
    }
}
