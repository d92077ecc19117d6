package wgan.files;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Says what went wrong with a file in words a user reads, never a Java class name: the JDK's
 * file exceptions carry the operating system's reason ("No space left on device") or only a path
 * and a type (an AccessDeniedException's message is the bare path).
 */
public final class FileErrors {
    private FileErrors() {
    }

    /** "/a/b: permission denied", "/a/b: No space left on device", or the message of a plain IOException. */
    public static String describe(IOException e) {
        if (e instanceof FileSystemException fs) {
            String reason = reason(fs);
            return fs.getFile() == null ? reason : fs.getFile() + ": " + reason;
        }
        return e.getMessage() != null ? e.getMessage() : "input/output error";
    }

    /** The reason alone, without the file: "permission denied", "no such file or folder". */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException fs && fs.getReason() != null && !fs.getReason().isBlank()) {
            return fs.getReason();
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (e instanceof NotDirectoryException) {
            return "not a folder";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "folder not empty";
        }
        if (e instanceof FileSystemLoopException) {
            return "symbolic link loop";
        }
        if (e instanceof FileSystemException) {
            return "cannot access it";
        }
        return e.getMessage() != null ? e.getMessage() : "input/output error";
    }
}
