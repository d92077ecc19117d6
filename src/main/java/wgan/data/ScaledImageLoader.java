package wgan.data;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.datavec.image.data.ImageWritable;
import org.datavec.image.loader.NativeImageLoader;
import org.datavec.image.transform.BoxImageTransform;
import org.datavec.image.transform.ImageTransform;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_GRAYSCALE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_2;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_4;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_8;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_GRAYSCALE_2;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_GRAYSCALE_4;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_GRAYSCALE_8;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

/**
 * DataVec's {@link NativeImageLoader} (javacv + OpenCV) with the two things a first pass over
 * 22,000 photos needs and the stock loader lacks:
 * <ul>
 *   <li>it decodes a JPEG at 1/2, 1/4 or 1/8 scale when that still covers the target (the stock
 *       loader always decodes at full size with {@code IMREAD_ANYDEPTH | IMREAD_ANYCOLOR}): a
 *       640x480 photo bound for 64x64 is decoded at 160x120, several times faster;</li>
 *   <li>the caller reads the size from the header first ({@link ImageHeader}), so a decompression
 *       bomb is never handed to OpenCV.</li>
 * </ul>
 * The geometry is the WGAN reference's torchvision pipeline as DataVec image transforms: the
 * shorter side scaled to the target ({@link ShortSideResizeTransform}), a centre crop
 * (DataVec's {@link BoxImageTransform}); BGR to RGB as the planes are split.
 * EXIF orientation is applied by OpenCV's decoder (no {@code IMREAD_IGNORE_ORIENTATION}).
 * <p>
 * {@link #planar} hands the pixels over as uint8 for the cache; {@link #asMatrix(File, boolean)}
 * gives the same image as DataVec's usual float INDArray, so the loader also plugs into DataVec
 * readers. One instance per thread: javacv's frame converters keep state.
 */
final class ScaledImageLoader extends NativeImageLoader {
    private final int size;

    ScaledImageLoader(int size, int channels) {
        super(size, size, channels, geometry(size));
        this.size = size;
    }

    private static ImageTransform geometry(int size) {
        ImageTransform resize = new ShortSideResizeTransform(size);
        ImageTransform crop = new BoxImageTransform(size, size); // crops at ((w - size) / 2, (h - size) / 2)
        return new TransformSequence(resize, crop);
    }

    /**
     * The decoded image (BGR or gray, at the JPEG reduction the header allows), or an empty Mat
     * when OpenCV cannot decode the bytes. The caller closes it.
     */
    Mat decode(byte[] bytes, ImageHeader header) {
        try (BytePointer data = new BytePointer(bytes);
             Mat encoded = new Mat(1, bytes.length, CV_8UC1, data)) {
            return imdecode(encoded, readFlags(header.reduction(size)));
        }
    }

    /** Colour or gray, at the given JPEG reduction; EXIF orientation applied either way. */
    private int readFlags(int reduction) {
        boolean gray = channels == 1;
        return switch (reduction) {
            case 2 -> gray ? IMREAD_REDUCED_GRAYSCALE_2 : IMREAD_REDUCED_COLOR_2;
            case 4 -> gray ? IMREAD_REDUCED_GRAYSCALE_4 : IMREAD_REDUCED_COLOR_4;
            case 8 -> gray ? IMREAD_REDUCED_GRAYSCALE_8 : IMREAD_REDUCED_COLOR_8;
            default -> gray ? IMREAD_GRAYSCALE : IMREAD_COLOR;
        };
    }

    /**
     * The decoded image through the transforms, as size x size uint8, planar CHW (the layout the
     * networks take), RGB. The stock loader would fill a float INDArray instead; the cache keeps uint8,
     * and prepare then needs no ND4J at all.
     */
    byte[] planar(Mat decoded) {
        ImageWritable transformed = imageTransform.transform(new ImageWritable(converter.convert(decoded)));
        Mat mat = converter.convert(transformed.getFrame());
        int c = mat.channels();
        if (mat.cols() != size || mat.rows() != size || c != channels) {
            throw new IllegalStateException("transforms gave " + mat.cols() + "x" + mat.rows() + "x" + c);
        }
        byte[] interleaved = new byte[size * size * c];
        try (Mat contiguous = mat.isContinuous() ? null : mat.clone()) {
            (contiguous != null ? contiguous : mat).data().get(interleaved);
        }
        if (c == 1) {
            return interleaved;
        }
        // OpenCV's BGR order to RGB while the planes are split: free here, where DataVec's
        // ColorConversionTransform would be one more image and two more frame conversions per photo
        byte[] out = new byte[interleaved.length];
        int plane = size * size;
        for (int p = 0; p < plane; p++) {
            for (int k = 0; k < c; k++) {
                out[k * plane + p] = interleaved[p * c + (c - 1 - k)];
            }
        }
        return out;
    }

    /** DataVec's entry point (as ImageRecordReader calls it): the same decode, header check and transforms. */
    @Override
    public INDArray asMatrix(File f, boolean nchw) throws IOException {
        return asMatrix(Files.readAllBytes(f.toPath()), nchw);
    }

    @Override
    public INDArray asMatrix(InputStream is, boolean nchw) throws IOException {
        return asMatrix(is.readAllBytes(), nchw);
    }

    private INDArray asMatrix(byte[] bytes, boolean nchw) throws IOException {
        ImageHeader header = ImageHeader.read(bytes);
        if (header == null) {
            throw new IOException("not a JPEG, PNG or BMP image");
        }
        try (Mat image = decode(bytes, header)) {
            if (image.empty()) {
                throw new IOException("not a decodable image");
            }
            // the superclass's asMatrix(Mat) runs the same transforms (imageTransform) and fills
            // floats in the Mat's channel order: BGR, so the colour planes are reversed for RGB
            INDArray a = asMatrix(image);
            if (channels == 3) {
                a = Nd4j.concat(1, a.get(all(), point(2), all(), all()).reshape(1, 1, size, size),
                        a.get(all(), point(1), all(), all()).reshape(1, 1, size, size),
                        a.get(all(), point(0), all(), all()).reshape(1, 1, size, size));
            }
            return nchw ? a : a.permute(0, 2, 3, 1);
        }
    }
}
