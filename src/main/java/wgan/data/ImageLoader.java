package wgan.data;

import wgan.config.InputException;
import wgan.files.FileErrors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Scans a data folder and gives its prepared images: from the cache file when it matches the
 * folder as it is now, else by decoding every image once, in parallel, and writing the cache.
 */
public final class ImageLoader {
    private ImageLoader() {
    }

    /**
     * The images and where they came from.
     *
     * @param decoded   how many files were decoded now (0 when the cache was used)
     * @param cacheFile the cache file read or written
     */
    public record Prepared(ImageSet images, boolean fromCache, int decoded, double seconds, Path cacheFile) {
        /** Image files handled per second: decoded now, or read from the cache. */
        public double imagesPerSecond() {
            int files = fromCache ? images.count() : decoded;
            return files / Math.max(seconds, 1e-9);
        }
    }

    /**
     * @param notes gets one line when a cache file is unusable or cannot be written; neither stops the run
     * @throws InputException when the folder is missing or holds no usable image
     */
    public static Prepared prepare(Path root, int size, int channels, Path cacheDir, Consumer<String> notes) {
        long start = System.nanoTime();
        // The cache file's name depends only on (folder, size, channels): read it while the folder
        // is scanned (two cores: I/O and checksum beside the stat calls), and use it if it matches.
        CompletableFuture<ImageCache.Stored> readAhead = readAhead(ImageCache.fileFor(cacheDir, root, size, channels),
                root, size, channels);
        ImageFiles.Listing listing = ImageFiles.scan(root);
        List<ImageFiles.Found> files = listing.images();
        if (files.isEmpty()) {
            throw new InputException("no images (" + ImageFiles.extensionList() + ") found under " + root
                    + "; point --data at a folder of photos");
        }
        ImageCache cache = new ImageCache(cacheDir, root, size, channels, files);
        ImageCache.Contents stored = readCache(cache, readAhead, notes);
        boolean fromCache = stored != null;
        ImageCache.Contents contents = fromCache ? stored : decodeAll(root, files, size, channels);
        if (contents.count() == 0) {
            throw new InputException("none of the " + files.size() + " image files under " + root
                    + " could be decoded (first: " + contents.undecodable().get(0) + ")");
        }
        if (!fromCache) {
            writeCache(cache, root, files, contents, notes);
        }
        List<SkippedFile> skipped = new ArrayList<>(listing.skipped());
        skipped.addAll(contents.undecodable());
        ImageSet images = new ImageSet(root, contents.pixels(), contents.count(), skipped);
        return new Prepared(images, fromCache, fromCache ? 0 : files.size(), (System.nanoTime() - start) / 1e9,
                cache.file());
    }

    private static CompletableFuture<ImageCache.Stored> readAhead(Path file, Path root, int size, int channels) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return ImageCache.readStored(file, root, size, channels);
            } catch (IOException | ImageCache.Unusable e) {
                throw new CompletionException(e);
            }
        });
    }

    private static ImageCache.Contents readCache(ImageCache cache, CompletableFuture<ImageCache.Stored> readAhead,
                                                 Consumer<String> notes) {
        try {
            ImageCache.Contents stored = cache.matching(readAhead.join());
            return stored != null && !anyNowReadable(stored.undecodable()) ? stored : null;
        } catch (CompletionException e) {
            notes.accept("image cache " + cache.file() + " is unusable (" + (e.getCause() instanceof IOException io
                    ? FileErrors.reason(io) : e.getCause().getMessage()) + "); rebuilding it");
            return null;
        }
    }

    /** chmod changes no size or time; a file that was unreadable when cached and is readable now must be decoded. */
    private static boolean anyNowReadable(List<SkippedFile> undecodable) {
        return undecodable.stream().anyMatch(s -> s.reason().startsWith(ImageDecoder.UNREADABLE)
                && Files.isReadable(s.path()));
    }

    private static ImageCache.Contents decodeAll(Path root, List<ImageFiles.Found> files, int size, int channels) {
        ImageDecoder decoder = new ImageDecoder(size, channels);
        ImageSet.Pixels pixels = new ImageSet.Pixels(files.size(), size, channels);
        String[] problems = new String[files.size()];
        IntStream.range(0, files.size()).parallel().forEach(i -> {
            ImageDecoder.Result result = decoder.decode(files.get(i).path());
            if (result.pixels() != null) {
                pixels.put(i, result.pixels());
            } else {
                problems[i] = result.problem();
            }
        });
        // close the gaps the failed files left, keeping the sorted order
        List<SkippedFile> undecodable = new ArrayList<>();
        int used = 0;
        for (int i = 0; i < files.size(); i++) {
            if (problems[i] != null) {
                undecodable.add(new SkippedFile(files.get(i).path(), problems[i]));
            } else {
                if (used != i) {
                    pixels.move(i, used);
                }
                used++;
            }
        }
        return new ImageCache.Contents(pixels, used, undecodable);
    }

    private static void writeCache(ImageCache cache, Path root, List<ImageFiles.Found> files,
                                   ImageCache.Contents contents, Consumer<String> notes) {
        Set<Path> failed = contents.undecodable().stream().map(SkippedFile::path).collect(Collectors.toSet());
        List<Path> used = files.stream().map(ImageFiles.Found::path).filter(p -> !failed.contains(p)).toList();
        try {
            cache.write(root, used, contents.pixels(), contents.count(), contents.undecodable());
        } catch (IOException e) {
            notes.accept("cannot write image cache " + cache.file() + " (" + FileErrors.describe(e)
                    + "); going on without it, choose a writable --cache-dir to keep it");
        }
    }
}
