package wgan.data;

import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.datavec.image.data.ImageWritable;
import org.datavec.image.transform.BaseImageTransform;

import java.util.Random;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_CUBIC;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * Scales an image so that its shorter side is the target, keeping the aspect ratio: torchvision's
 * {@code Resize(size)}, which the WGAN reference applies before {@code CenterCrop(size)}.
 * DataVec's own {@code ResizeImageTransform} stretches to a given width and height, and
 * {@code ScaleImageTransform} adds a random amount; neither is the reference's step.
 * Shrinking uses area averaging (no aliasing from a 160x120 decode down to 64), enlarging bicubic.
 */
final class ShortSideResizeTransform extends BaseImageTransform<Mat> {
    private final int target;

    ShortSideResizeTransform(int target) {
        super(null);
        this.target = target;
        this.converter = new OpenCVFrameConverter.ToMat();
    }

    @Override
    protected ImageWritable doTransform(ImageWritable image, Random random) {
        if (image == null) {
            return null;
        }
        Mat mat = converter.convert(image.getFrame());
        int w = mat.cols();
        int h = mat.rows();
        double scale = (double) target / Math.min(w, h);
        int rw = Math.max(target, (int) Math.round(w * scale));
        int rh = Math.max(target, (int) Math.round(h * scale));
        Mat resized = new Mat();
        resize(mat, resized, new Size(rw, rh), 0, 0, scale < 1 ? INTER_AREA : INTER_CUBIC);
        return new ImageWritable(converter.convert(resized));
    }

    @Override
    public float[] query(float... coordinates) {
        throw new UnsupportedOperationException("not needed: wgan keeps no coordinates");
    }
}
