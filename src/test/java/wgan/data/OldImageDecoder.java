package wgan.data;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_GRAYSCALE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_2;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_4;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_8;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_GRAYSCALE_2;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_GRAYSCALE_4;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_GRAYSCALE_8;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_CUBIC;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * THE DECODER BEFORE ISSUE 11 (OpenCV called directly), kept verbatim only to compare its
 * pixels with the DataVec pipeline on real photos (ImageDecoderComparisonTest).
 * Turns one image file into a size x size training image, as the WGAN reference's torchvision
 * pipeline does (Resize(size) on the shorter side, CenterCrop(size)): uint8, planar
 * channel-by-channel (the NCHW layout the networks take), RGB or grayscale.
 * Uses OpenCV through javacv; JPEGs are decoded at the smallest 1/2^k scale that still covers
 * the target.
 */
final class OldImageDecoder {
    /** How the reason for a file that cannot be read starts. */
    static final String UNREADABLE = "unreadable";

    private final int size;
    private final int channels;

    OldImageDecoder(int size, int channels) {
        this.size = size;
        this.channels = channels;
    }

    /** A decoded image, or the reason it cannot be used. Exactly one of the two is non-null. */
    public record Result(byte[] pixels, String problem) {
        static Result failed(String problem) {
            return new Result(null, problem);
        }
    }

    public Result decode(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (AccessDeniedException e) {
            return Result.failed(UNREADABLE + ": permission denied");
        } catch (IOException | OutOfMemoryError e) {
            return Result.failed(UNREADABLE + ": " + e);
        }
        if (bytes.length == 0) {
            return Result.failed("empty file");
        }
        return decode(bytes);
    }

    public Result decode(byte[] bytes) {
        int[] jpegSize = OldJpegHeader.size(bytes);
        // libjpeg would decode a cut-off JPEG with a grey bottom and a warning on stderr; a user
        // would rather lose the one photo than train on a half-grey one
        if (jpegSize != null && !OldJpegHeader.hasEndMarker(bytes)) {
            return Result.failed("truncated JPEG (no end-of-image marker)");
        }
        try (BytePointer data = new BytePointer(bytes);
             Mat encoded = new Mat(1, bytes.length, CV_8UC1, data);
             Mat image = imdecode(encoded, readFlags(reduction(jpegSize)))) {
            if (image.empty()) {
                return Result.failed("not a decodable image");
            }
            return new Result(shortSideResizeCentreCrop(image), null);
        } catch (RuntimeException e) { // OpenCV throws on some damaged files instead of returning nothing
            return Result.failed("not a decodable image: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /**
     * The largest JPEG reduction (1, 2, 4 or 8) whose short side still covers the target: a
     * 6000x4000 photo bound for 64x64 is decoded at 750x500, never at full size.
     */
    int reduction(int[] jpegSize) {
        int reduction = 1;
        if (jpegSize != null) {
            int shortSide = Math.min(jpegSize[0], jpegSize[1]);
            while (reduction < 8 && shortSide / (reduction * 2) >= size) {
                reduction *= 2;
            }
        }
        return reduction;
    }

    /** Colour or gray, at the given JPEG reduction. */
    private int readFlags(int reduction) {
        boolean gray = channels == 1;
        return switch (reduction) {
            case 2 -> gray ? IMREAD_REDUCED_GRAYSCALE_2 : IMREAD_REDUCED_COLOR_2;
            case 4 -> gray ? IMREAD_REDUCED_GRAYSCALE_4 : IMREAD_REDUCED_COLOR_4;
            case 8 -> gray ? IMREAD_REDUCED_GRAYSCALE_8 : IMREAD_REDUCED_COLOR_8;
            default -> gray ? IMREAD_GRAYSCALE : IMREAD_COLOR;
        };
    }

    private byte[] shortSideResizeCentreCrop(Mat image) {
        int w = image.cols();
        int h = image.rows();
        double scale = (double) size / Math.min(w, h);
        int rw = Math.max(size, (int) Math.round(w * scale));
        int rh = Math.max(size, (int) Math.round(h * scale));
        try (Mat resized = new Mat(); Mat rgb = new Mat()) {
            resize(image, resized, new Size(rw, rh), 0, 0, scale < 1 ? INTER_AREA : INTER_CUBIC);
            try (Mat cropped = new Mat(resized, new Rect((rw - size) / 2, (rh - size) / 2, size, size))) {
                Mat source = cropped;
                if (channels == 3) {
                    cvtColor(cropped, rgb, COLOR_BGR2RGB);
                    source = rgb;
                }
                return planar(source);
            }
        }
    }

    /** Interleaved HWC (OpenCV's layout) to planar CHW. */
    private byte[] planar(Mat mat) {
        byte[] interleaved = new byte[size * size * channels];
        try (Mat contiguous = mat.isContinuous() ? null : mat.clone()) {
            Mat m = contiguous != null ? contiguous : mat;
            m.data().get(interleaved);
        }
        if (channels == 1) {
            return interleaved;
        }
        byte[] out = new byte[interleaved.length];
        int plane = size * size;
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < channels; c++) {
                out[c * plane + p] = interleaved[p * channels + c];
            }
        }
        return out;
    }
}
