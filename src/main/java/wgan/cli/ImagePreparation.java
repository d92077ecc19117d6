package wgan.cli;

import wgan.data.ImageCache;
import wgan.data.ImageLoader;

import java.io.PrintStream;
import java.nio.file.Path;

/** What wgan prepare and wgan train both do and print to get a folder's prepared images. */
final class ImagePreparation {
    static final String CACHE_DIR_HELP = "Where prepared images are kept (default: $XDG_CACHE_HOME/wgan or ~/.cache/wgan).";

    private ImagePreparation() {
    }

    /** @param skippedHint where the user finds the skipped files, e.g. " (see skipped.txt)" */
    static ImageLoader.Prepared prepare(Path data, int imageSize, int channels, Path cacheDir, PrintStream console,
                                        String skippedHint) {
        Path dir = cacheDir != null ? cacheDir : ImageCache.defaultDir();
        ImageLoader.Prepared prepared = ImageLoader.prepare(data, imageSize, channels, dir,
                note -> console.println("note: " + note));
        console.printf("images: %d used, %d skipped%s, %s in %.1f s (%.0f images/s)%n",
                prepared.images().count(), prepared.images().skipped().size(), skippedHint,
                prepared.fromCache() ? "read from the cache" : "decoded", prepared.seconds(),
                prepared.imagesPerSecond());
        console.println((prepared.fromCache() ? "image cache: " : "image cache written: ") + prepared.cacheFile());
        return prepared;
    }
}
