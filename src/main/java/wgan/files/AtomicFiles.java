package wgan.files;

import wgan.files.FileErrors;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that readers (and a crash at any instant) see either the old complete file or
 * the new complete one: write a temporary file beside it, force it to disk, rename over.
 */
public final class AtomicFiles {

    /** Writes the content of one file given its path. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(Path file) throws IOException;
    }

    private AtomicFiles() {
    }

    public static void write(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // Not createTempFile: its files are private (0600); a run's outputs keep the umask's permissions.
        Path temp = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
                + Thread.currentThread().getId() + ".tmp");
        try {
            writeAndSync(temp, writer);
            moveOver(temp, target);
        } catch (IOException e) {
            // Say which file: "No space left on device" alone does not tell a user where.
            throw new IOException("cannot write " + target + ": " + about(e, temp, target), e);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The reason alone when it concerns the file being written, else the other file and its reason. */
    private static String about(IOException e, Path temp, Path target) {
        String file = e instanceof FileSystemException fs ? fs.getFile() : null;
        boolean same = file == null || file.equals(temp.toString()) || file.equals(target.toString());
        return same ? FileErrors.reason(e) : FileErrors.describe(e);
    }

    private static void writeAndSync(Path temp, Writer writer) throws IOException {
        writer.writeTo(temp);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    private static void moveOver(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /** Makes the rename itself durable across a power cut; best effort where a folder cannot be synced. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some file systems refuse to sync a folder; the file itself is already on disk
        }
    }

    public static void writeString(Path target, String content) throws IOException {
        write(target, file -> Files.writeString(file, content));
    }
}
