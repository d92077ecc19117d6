package wgan.data;

import org.datavec.api.io.labels.ParentPathLabelGenerator;
import org.datavec.api.io.labels.PathLabelGenerator;
import wgan.config.InputException;
import wgan.files.FileErrors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Scans a data folder and gives its prepared images with their classes: from the cache file when
 * it matches the folder as it is now, else by decoding every image once, in parallel, through
 * DataVec ({@link ImageDecoder}), and writing the cache. An image's class is its parent folder, as
 * DataVec's {@link ParentPathLabelGenerator} names it (files directly in the data folder form one
 * class, named after that folder).
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

    /** {@link #prepare(Path, int, int, long, Path, Consumer)} with the default --max-pixels. */
    public static Prepared prepare(Path root, int size, int channels, Path cacheDir, Consumer<String> notes) {
        return prepare(root, size, channels, ImageDecoder.DEFAULT_MAX_PIXELS, cacheDir, notes);
    }

    /**
     * @param maxPixels images with more pixels than this (by their header) are skipped, never decoded
     * @param notes     gets one line when a cache file is unusable or cannot be written; neither stops the run
     * @throws InputException when the folder is missing or holds no usable image
     */
    public static Prepared prepare(Path root, int size, int channels, long maxPixels, Path cacheDir,
                                   Consumer<String> notes) {
        if (maxPixels < 1) {
            throw new InputException("--max-pixels must be 1 or more, got " + maxPixels);
        }
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
        ImageCache cache = new ImageCache(cacheDir, root, size, channels, maxPixels, files);
        ImageCache.Contents stored = readCache(cache, readAhead, notes);
        boolean fromCache = stored != null;
        ImageCache.Contents contents = fromCache ? stored : decodeAll(root, files, size, channels, maxPixels);
        if (contents.count() == 0) {
            throw new InputException("none of the " + files.size() + " image files under " + root
                    + " could be decoded (first: " + contents.problems().get(0) + ")");
        }
        if (!fromCache) {
            writeCache(cache, root, contents, notes);
        }
        List<SkippedFile> skipped = new ArrayList<>(listing.skipped());
        List<SkippedFile> warnings = new ArrayList<>();
        for (SkippedFile problem : contents.problems()) {
            (problem.kind() == SkippedFile.Kind.WARNING ? warnings : skipped).add(problem);
        }
        ImageSet images = new ImageSet(root, contents.pixels(), contents.count(), skipped, warnings,
                contents.classes(), contents.labels());
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
            return stored != null && !anyNowReadable(stored.problems()) ? stored : null;
        } catch (CompletionException e) {
            notes.accept("image cache " + cache.file() + " is unusable (" + (e.getCause() instanceof IOException io
                    ? FileErrors.reason(io) : e.getCause().getMessage()) + "); rebuilding it");
            return null;
        }
    }

    /** chmod changes no size or time; a file that was unreadable when cached and is readable now must be decoded. */
    private static boolean anyNowReadable(List<SkippedFile> problems) {
        return problems.stream().anyMatch(s -> s.reason().startsWith(ImageDecoder.UNREADABLE)
                && Files.isReadable(s.path()));
    }

    private static ImageCache.Contents decodeAll(Path root, List<ImageFiles.Found> files, int size, int channels,
                                                 long maxPixels) {
        ImageDecoder decoder = new ImageDecoder(size, channels, maxPixels, new DecodeBudget(DecodeBudget.DEFAULT_BYTES));
        ImageSet.Pixels pixels = new ImageSet.Pixels(files.size(), size, channels);
        String[] problems = new String[files.size()];
        String[] warnings = new String[files.size()];
        try (NativeStderr stderr = NativeStderr.capture()) {
            boolean[] complained = new boolean[files.size()];
            IntStream.range(0, files.size()).parallel().forEach(i -> {
                long before = stderr.size();
                ImageDecoder.Result result = decoder.decode(files.get(i).path());
                // this decode, or one beside it on another thread, printed something
                complained[i] = stderr.size() != before;
                if (result.pixels() != null) {
                    pixels.put(i, result.pixels());
                } else {
                    problems[i] = result.problem();
                }
            });
            attribute(stderr, decoder, files, complained, problems, warnings);
        }
        // close the gaps the failed files left, keeping the sorted order; give each image its class
        PathLabelGenerator labelling = new ParentPathLabelGenerator();
        String[] folderOf = new String[files.size()];
        TreeSet<String> classNames = new TreeSet<>();
        List<SkippedFile> reported = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path path = files.get(i).path();
            if (problems[i] != null) {
                reported.add(new SkippedFile(path, problems[i]));
            } else {
                folderOf[i] = labelling.getLabelForPath(path.toString()).toString();
                classNames.add(folderOf[i]);
                if (warnings[i] != null) {
                    reported.add(SkippedFile.warning(path, warnings[i]));
                }
            }
        }
        List<String> classes = List.copyOf(classNames);
        Map<String, Integer> index = new HashMap<>();
        for (String name : classes) {
            index.put(name, index.size());
        }
        int[] labels = new int[files.size()];
        List<Path> used = new ArrayList<>();
        int n = 0;
        for (int i = 0; i < files.size(); i++) {
            if (problems[i] == null) {
                if (n != i) {
                    pixels.move(i, n);
                }
                labels[n++] = index.get(folderOf[i]);
                used.add(files.get(i).path());
            }
        }
        return new ImageCache.Contents(pixels, n, used, reported, classes, Arrays.copyOf(labels, n));
    }

    /**
     * Decodes the files whose decode saw the decoders print something once more, one at a time,
     * so that each message is tied to its file: a complaint that says image data was lost skips
     * the file, any other is a warning on a file that is used. Whatever no file reproduces (a JVM
     * message printed meanwhile, say) is passed on to the terminal when the capture closes.
     */
    private static void attribute(NativeStderr stderr, ImageDecoder decoder, List<ImageFiles.Found> files,
                                  boolean[] complained, String[] problems, String[] warnings) {
        long parallelEnd = stderr.size();
        List<String> claimed = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            if (!complained[i]) {
                continue;
            }
            long before = stderr.size();
            ImageDecoder.Result again = decoder.decode(files.get(i).path());
            String text = stderr.text(before, stderr.size());
            String complaint = DecoderComplaint.oneLine(text);
            if (complaint.isEmpty()) {
                continue;
            }
            claimed.addAll(text.lines().toList());
            if (again.pixels() == null) {
                problems[i] = again.problem() + " (" + complaint + ")";
            } else if (DecoderComplaint.lostData(complaint)) {
                problems[i] = "damaged image data (" + complaint + ")";
            } else {
                warnings[i] = complaint;
            }
        }
        // what the parallel pass caught that no file claimed, once per claimed line
        List<String> unclaimed = new ArrayList<>(stderr.text(0, parallelEnd).lines().toList());
        for (String line : claimed) {
            unclaimed.remove(line);
        }
        StringBuilder rest = new StringBuilder();
        unclaimed.stream().filter(l -> !l.isBlank()).forEach(l -> rest.append(l).append('\n'));
        stderr.closeAndForward(rest.toString());
    }

    private static void writeCache(ImageCache cache, Path root, ImageCache.Contents contents, Consumer<String> notes) {
        try {
            cache.write(root, contents);
        } catch (IOException e) {
            notes.accept("cannot write image cache " + cache.file() + " (" + FileErrors.describe(e)
                    + "); going on without it, choose a writable --cache-dir to keep it");
        }
    }
}
