package wgan.data;

import wgan.config.InputException;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
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
 * reported, not followed forever), skipping hidden files and folders, in a sorted order so that
 * the same folder always gives the same list.
 */
public final class ImageFiles {
    public static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp");

    /** Files found, and things passed over that a user may want to know about. */
    public record Listing(List<Path> images, List<SkippedFile> skipped) {
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
        List<Path> images = new ArrayList<>();
        List<SkippedFile> skipped = new ArrayList<>();
        try {
            Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return !dir.equals(root) && isHidden(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (!isHidden(file) && attrs.isRegularFile() && hasImageExtension(file)) {
                        images.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    String reason = e instanceof FileSystemLoopException ? "symbolic link loop" : "unreadable: " + e;
                    skipped.add(new SkippedFile(file, reason));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new InputException("cannot read data folder " + root + ": " + e.getMessage(), e);
        }
        images.sort(null);
        return new Listing(List.copyOf(images), List.copyOf(skipped));
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
