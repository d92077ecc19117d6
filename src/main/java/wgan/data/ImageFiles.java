package wgan.data;

import wgan.config.InputException;
import wgan.files.FileErrors;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds the image files under a data folder: recursively, following links (a link loop is
 * reported, not followed forever), skipping hidden files and folders and the folders of earlier
 * wgan runs (their sample grids would become training data), in a sorted order so that
 * the same folder always gives the same list. Each file comes with its size and modification
 * time, which key the prepared-image cache.
 */
public final class ImageFiles {
    public static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp");
    public static final String RUN_FOLDER_SKIPPED = "a wgan run folder, not searched";

    /** An image file as the scan saw it (through links: the size and time of the target). */
    public record Found(Path path, long bytes, long modifiedMillis) implements Comparable<Found> {
        @Override
        public int compareTo(Found other) {
            return path.compareTo(other.path);
        }
    }

    /** Files found, and things passed over that a user may want to know about. */
    public record Listing(List<Found> images, List<SkippedFile> skipped) {
    }

    private ImageFiles() {
    }

    public static Listing scan(Path root) {
        if (!Files.exists(root)) {
            throw new InputException("data folder " + root + " does not exist; give --data a folder of images");
        }
        if (!Files.isDirectory(root)) {
            throw new InputException("--data " + root + " is not a folder; give a folder of images (searched recursively)");
        }
        List<Found> images = new ArrayList<>();
        List<SkippedFile> skipped = new ArrayList<>();
        try {
            Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (!dir.equals(root) && isHidden(dir)) {
                        skipped.add(new SkippedFile(dir, "hidden folder, not searched"));
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    if (!dir.equals(root) && isRunFolder(dir)) {
                        skipped.add(new SkippedFile(dir, RUN_FOLDER_SKIPPED));
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (isHidden(file)) {
                        skipped.add(new SkippedFile(file, "hidden file"));
                    } else if (attrs.isSymbolicLink()) {
                        // the walk follows links; it hands over the link itself only when its target is missing
                        skipped.add(new SkippedFile(file, "broken symbolic link"));
                    } else if (attrs.isOther()) {
                        skipped.add(new SkippedFile(file, "not a regular file: " + kindOf(file)));
                    } else if (!attrs.isRegularFile() || !hasImageExtension(file)) {
                        skipped.add(new SkippedFile(file, "not an image file (not " + extensionList() + ")"));
                    } else {
                        images.add(new Found(file, attrs.size(), attrs.lastModifiedTime().toMillis()));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    skipped.add(new SkippedFile(file, whyUnvisitable(e)));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new InputException("cannot read data folder " + root + ": " + FileErrors.describe(e), e);
        }
        images.sort(null);
        return new Listing(List.copyOf(images), List.copyOf(skipped));
    }

    /** "bmp, jpeg, jpg, png", for messages. */
    public static String extensionList() {
        return String.join(", ", EXTENSIONS.stream().sorted().toList());
    }

    private static String whyUnvisitable(IOException e) {
        if (e instanceof FileSystemLoopException) {
            return "symbolic link loop";
        }
        if (e instanceof NoSuchFileException) {
            return "broken symbolic link";
        }
        if (e instanceof AccessDeniedException) {
            return "unreadable: permission denied";
        }
        return "unreadable: " + FileErrors.reason(e);
    }

    /**
     * A folder a wgan run wrote (its checkpoints/ beside options.json, metrics.jsonl or the marker
     * wgan.io.RunFolder leaves): its sample grids are not training data. The names are RunFolder's;
     * wgan.data cannot import wgan.io.
     */
    static boolean isRunFolder(Path dir) {
        return Files.isDirectory(dir.resolve("checkpoints")) && (Files.exists(dir.resolve(".wgan-run"))
                || Files.exists(dir.resolve("options.json")) || Files.exists(dir.resolve("metrics.jsonl")));
    }

    /** What a file that is neither a regular file, a folder nor a link is, from its stat mode bits. */
    private static String kindOf(Path file) {
        try {
            int type = ((Integer) Files.getAttribute(file, "unix:mode")) & 0170000;
            return switch (type) {
                case 0010000 -> "named pipe";
                case 0020000 -> "character device";
                case 0060000 -> "block device";
                case 0140000 -> "socket";
                default -> "special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return "special file";
        }
    }

    static boolean hasImageExtension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static boolean isHidden(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().startsWith(".");
    }
}
