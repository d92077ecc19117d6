package wgan.data;

import wgan.files.AtomicFiles;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import java.util.zip.Checksum;

/**
 * The prepared images of one data folder at one image size and channel count, in a file:
 * <pre>
 *   "WGANIMGS", format version
 *   SHA-256 of (format version, absolute folder, size, channels, --max-pixels, every image
 *           file's relative path, size and modification time)   -- any added, removed or touched file changes it
 *   used files (relative paths)
 *   class names (parent folders, sorted), then each used image's class index
 *   files skipped at decoding or used with a decoder warning (relative path, reason, kind)
 *   the images, uint8 planar CHW, back to back
 *   CRC-32 of all of the above                  -- a truncated or damaged file is never used
 * </pre>
 * One file per (folder, size, channels): a changed folder replaces its cache instead of leaving
 * stale ones behind.
 */
public final class ImageCache {
    // 2: CRC-32 (zlib, fast before the JIT warms up) instead of CRC-32C;
    // 3: decoded through DataVec, with each image's class and the decoder warnings
    static final int FORMAT_VERSION = 3;
    private static final byte[] MAGIC = "WGANIMGS".getBytes(StandardCharsets.US_ASCII);

    private final Path file;
    private final byte[] fingerprint;

    /**
     * Decoded images, their files and classes, and the files skipped at decoding or used with a
     * decoder warning, as stored.
     *
     * @param used   the used files, in order (empty when read back: only the fingerprint needs them)
     * @param labels each image's index into classes
     */
    record Contents(ImageSet.Pixels pixels, int count, List<Path> used, List<SkippedFile> problems,
                    List<String> classes, int[] labels) {
    }

    /** The cache file is there but cannot be used; the message says why, in a few words. */
    static final class Unusable extends Exception {
        Unusable(String message) {
            super(message);
        }
    }

    ImageCache(Path cacheDir, Path root, int size, int channels, long maxPixels, List<ImageFiles.Found> files) {
        Path absolute = root.toAbsolutePath().normalize();
        this.file = cacheDir.resolve(fileName(absolute, size, channels));
        this.fingerprint = fingerprint(absolute, size, channels, maxPixels, files);
    }

    Path file() {
        return file;
    }

    /** What a cache file holds: the fingerprint it was made for, and its checksum-verified contents. */
    record Stored(byte[] fingerprint, Contents contents) {
    }

    /** The cache file for a folder at a size; its name does not depend on the folder's files. */
    static Path fileFor(Path cacheDir, Path root, int size, int channels) {
        return cacheDir.resolve(fileName(root.toAbsolutePath().normalize(), size, channels));
    }

    /** The stored images if the file matches this folder's current state; null if there is none or it is stale. */
    Contents read(Path root, int size, int channels) throws IOException, Unusable {
        return matching(readStored(file, root, size, channels));
    }

    /** The contents of what was read (e.g. ahead, while the folder was scanned) if made for this folder's state. */
    Contents matching(Stored stored) {
        return stored != null && Arrays.equals(stored.fingerprint(), fingerprint) ? stored.contents() : null;
    }

