package wgan.data;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * How fast the cache becomes float batches: one shuffled epoch drained through
 * {@link EpochBatches} as the trainer does, with no training in between. If this is far above
 * the critic's images/s, the background conversion is always ready before the loop asks.
 */
public final class FeedRate {
    private FeedRate() {
    }

    /** Images per second turned into float batches, over one epoch after its first batch (which starts ND4J). */
    public static double imagesPerSecond(ImageSet images, int batchSize) {
        ExecutorService background = Executors.newSingleThreadExecutor();
        try {
            EpochBatches batches = new EpochBatches(images, java.util.stream.IntStream.range(0, images.count()).toArray(), batchSize, 0, 1,
                    background, 0);
            batches.next().close();
            long start = System.nanoTime();
            long converted = 0;
            while (batches.hasNext()) {
                try (INDArray batch = batches.next()) {
                    converted += batch.size(0);
                }
            }
            return converted / ((System.nanoTime() - start) / 1e9);
        } finally {
            background.shutdownNow();
        }
    }
}
