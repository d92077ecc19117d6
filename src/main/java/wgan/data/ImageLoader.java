package wgan.data;

import wgan.config.InputException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/** Scans a data folder and decodes every image once, in parallel, into an {@link ImageSet}. */
public final class ImageLoader {
    private ImageLoader() {
    }

    /**
     * @param progress called with the number of files done so far, from worker threads
     * @throws InputException when the folder is missing or holds no usable image
     */
    public static ImageSet load(Path root, int size, int channels, IntConsumer progress) {
        ImageFiles.Listing listing = ImageFiles.scan(root);
        List<Path> files = listing.images();
        if (files.isEmpty()) {
            throw new InputException("no images (" + String.join(", ", ImageFiles.EXTENSIONS.stream().sorted().toList())
                    + ") found under " + root + "; point --data at a folder of photos");
        }
        ImageDecoder decoder = new ImageDecoder(size, channels);
        ImageDecoder.Result[] results = new ImageDecoder.Result[files.size()];
        AtomicInteger done = new AtomicInteger();
        IntStream.range(0, files.size()).parallel().forEach(i -> {
            results[i] = decoder.decode(files.get(i));
            progress.accept(done.incrementAndGet());
        });
        List<byte[]> images = new ArrayList<>(files.size());
        List<SkippedFile> skipped = new ArrayList<>(listing.skipped());
        for (int i = 0; i < results.length; i++) {
            if (results[i].pixels() != null) {
                images.add(results[i].pixels());
            } else {
                skipped.add(new SkippedFile(files.get(i), results[i].problem()));
            }
        }
        if (images.isEmpty()) {
            throw new InputException("none of the " + files.size() + " image files under " + root
                    + " could be decoded (first: " + skipped.get(skipped.size() - 1) + ")");
        }
        return new ImageSet(root, images.toArray(new byte[0][]), size, channels, skipped);
    }
}
