package wgan.data;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Turns one image file into a size x size training image, as the WGAN reference's torchvision
 * pipeline does (Resize(size) on the shorter side, CenterCrop(size)): uint8, planar CHW, RGB or
 * grayscale; or says in a few words why the file cannot be used. The header is read first: a file
 * that is not a JPEG, PNG or BMP inside, a truncated JPEG, or an image of more than
 * {@code maxPixels} pixels never reaches the native decoders. The decoding itself is DataVec's
 * ({@link ScaledImageLoader}), one loader per thread.
 */
public final class ImageDecoder {
    /** How the reason for a file that cannot be read starts. */
    static final String UNREADABLE = "unreadable";
    /** How the reason for an image over --max-pixels starts. */
    static final String TOO_LARGE = "image too large";
    /** Default --max-pixels: 100 megapixels, more than any camera photo of today (a 12,000 x 8,000 frame is 96). */
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;
    /** Enough of a file to find a JPEG's frame header behind its EXIF and ICC segments, usually. */
    private static final int HEADER_BYTES = 256 << 10;

    private final int size;
    private final int channels;
    private final long maxPixels;
    private final DecodeBudget budget;
    private final ThreadLocal<ScaledImageLoader> loaders;

    public ImageDecoder(int size, int channels) {
        this(size, channels, DEFAULT_MAX_PIXELS, new DecodeBudget(DecodeBudget.DEFAULT_BYTES));
    }

    ImageDecoder(int size, int channels, long maxPixels, DecodeBudget budget) {
        this.size = size;
        this.channels = channels;
        this.maxPixels = maxPixels;
        this.budget = budget;
        this.loaders = ThreadLocal.withInitial(() -> new ScaledImageLoader(size, channels));
    }

    /** A decoded image, or the reason it cannot be used. Exactly one of the two is non-null. */
    public record Result(byte[] pixels, String problem) {
        static Result failed(String problem) {
            return new Result(null, problem);
        }
    }

    public Result decode(Path file) {
        try {
            long length = Files.size(file);
            if (length == 0) {
                return Result.failed("empty file");
            }
            if (length > Integer.MAX_VALUE - 64) {
                return Result.failed(String.format(Locale.ROOT, "file too large (%.1f GB)", length / 1e9));
            }
            byte[] head = readHead(file, (int) Math.min(length, HEADER_BYTES));
            ImageHeader header = ImageHeader.read(head);
            if (header == null && head.length < length && isJpeg(head)) {
                head = Files.readAllBytes(file); // the frame header lies behind large metadata
                header = ImageHeader.read(head);
            }
            String refused = refuse(header);
            if (refused != null) {
                return Result.failed(refused);
            }
            // the file's bytes twice (Java's copy and the native one) plus what the decoder holds
            try (DecodeBudget.Reservation r = budget.reserve(2 * length + header.decodeBytes(size))) {
                byte[] bytes = head.length == length ? head : Files.readAllBytes(file);
                return decodeChecked(bytes, header);
            }
        } catch (AccessDeniedException e) {
            return Result.failed(UNREADABLE + ": permission denied");
        } catch (NoSuchFileException e) {
            return Result.failed(UNREADABLE + ": removed while the folder was read");
        } catch (IOException e) {
            return Result.failed(UNREADABLE + ": " + (e.getMessage() != null ? e.getMessage() : "input/output error"));
        } catch (OutOfMemoryError e) {
            return Result.failed(UNREADABLE + ": not enough memory to read it");
        }
    }

    public Result decode(byte[] bytes) {
        if (bytes.length == 0) {
            return Result.failed("empty file");
        }
        ImageHeader header = ImageHeader.read(bytes);
        String refused = refuse(header);
        if (refused != null) {
            return Result.failed(refused);
        }
        try (DecodeBudget.Reservation r = budget.reserve(bytes.length + header.decodeBytes(size))) {
            return decodeChecked(bytes, header);
        }
    }

    /** Why an image must not be decoded, from its header alone; null when it may. */
    private String refuse(ImageHeader header) {
        if (header == null) {
            return "not a decodable image";
        }
        if (header.pixels() > maxPixels) {
            return String.format(Locale.ROOT, "%s: %d x %d is %.1f megapixels, over --max-pixels %d", TOO_LARGE,
                    header.width(), header.height(), header.pixels() / 1e6, maxPixels);
        }
        return null;
    }

    private Result decodeChecked(byte[] bytes, ImageHeader header) {
        // libjpeg would decode a cut-off JPEG with a grey bottom and a warning on stderr; a user
        // would rather lose the one photo than train on a half-grey one
        if (header.format() == ImageHeader.Format.JPEG && !ImageHeader.hasJpegEndMarker(bytes)) {
            return Result.failed("truncated JPEG (no end-of-image marker)");
        }
        ScaledImageLoader loader = loaders.get();
        // Every native object made here (the decoded image, the transforms' intermediate images,
        // sizes and rectangles) is freed when the scope closes, not whenever the garbage collector
        // gets to it: 22,000 photos would otherwise hold hundreds of MB of dead images at a time.
        try (PointerScope scope = new PointerScope(); Mat image = loader.decode(bytes, header)) {
            if (image.empty()) {
                return Result.failed("not a decodable image");
            }
            return new Result(loader.planar(image), null);
        } catch (RuntimeException e) { // OpenCV throws on some damaged files instead of returning nothing
            String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            return Result.failed("not a decodable image" + (message.isEmpty() ? "" : ": " + message));
        }
    }

    /** The JPEG reduction this decoder uses for an image of that header (1, 2, 4 or 8). */
    int reduction(ImageHeader header) {
        return header.reduction(size);
    }

    int channels() {
        return channels;
    }

    private static boolean isJpeg(byte[] b) {
        return b.length >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8;
    }

    /** The first n bytes (fewer if the file shrank), read into one array of that size. */
    private static byte[] readHead(Path file, int n) throws IOException {
        ByteBuffer head = ByteBuffer.wrap(new byte[n]);
        try (SeekableByteChannel in = Files.newByteChannel(file)) {
            while (head.hasRemaining() && in.read(head) >= 0) {
                // until n bytes or the end
            }
        }
        return head.hasRemaining() ? Arrays.copyOf(head.array(), head.position()) : head.array();
    }
}
