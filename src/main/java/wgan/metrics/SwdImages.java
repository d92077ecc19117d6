package wgan.metrics;

import org.nd4j.linalg.api.ndarray.INDArray;
import wgan.data.ImageSet;
import wgan.io.ImageGrid;

/**
 * Images as the SWD recipe takes them: RGB, 0..255 floats, planar (3 x size x size per image).
 * Grayscale images are replicated to three equal channels, as ProGAN's metric expects RGB.
 * Generated images are rounded to 0..255 exactly as they are saved as PNG, so fakes and reals are
 * quantised alike (ProGAN also measures uint8 images).
 */
public record SwdImages(float[] pixels, int count, int size) {
    public static final int CHANNELS = 3;

    public SwdImages {
        if (pixels.length != count * CHANNELS * size * size) {
            throw new IllegalArgumentException("pixels do not fit " + count + " images of " + size + "x" + size);
        }
    }

    public int plane() {
        return size * size;
    }

    public int offset(int image) {
        return image * CHANNELS * plane();
    }

    /**
     * The images at indices[from .. from+count) of a set. ImageSet hands out [-1, 1] floats made
     * from its uint8 pixels; rounding back recovers the bytes exactly.
     */
    public static SwdImages of(ImageSet images, int[] indices, int from, int count) {
        float[] data = new float[count * images.pixelsPerImage()];
        images.fill(indices, from, count, data);
        return fromPlanar(data, count, images.channels(), images.size(), v -> Math.round((v + 1f) * 127.5f));
    }

    /** Generated images, [N, C, S, S] in [-1, 1] with C = 1 or 3. */
    public static SwdImages ofGenerated(INDArray images) {
        return fromPlanar(images.dup('c').data().asFloat(), (int) images.size(0), (int) images.size(1),
                (int) images.size(2), ImageGrid::toByte);
    }

    private interface ToByte {
        int apply(float unit);
    }

    private static SwdImages fromPlanar(float[] data, int count, int channels, int size, ToByte toByte) {
        int plane = size * size;
        float[] pixels = new float[count * CHANNELS * plane];
        for (int i = 0; i < count; i++) {
            for (int c = 0; c < CHANNELS; c++) {
                int source = (i * channels + (channels == 1 ? 0 : c)) * plane;
                int target = (i * CHANNELS + c) * plane;
                for (int p = 0; p < plane; p++) {
                    pixels[target + p] = toByte.apply(data[source + p]);
                }
            }
        }
        return new SwdImages(pixels, count, size);
    }
}
