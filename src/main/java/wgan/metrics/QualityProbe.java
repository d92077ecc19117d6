package wgan.metrics;

import wgan.config.ModelConfig;
import wgan.model.Conditioning;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import wgan.config.InputException;
import wgan.data.ImageSet;
import wgan.model.Generation;
import wgan.model.Rng;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Image quality without pretrained weights: SWD between generated and real images, and the same
 * between two disjoint sets of real images, the noise floor a perfect generator would reach with
 * this many images. All three sets have the same size, since SWD's estimate depends on it.
 */
public final class QualityProbe {
    /** Disjoint sets of reals whose pairwise SWD is averaged into the floor, where the data has the images. */
    static final int FLOOR_SETS = 4;

    private QualityProbe() {
    }

    /**
     * One measurement. swd[l] and floor[l] are x1000 at resolutions[l] (full size first); n is
     * the images per set; the floor is the mean SWD between every pair of floorSets disjoint real
     * sets. seconds is the whole measurement, floorSeconds its floor's part (0 when an earlier
     * floor was reused).
     */
    public record Result(int n, int[] resolutions, double[] swd, double swdMean, double[] floor, double floorMean,
                         int floorSets, double seconds, double floorSeconds) {

        /** The "swd" object of a metrics.jsonl line and of wgan eval --json. */
        public Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("n", n);
            map.put("levels", byResolution(swd));
            map.put("mean", round(swdMean));
            map.put("floor", byResolution(floor));
            map.put("floor_mean", round(floorMean));
            map.put("floor_sets", floorSets);
            map.put("seconds", Math.round(seconds * 100) / 100.0);
            return map;
        }

        private Map<String, Double> byResolution(double[] values) {
            Map<String, Double> map = new LinkedHashMap<>();
            for (int l = 0; l < resolutions.length; l++) {
                map.put(String.valueOf(resolutions[l]), round(values[l]));
            }
            return map;
        }

