package wgan.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgan.model.Rng;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * One epoch's shuffled batches (the last one may be short, as PyTorch's DataLoader gives it).
 * The next batch is converted to floats on a background thread while the current one trains.
 * The order depends only on (seed, epoch), so a run can restart at any batch of any epoch.
 */
public final class EpochBatches {
    private final ImageSet images;
    private final int batchSize;
    private final int[] order;
    private final ExecutorService background;
    private int nextStart;
    private CompletableFuture<Batch> prefetched;

    /**
     * Real images with their classes.
     *
     * @param labels each image's class, an index into {@link ImageSet#classes()}
     */
    public record Batch(INDArray images, int[] labels) {
    }

    /**
     * @param pool       the images this epoch draws from (the training images: all but a held-out slice)
     * @param startBatch batches of this epoch already used (a resumed run skips them)
     */
    public EpochBatches(ImageSet images, int[] pool, int batchSize, long seed, int epoch, ExecutorService background,
                        int startBatch) {
        this.images = images;
        this.batchSize = batchSize;
        int[] shuffle = Rng.derive(seed, "data-order-epoch-" + epoch).permutation(pool.length);
        this.order = new int[pool.length];
        for (int i = 0; i < pool.length; i++) {
            order[i] = pool[shuffle[i]];
        }
        this.background = background;
        this.nextStart = Math.min(order.length, startBatch * batchSize);
        prefetch();
    }

    public static int batchesPerEpoch(int imageCount, int batchSize) {
        return (imageCount + batchSize - 1) / batchSize;
    }

    public boolean hasNext() {
        return prefetched != null;
    }

    public INDArray next() {
        return nextBatch().images();
    }

    /** The next images with their classes. */
    public Batch nextBatch() {
        Batch batch = prefetched.join();
        prefetch();
        return batch;
    }

    private void prefetch() {
        if (nextStart >= order.length) {
            prefetched = null;
            return;
        }
        int from = nextStart;
        int count = Math.min(batchSize, order.length - from);
        nextStart += count;
        prefetched = CompletableFuture.supplyAsync(() -> toArray(from, count), background);
    }

    private Batch toArray(int from, int count) {
        float[] data = new float[count * images.pixelsPerImage()];
        images.fill(order, from, count, data);
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = images.classOf(order[from + i]);
        }
        return new Batch(Nd4j.create(data, new long[]{count, images.channels(), images.size(), images.size()}, 'c'),
                labels);
    }
}