    /**
     * Reads a whole cache file and checks its checksum, whatever folder state it was made for: this
     * can run while the folder is still being scanned. Null when there is no file or it is of
     * another format version.
     */
    static Stored readStored(Path file, Path root, int size, int channels) throws IOException, Unusable {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Checksum crc = new CRC32();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            CountingInputStream counted = new CountingInputStream(
                    new BufferedInputStream(Channels.newInputStream(channel), 1 << 16));
            // the checksum above the buffer, so it sees exactly the bytes read so far
            DataInputStream in = new DataInputStream(new CheckedInputStream(counted, crc));
            if (!Arrays.equals(in.readNBytes(MAGIC.length), MAGIC)) {
                throw new Unusable("not a wgan image cache");
            }
            if (in.readInt() != FORMAT_VERSION) {
                return null;
            }
            byte[] storedFingerprint = in.readNBytes(32);
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                in.readUTF(); // used file names: for people reading the cache; the fingerprint already covers them
            }
            int classCount = in.readInt();
            List<String> classes = new ArrayList<>(classCount);
            for (int i = 0; i < classCount; i++) {
                classes.add(in.readUTF());
            }
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = in.readInt();
                if (labels[i] < 0 || labels[i] >= classCount) {
                    throw new Unusable("class index out of range");
                }
            }
            List<SkippedFile> problems = new ArrayList<>();
            int failed = in.readInt();
            for (int i = 0; i < failed; i++) {
                Path path = root.resolve(in.readUTF());
                String reason = in.readUTF();
                problems.add(new SkippedFile(path, reason, in.readBoolean() ? SkippedFile.Kind.WARNING
                        : SkippedFile.Kind.SKIPPED));
            }
            long pixelStart = counted.count;
            long pixelEnd = pixelStart + (long) count * size * size * channels;
            if (channel.size() < pixelEnd + Long.BYTES) {
                throw new Unusable("truncated");
            }
            ImageSet.Pixels pixels = ImageSet.Pixels.mapped(channel, pixelStart, count, size, channels);
            for (ByteBuffer chunk : pixels.chunks) {
                crc.update(chunk.duplicate());
            }
            ByteBuffer stored = ByteBuffer.allocate(Long.BYTES);
            channel.read(stored, pixelEnd);
            if (stored.flip().getLong() != crc.getValue()) {
                throw new Unusable("checksum mismatch");
            }
            return new Stored(storedFingerprint, new Contents(pixels, count, List.of(), List.copyOf(problems),
                    List.copyOf(classes), labels));
        } catch (NoSuchFileException e) {
            return null;
        } catch (EOFException | java.nio.BufferUnderflowException e) {
            throw new Unusable("truncated");
        }
    }

    /** Bytes handed to the reader above it (not the bytes its buffer below has read ahead). */
    private static final class CountingInputStream extends java.io.FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    void write(Path root, Contents contents) throws IOException {
        ImageSet.Pixels pixels = contents.pixels();
        int count = contents.count();
        AtomicFiles.write(file, temp -> {
            Checksum crc = new CRC32();
            try (CheckedOutputStream checked = new CheckedOutputStream(Files.newOutputStream(temp), crc);
                 DataOutputStream out = new DataOutputStream(new BufferedOutputStream(checked, 1 << 16))) {
                out.write(MAGIC);
                out.writeInt(FORMAT_VERSION);
                out.write(fingerprint);
                out.writeInt(count);
                for (Path path : contents.used()) {
                    out.writeUTF(relative(root, path));
                }
                out.writeInt(contents.classes().size());
                for (String name : contents.classes()) {
                    out.writeUTF(name);
                }
                for (int i = 0; i < count; i++) {
                    out.writeInt(contents.labels()[i]);
                }
                out.writeInt(contents.problems().size());
                for (SkippedFile problem : contents.problems()) {
                    out.writeUTF(relative(root, problem.path()));
                    out.writeUTF(problem.reason());
                    out.writeBoolean(problem.kind() == SkippedFile.Kind.WARNING);
                }
                long remaining = (long) count * pixels.imageBytes;
                byte[] copy = new byte[1 << 16];
                for (ByteBuffer chunk : pixels.chunks) {
                    ByteBuffer bytes = chunk.duplicate().position(0).limit((int) Math.min(chunk.capacity(), remaining));
                    remaining -= bytes.remaining();
                    while (bytes.hasRemaining()) {
                        int n = Math.min(copy.length, bytes.remaining());
                        bytes.get(copy, 0, n);
                        out.write(copy, 0, n);
                    }
                }
                out.flush();
                out.writeLong(crc.getValue());
            }
        });
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString();
    }

    private static String fileName(Path absoluteRoot, int size, int channels) {
        Path name = absoluteRoot.getFileName();
        String folder = name == null ? "root" : name.toString().replaceAll("[^A-Za-z0-9._-]", "_");
        String where = HexFormat.of().formatHex(sha256().digest(absoluteRoot.toString().getBytes(StandardCharsets.UTF_8)), 0, 6);
        return folder + "-" + where + "-" + size + "x" + size + "x" + channels + ".wgancache";
    }

    private static byte[] fingerprint(Path absoluteRoot, int size, int channels, long maxPixels,
                                      List<ImageFiles.Found> files) {
        // One text, one digest call: 20,000 small updates cost more than the text itself before the JIT warms up.
        StringBuilder text = new StringBuilder(files.size() * 64);
        text.append(FORMAT_VERSION).append('\n').append(absoluteRoot).append('\n').append(size).append('x')
                .append(channels).append('\n').append(maxPixels).append('\n');
        for (ImageFiles.Found f : files) {
            text.append(absoluteRoot.relativize(f.path().toAbsolutePath().normalize())).append('\t').append(f.bytes())
                    .append('\t').append(f.modifiedMillis()).append('\n');
        }
        return sha256().digest(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