        private static double round(double v) {
            return Math.round(v * 1e4) / 1e4;
        }
    }

    /** How many images per set for n asked of a data set: two disjoint real sets must fit. */
    public static int imagesPerSet(int n, int realCount) {
        int k = Math.min(n, realCount / 2);
        if (k < 1) {
            throw new InputException("SWD needs at least 2 real images, got " + realCount);
        }
        return k;
    }

    /**
     * Generates imagesPerSet(n, reals) images (BatchNorm in training mode, as samples are made)
     * and compares them with as many reals; the floor compares those reals with as many others.
     * The same seed picks the same reals, noise, patches and directions.
     */
    public static Result evaluate(ComputationGraph generator, int nz, ImageSet reals, int n, long seed) {
        return evaluate(generator, nz, reals, n, seed, null);
    }

    /**
     * As {@link #evaluate(ComputationGraph, int, ImageSet, int, long)}, taking the floor from an
     * earlier result with the same reals, n and seed (it depends on nothing else): a third less work
     * for the training loop, which measures every epoch.
     */
    public static Result evaluate(ComputationGraph generator, int nz, ImageSet reals, int n, long seed,
                                  Result sameFloor) {
        return evaluate(generator, nz, 0, reals, n, seed, sameFloor);
    }

    /**
     * For the generator of these model options: a conditional one makes each fake for the class of
     * the real image it is paired with, so its fakes have the reals' class mix.
     */
    public static Result evaluate(ComputationGraph generator, ModelConfig model, ImageSet reals, int n, long seed,
                                  Result sameFloor) {
        return evaluate(generator, model.nz(), model.classes(), reals, n, seed, sameFloor);
    }

    private static Result evaluate(ComputationGraph generator, int nz, int classes, ImageSet reals, int n, long seed,
                                   Result sameFloor) {
        int[] all = new int[reals.count()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return evaluate(generator, nz, classes, reals, all, -1, n, seed, sameFloor);
    }

    /**
     * SWD of a conditional generator's images of class c against the real images of class c, and
     * that class's own floor (two disjoint sets of its reals): imagesPerSet(n, images of c) each.
     */
    public static Result evaluateClass(ComputationGraph generator, ModelConfig model, ImageSet reals, int c, int n,
                                       long seed) {
        return evaluateClass(generator, model, reals, c, c, n, seed);
    }

    /** As {@link #evaluateClass(ComputationGraph, ModelConfig, ImageSet, int, int, long)} with the reals' class
     * index (in reals.classes()) and the generator's class index apart, for data whose folders are listed differently. */
    public static Result evaluateClass(ComputationGraph generator, ModelConfig model, ImageSet reals, int realClass,
                                       int generatorClass, int n, long seed) {
        int[] pool = java.util.stream.IntStream.range(0, reals.count()).filter(i -> reals.classOf(i) == realClass)
                .toArray();
        return evaluate(generator, model.nz(), model.classes(), reals, pool, generatorClass, n, seed, null);
    }

    /**
     * @param pool       the real images to draw from, by index
     * @param fixedClass the class of every fake, or -1: each fake of the class of the real it is paired with
     */
    private static Result evaluate(ComputationGraph generator, int nz, int classes, ImageSet reals, int[] pool,
                                   int fixedClass, int n, long seed, Result sameFloor) {
        long start = System.nanoTime();
        int k = imagesPerSet(n, pool.length);
        int[] shuffle = Rng.derive(seed, "swd-reals").permutation(pool.length);
        int[] order = new int[pool.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = pool[shuffle[i]];
        }
        SwdImages fakes;
        int[] labels = new int[k];
        for (int i = 0; i < k; i++) {
            labels[i] = fixedClass >= 0 ? fixedClass : reals.classOf(order[i]);
        }
        try (INDArray noise = Generation.noise(Rng.derive(seed, "swd-noise"), k, nz);
             INDArray input = classes == 0 ? noise.dup() : Conditioning.generatorInput(noise, labels, classes);
             INDArray images = Generation.generate(generator, input)) {
            fakes = SwdImages.ofGenerated(images);
        }
        return compare(fakes, reals, order, k, seed, sameFloor, start);
    }

    /**
     * SWD of a folder's images (any program's samples, read as the reals are) against the reals:
     * min(n, half the reals, all the samples) per set, the samples picked by the seed. The reals,
     * patches and directions are those {@link #evaluate(ComputationGraph, int, ImageSet, int, long)}
     * picks with the same seed, so the numbers compare with a checkpoint's.
     */
    public static Result evaluate(ImageSet samples, ImageSet reals, int n, long seed) {
        long start = System.nanoTime();
        int k = Math.min(imagesPerSet(n, reals.count()), samples.count());
        int[] pick = Rng.derive(seed, "swd-samples").permutation(samples.count());
        int[] order = Rng.derive(seed, "swd-reals").permutation(reals.count());
        return compare(SwdImages.of(samples, pick, 0, k), reals, order, k, seed, null, start);
    }

    /**
     * SWD of the fakes against the first k reals in order, and the floor (or sameFloor's): the
     * mean SWD over every pair of floorSets(...) disjoint sets of k reals, those first k included.
     * A single real-vs-real comparison is a noisy estimate of the floor: on the embedded sample at
     * n = 500 it ranged from 11.3 to 19.2 over five seeds while a generator's SWD moved by 12%
     * (docs/QUALITY.md), which made "x times the floor" a matter of the seed. Each set is sorted
     * once per direction, so four sets (six pairs) cost what four sets against one reference did.
     */
    private static Result compare(SwdImages fakes, ImageSet reals, int[] order, int k, long seed, Result sameFloor,
                                  long start) {
        SwdImages realsA = SwdImages.of(reals, order, 0, k);
        double[] swd = SlicedWasserstein.distances(realsA, List.of(fakes), SlicedWasserstein.Params.PROGAN, seed)[0];
        long floorStart = System.nanoTime();
        double[] floor;
        int floorSets;
        if (sameFloor != null) {
            floor = sameFloor.floor();
            floorSets = sameFloor.floorSets();
        } else {
            floorSets = floorSets(order.length, k);
            List<SwdImages> sets = new ArrayList<>();
            for (int j = 0; j < floorSets; j++) {
                sets.add(j == 0 ? realsA : SwdImages.of(reals, order, j * k, k));
            }
            floor = SlicedWasserstein.meanPairwiseDistance(sets, SlicedWasserstein.Params.PROGAN, seed);
        }
        long end = System.nanoTime();
        return new Result(k, SlicedWasserstein.resolutions(reals.size()), swd, mean(swd), floor, mean(floor),
                floorSets, (end - start) / 1e9, sameFloor != null ? 0 : (end - floorStart) / 1e9);
    }

    /** Disjoint sets of k reals for the floor, at most {@link #FLOOR_SETS}; imagesPerSet leaves room for two. */
    static int floorSets(int reals, int k) {
        return Math.max(2, Math.min(FLOOR_SETS, reals / k));
    }

    /**
     * A guess at what {@link #evaluate} costs with no floor to reuse, for a schedule that must
     * decide before the first measurement: the SWD of 64 reals against 64 others, timed and scaled
     * to the sets of a first check at imagesPerSet(n) images: the reference and the fakes, then the
     * reference again and the floor's sets (the sorts of the projections dominate and grow with
     * the patches, so with the images). A few percent of a check; it errs high at small sizes,
     * where fixed costs weigh more. Its own random stream: nothing else is touched.
     */
    public static double estimateSeconds(ImageSet reals, int n, long seed) {
        long start = System.nanoTime();
        int full = imagesPerSet(n, reals.count());
        int k = Math.min(full, 64);
        int[] order = Rng.derive(seed, "swd-estimate").permutation(reals.count());
        SlicedWasserstein.distances(SwdImages.of(reals, order, 0, k), List.of(SwdImages.of(reals, order, k, k)),
                SlicedWasserstein.Params.PROGAN, seed);
        double twoSets = (System.nanoTime() - start) / 1e9;
        int sets = 2 + floorSets(reals.count(), full);
        return twoSets / 2 * sets * full / k;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }
}
