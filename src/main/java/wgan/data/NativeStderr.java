package wgan.data;

import com.sun.jna.Library;
import com.sun.jna.Native;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What the native decoders print while images are decoded, caught so that it can be tied to a
 * file. libjpeg ("Corrupt JPEG data: premature end of data segment"), libpng ("libpng error: ...")
 * and OpenCV write straight to the process's standard error (file descriptor 2) with no file name,
 * and neither OpenCV nor javacv offers a hook for it. So while a capture is open, descriptor 2
 * points at an unlinked temporary file (C's stderr is unbuffered: a message is in the file when the decode
 * call that printed it returns), and {@link #size()} before and after a decode says whether that
 * decode (or one running beside it) complained. On close descriptor 2 is put back.
 * <p>
 * Needs the C library's dup and dup2 (through JNA, which ND4J already brings); where they cannot
 * be called, {@link #capture()} gives a capture that catches nothing and the messages go to the
 * terminal as before. One capture at a time in the process.
 */
final class NativeStderr implements AutoCloseable {
    /** The C library calls used; JNA binds them by name. */
    private interface LibC extends Library {
        int dup(int fd);

        int dup2(int from, int to);

        int open(String path, int flags, int mode);

        int close(int fd);
    }

    private static final int STDERR = 2;
    private static final int O_WRONLY = 1;
    private static final int O_APPEND = 02000; // Linux values: the jar carries Linux natives only
    private static final LibC C = load();
    private static final Object ONE_AT_A_TIME = new Object();

    private final Path file;
    private final FileChannel reader;
    private final int saved;
    private boolean closed;

    private NativeStderr(Path file, FileChannel reader, int saved) {
        this.file = file;
        this.reader = reader;
        this.saved = saved;
    }

    private static LibC load() {
        try {
            return Native.loadLibrary("c", LibC.class);
        } catch (LinkageError | RuntimeException e) {
            return null;
        }
    }

    /** Starts catching descriptor 2; a capture that catches nothing if that cannot be done. */
    static NativeStderr capture() {
        synchronized (ONE_AT_A_TIME) {
            if (C == null) {
                return new NativeStderr(null, null, -1);
            }
            Path file = null;
            try {
                file = Files.createTempFile("wgan-decoder-messages-", ".txt");
                int fd = C.open(file.toString(), O_WRONLY | O_APPEND, 0);
                if (fd < 0) {
                    Files.deleteIfExists(file);
                    return new NativeStderr(null, null, -1);
                }
                System.err.flush();
                int saved = C.dup(STDERR);
                if (saved < 0 || C.dup2(fd, STDERR) < 0) {
                    C.close(fd);
                    if (saved >= 0) {
                        C.close(saved);
                    }
                    Files.deleteIfExists(file);
                    return new NativeStderr(null, null, -1);
                }
                C.close(fd);
                FileChannel reader = FileChannel.open(file, StandardOpenOption.READ);
                // both ends are open: the name can go now, so even a killed process leaves no file behind
                Files.deleteIfExists(file);
                return new NativeStderr(file, reader, saved);
            } catch (IOException | RuntimeException e) {
                if (file != null) {
                    try {
                        Files.deleteIfExists(file);
                    } catch (IOException ignored) {
                        // a temporary file left behind is all it costs
                    }
                }
                return new NativeStderr(null, null, -1);
            }
        }
    }

    boolean catching() {
        return file != null;
    }

    /** Bytes caught so far. */
    long size() {
        try {
            return file == null ? 0 : reader.size();
        } catch (IOException e) {
            return 0;
        }
    }

    /** What was caught between two sizes. */
    String text(long from, long to) {
        if (file == null || to <= from) {
            return "";
        }
        ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(to - from, 1 << 20));
        try {
            while (bytes.hasRemaining() && reader.read(bytes, from + bytes.position()) > 0) {
                // read until full or at the end
            }
        } catch (IOException e) {
            return "";
        }
        return new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8);
    }

    /** Puts descriptor 2 back and writes there what nobody claimed (never lost, only delayed). */
    void closeAndForward(String unclaimed) {
        if (closed) {
            return;
        }
        closed = true;
        if (file == null) {
            return;
        }
        synchronized (ONE_AT_A_TIME) {
            System.err.flush();
            C.dup2(saved, STDERR);
            C.close(saved);
        }
        try {
            reader.close();
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temporary file left behind is all it costs
        }
        if (!unclaimed.isEmpty()) {
            try {
                FileOutputStream err = new FileOutputStream(FileDescriptor.err);
                err.write(unclaimed.getBytes(StandardCharsets.UTF_8));
                err.flush();
            } catch (IOException ignored) {
                // standard error is gone: nowhere to say it
            }
        }
    }

    @Override
    public void close() {
        closeAndForward(text(0, size()));
    }
}
