package wgan.cli;

import wgan.data.ImageClasses;
import wgan.data.ImageLoader;
import wgan.data.ImageSet;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** What wgan prepare and wgan train both do and print to get a folder's prepared images. */
final class ImagePreparation {
    private ImagePreparation() {
    }

    /** @param skippedHint where the user finds the skipped files, e.g. " (see skipped.txt)" */
    static ImageLoader.Prepared prepare(Path data, int imageSize, int channels, long maxPixels, Path cacheDir,
                                        PrintStream console, String skippedHint) {
        long start = System.currentTimeMillis() / 1000 * 1000; // file times may be whole seconds
        boolean[] noted = {false};
        ImageLoader.Prepared prepared = ImageLoader.prepare(data, imageSize, channels, maxPixels, cacheDir, note -> {
            noted[0] = true;
            console.println("note: " + note);
        });
        ImageSet images = prepared.images();
        String warned = images.warnings().isEmpty() ? ""
                : ", " + images.warnings().size() + " used with a decoder warning";
        console.printf("images: %d used, %d skipped%s%s, %s in %.1f s (%.0f images/s)%n",
                images.count(), images.skipped().size(), warned, skippedHint,
                prepared.fromCache() ? "read from the cache" : "decoded", prepared.seconds(),
                prepared.imagesPerSecond());
        console.println("data: " + ImageClasses.summary(images.classes(), images.classCounts()));
        if (prepared.fromCache()) {
            console.println("image cache: " + prepared.cacheFile());
        } else if (!noted[0] || writtenSince(prepared.cacheFile(), start)) {
            console.println("image cache written: " + prepared.cacheFile());
        } // else the note said why the cache could not be written
        return prepared;
    }

    private static boolean writtenSince(Path file, long millis) {
        try {
            return Files.getLastModifiedTime(file).toMillis() >= millis;
        } catch (IOException e) {
            return false;
        }
    }
}
