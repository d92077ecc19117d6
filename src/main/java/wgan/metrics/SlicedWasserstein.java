package wgan.metrics;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgan.model.Rng;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Sliced Wasserstein distance on Laplacian-pyramid patches, the recipe of ProGAN (Karras et al.
 * 2018, metrics/sliced_wasserstein.py of tkarras/progressive_growing_of_gans): per level, 7x7
 * patches at random places, normalised per colour channel per set; repeats of random unit
 * directions; per direction the mean |difference| of the two sorted projections; the mean over
 * directions and repeats, x1000. Levels run from the full size down to 16 px.
 * <p>
 * Projections are one ND4J matrix product per chunk of directions; the sorts, which dominate,
 * are a radix sort on the float bits, in parallel over directions.
 */
public final class SlicedWasserstein {
    /** Smallest level, as in the reference. */
    public static final int MIN_RESOLUTION = 16;
    /** Directions projected per matrix product: bounds the memory of the projections. */
    private static final int CHUNK = 32;

    /** How many patches and directions; {@link #PROGAN} is the paper's. */
    public record Params(int patchesPerImage, int repeats, int directionsPerRepeat) {
        public static final Params PROGAN = new Params(128, 4, 128);
    }

    private SlicedWasserstein() {
    }

    /** The resolutions of the levels: size, size/2, ... down to 16. */
    public static int[] resolutions(int size) {
        List<Integer> levels = new ArrayList<>();
        for (int s = size; s >= MIN_RESOLUTION; s /= 2) {
            levels.add(s);
        }
        return levels.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * SWD x 1000 between `reference` and each of `others` (same count and size), per level:
     * result[k][level]. Seeded: patch places and directions come from the seed alone, and every
     * comparison at a level uses the same directions (the reference's projections are sorted once).
     */
    public static double[][] distances(SwdImages reference, List<SwdImages> others, Params params, long seed) {
        int levels = resolutions(reference.size()).length;
        if (levels == 0) {
            throw new IllegalArgumentException("SWD needs images of at least " + MIN_RESOLUTION + " px");
        }
        double[][] result = new double[others.size()][levels];
        for (int level = 0; level < levels; level++) {
            float[] ref = descriptors(reference, level, levels, params, Rng.derive(seed, "swd-patches-" + level + "-0"));
            List<float[]> sets = new ArrayList<>();
            for (int k = 0; k < others.size(); k++) {
                sets.add(descriptors(others.get(k), level, levels, params,
                        Rng.derive(seed, "swd-patches-" + level + "-" + (k + 1))));
            }
            float[][] directions = randomDirections(Rng.derive(seed, "swd-directions-" + level), params);
            double[] d = distancesAtLevel(ref, sets, directions);
            for (int k = 0; k < d.length; k++) {
                result[k][level] = d[k] * 1000;
            }
        }
        return result;
    }

    private static float[] descriptors(SwdImages images, int level, int levels, Params params, Rng rng) {
        int[] centres = PatchDescriptors.randomCentres(rng, images.count() * params.patchesPerImage(),
                images.size() >> level);
        return PatchDescriptors.extract(images, level, levels, centres, params.patchesPerImage());
    }

    /** directions[repeat] = directionsPerRepeat unit vectors of DIM floats, one after another. */
    static float[][] randomDirections(Rng rng, Params params) {
        int dim = PatchDescriptors.DIM;
        float[][] directions = new float[params.repeats()][params.directionsPerRepeat() * dim];
        for (float[] repeat : directions) {
            rng.fillGaussian(repeat, 0, 1);
            for (int at = 0; at < repeat.length; at += dim) {
                double norm = 0;
                for (int k = at; k < at + dim; k++) {
                    norm += (double) repeat[k] * repeat[k];
                }
                float scale = (float) (1 / Math.sqrt(norm));
                for (int k = at; k < at + dim; k++) {
                    repeat[k] *= scale;
                }
            }
        }
        return directions;
    }

    /**
     * For normalised descriptor sets [n, DIM] (all of the same n) and the given directions: per
     * other set, the mean over repeats and directions of mean_i |sorted(ref . d)_i - sorted(other . d)_i|.
     */
    static double[] distancesAtLevel(float[] reference, List<float[]> others, float[][] directions) {
        int dim = PatchDescriptors.DIM;
        int n = reference.length / dim;
        int[][] refKeys = new int[CHUNK][n];
        int[][] keys = new int[CHUNK][n];
        int[][] scratch = new int[CHUNK][n];
        double[] sums = new double[others.size()];
        long terms = 0;
        try (INDArray ref = Nd4j.create(reference, new long[]{n, dim}, 'c')) {
            List<INDArray> sets = new ArrayList<>();
            for (float[] other : others) {
                if (other.length != reference.length) {
                    throw new IllegalArgumentException("descriptor sets differ in size");
                }
                sets.add(Nd4j.create(other, new long[]{n, dim}, 'c'));
            }
            for (float[] repeat : directions) {
                for (int from = 0; from < repeat.length; from += CHUNK * dim) {
                    int count = Math.min(CHUNK, (repeat.length - from) / dim);
                    try (INDArray chunk = Nd4j.create(Arrays.copyOfRange(repeat, from, from + count * dim),
                            new long[]{count, dim}, 'c')) {
                        sortedProjections(ref, chunk, refKeys, scratch);
                        for (int k = 0; k < sets.size(); k++) {
                            sortedProjections(sets.get(k), chunk, keys, scratch);
                            sums[k] += IntStream.range(0, count).parallel()
                                    .mapToDouble(j -> sumAbsDifference(refKeys[j], keys[j])).sum();
                        }
                    }
                    terms += (long) count * n;
                }
            }
            sets.forEach(INDArray::close);
        }
        for (int k = 0; k < sums.length; k++) {
            sums[k] /= terms;
        }
        return sums;
    }

    /** Projects every descriptor on each direction of the chunk; keys[j] = sorted projections on direction j. */
    private static void sortedProjections(INDArray descriptors, INDArray chunk, int[][] keys, int[][] scratch) {
        int n = (int) descriptors.size(0);
        float[] projections;
        try (INDArray product = Nd4j.gemm(chunk, descriptors, false, true)) {
            projections = (product.ordering() == 'c' ? product : product.dup('c')).data().asFloat();
        }
        IntStream.range(0, (int) chunk.size(0)).parallel()
                .forEach(j -> FloatRadixSort.sortedKeys(projections, j * n, n, keys[j], scratch[j]));
    }

    private static double sumAbsDifference(int[] a, int[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(FloatRadixSort.value(a[i]) - FloatRadixSort.value(b[i]));
        }
        return sum;
    }
}
