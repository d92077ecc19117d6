package wgan.metrics;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgan.model.Rng;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
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
        List<SwdImages> sets = new ArrayList<>();
        sets.add(reference);
        sets.addAll(others);
        int[][] pairs = new int[others.size()][];
        for (int k = 0; k < pairs.length; k++) {
            pairs[k] = new int[]{0, k + 1};
        }
        return pairDistances(sets, pairs, params, seed);
    }

    /**
     * The mean SWD x 1000 per level over every pair of the sets (same count and size), each set
     * sorted once per direction: with m sets, m(m-1)/2 comparisons for the sorts of m. Set j has
     * the patch places `distances` gives the j-th set (the reference being the 0th).
     */
    public static double[] meanPairwiseDistance(List<SwdImages> sets, Params params, long seed) {
        List<int[]> pairs = new ArrayList<>();
        for (int a = 0; a < sets.size(); a++) {
            for (int b = a + 1; b < sets.size(); b++) {
                pairs.add(new int[]{a, b});
            }
        }
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("pairwise SWD needs at least two sets");
        }
        double[][] perPair = pairDistances(sets, pairs.toArray(new int[0][]), params, seed);
        double[] mean = new double[perPair[0].length];
        for (double[] pair : perPair) {
            for (int l = 0; l < mean.length; l++) {
                mean[l] += pair[l] / perPair.length;
            }
        }
        return mean;
    }

    /** result[p][level]: SWD x 1000 between sets pairs[p][0] and pairs[p][1]. */
    private static double[][] pairDistances(List<SwdImages> sets, int[][] pairs, Params params, long seed) {
        int levels = resolutions(sets.get(0).size()).length;
        if (levels == 0) {
            throw new IllegalArgumentException("SWD needs images of at least " + MIN_RESOLUTION + " px");
        }
        double[][] result = new double[pairs.length][levels];
        for (int level = 0; level < levels; level++) {
            List<float[]> descriptors = new ArrayList<>();
            for (int j = 0; j < sets.size(); j++) {
                descriptors.add(descriptors(sets.get(j), level, levels, params,
                        Rng.derive(seed, "swd-patches-" + level + "-" + j)));
            }
            float[][] directions = randomDirections(Rng.derive(seed, "swd-directions-" + level), params);
            double[] d = distancesAtLevel(descriptors, pairs, directions);
            for (int p = 0; p < d.length; p++) {
                result[p][level] = d[p] * 1000;
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
     * pair of sets, the mean over repeats and directions of mean_i |sorted(a . d)_i - sorted(b . d)_i|.
     */
    static double[] distancesAtLevel(List<float[]> descriptorSets, int[][] pairs, float[][] directions) {
        int dim = PatchDescriptors.DIM;
        int n = descriptorSets.get(0).length / dim;
        int[][][] keys = new int[descriptorSets.size()][CHUNK][n];
        int[][] scratch = new int[CHUNK][n];
        float[] projections = new float[CHUNK * n];
        double[] sums = new double[pairs.length];
        long terms = 0;
        List<INDArray> sets = new ArrayList<>();
        try {
            for (float[] set : descriptorSets) {
                if (set.length != descriptorSets.get(0).length) {
                    throw new IllegalArgumentException("descriptor sets differ in size");
                }
                sets.add(matrix(set, n, dim));
            }
            for (float[] repeat : directions) {
                for (int from = 0; from < repeat.length; from += CHUNK * dim) {
                    int count = Math.min(CHUNK, (repeat.length - from) / dim);
                    try (INDArray chunk = matrix(Arrays.copyOfRange(repeat, from, from + count * dim), count, dim)) {
                        for (int j = 0; j < sets.size(); j++) {
                            sortedProjections(sets.get(j), chunk, projections, keys[j], scratch);
                        }
                        for (int p = 0; p < pairs.length; p++) {
                            int[][] a = keys[pairs[p][0]];
                            int[][] b = keys[pairs[p][1]];
                            sums[p] += IntStream.range(0, count).parallel()
                                    .mapToDouble(j -> sumAbsDifference(a[j], b[j])).sum();
                        }
                    }
                    terms += (long) count * n;
                }
            }
        } finally {
            sets.forEach(INDArray::close);
        }
        for (int p = 0; p < sums.length; p++) {
            sums[p] /= terms;
        }
        return sums;
    }

    /** Projects every descriptor on each direction of the chunk; keys[j] = sorted projections on direction j. */
    private static void sortedProjections(INDArray descriptors, INDArray chunk, float[] projections, int[][] keys,
                                          int[][] scratch) {
        int n = (int) descriptors.size(0);
        try (INDArray product = Nd4j.gemm(chunk, descriptors, false, true);
             INDArray rowMajor = product.ordering() == 'c' ? null : product.dup('c')) {
            floats(rowMajor != null ? rowMajor : product).get(projections, 0, (int) product.length());
        }
        IntStream.range(0, (int) chunk.size(0)).parallel()
                .forEach(j -> FloatRadixSort.sortedKeys(projections, j * n, n, keys[j], scratch[j]));
    }

    /**
     * A row-major float matrix holding values. Bulk copies through the buffer's memory: ND4J's
     * create(float[]) puts one element at a time, with a bounds check each, which took a sixth
     * of SWD's time.
     */
    private static INDArray matrix(float[] values, int rows, int cols) {
        INDArray matrix = Nd4j.createUninitialized(DataType.FLOAT, rows, cols);
        floats(matrix).put(values, 0, rows * cols);
        return matrix;
    }

    /** The memory of a fresh (offset 0), contiguous float array. */
    private static FloatBuffer floats(INDArray fresh) {
        return fresh.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private static double sumAbsDifference(int[] a, int[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(FloatRadixSort.value(a[i]) - FloatRadixSort.value(b[i]));
        }
        return sum;
    }
}
