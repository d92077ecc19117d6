package wgan.metrics;

import wgan.model.Rng;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * 7x7 neighbourhoods of one pyramid level, as ProGAN's get_descriptors_for_minibatch and
 * finalize_descriptors make them. A descriptor is 3 x 7 x 7 floats in the reference's component
 * order: channel, then x offset, then y offset (its ogrid names the third axis x). A set's
 * descriptors are then normalised per colour channel over all its descriptors and positions.
 */
final class PatchDescriptors {
    static final int PATCH = 7;
    static final int HALF = PATCH / 2;
    static final int DIM = SwdImages.CHANNELS * PATCH * PATCH;

    private PatchDescriptors() {
    }

    /**
     * Patch centres x0, y0, x1, y1, ... for `patches` patches, uniform in [3, size - 3) like the
     * reference's np.random.randint(H, S - H).
     */
    static int[] randomCentres(Rng rng, int patches, int size) {
        int[] centres = new int[2 * patches];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = HALF + rng.nextInt(size - 2 * HALF);
        }
        return centres;
    }

    /**
     * Normalised descriptors [patches, DIM] of level `level` (of `levels`); patch i is taken from
     * image i / perImage at centre (centres[2i], centres[2i+1]) of that level.
     */
    static float[] extract(SwdImages images, int level, int levels, int[] centres, int perImage) {
        int patches = centres.length / 2;
        if (patches != images.count() * perImage) {
            throw new IllegalArgumentException(patches + " patch centres for " + images.count() + " images x " + perImage);
        }
        int levelSize = images.size() >> level;
        float[] descriptors = new float[patches * DIM];
        IntStream.range(0, images.count()).parallel().forEach(image -> {
            for (int c = 0; c < SwdImages.CHANNELS; c++) {
                int from = images.offset(image) + c * images.plane();
                float[] plane = Arrays.copyOfRange(images.pixels(), from, from + images.plane());
                float[] band = LaplacianPyramid.level(plane, images.size(), level, levels);
                for (int i = image * perImage; i < (image + 1) * perImage; i++) {
                    copyPatch(band, levelSize, centres[2 * i], centres[2 * i + 1], descriptors, i * DIM + c * PATCH * PATCH);
                }
            }
        });
        normalise(descriptors);
        return descriptors;
    }

    private static void copyPatch(float[] band, int size, int cx, int cy, float[] out, int at) {
        for (int dx = 0; dx < PATCH; dx++) {
            for (int dy = 0; dy < PATCH; dy++) {
                out[at + dx * PATCH + dy] = band[(cy + dy - HALF) * size + cx + dx - HALF];
            }
        }
    }

    /**
     * Per channel: subtract the mean, divide by the (population) standard deviation over every
     * descriptor and position. A constant channel (std 0) is only centred, where the reference
     * would divide by zero.
     */
    static void normalise(float[] descriptors) {
        int per = PATCH * PATCH;
        for (int c = 0; c < SwdImages.CHANNELS; c++) {
            double sum = 0;
            double squares = 0;
            long count = 0;
            for (int at = c * per; at < descriptors.length; at += DIM) {
                for (int k = at; k < at + per; k++) {
                    sum += descriptors[k];
                    squares += (double) descriptors[k] * descriptors[k];
                }
                count += per;
            }
            double mean = sum / count;
            double std = Math.sqrt(Math.max(0, squares / count - mean * mean));
            float scale = std > 0 ? (float) (1 / std) : 1f;
            for (int at = c * per; at < descriptors.length; at += DIM) {
                for (int k = at; k < at + per; k++) {
                    descriptors[k] = (float) ((descriptors[k] - mean) * scale);
                }
            }
        }
    }
}
