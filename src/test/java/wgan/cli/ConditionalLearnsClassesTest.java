package wgan.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import wgan.data.ImageLoader;
import wgan.data.ImageSet;
import wgan.io.GeneratorCheckpoint;
import wgan.metrics.SlicedWasserstein;
import wgan.metrics.SwdImages;
import wgan.model.Conditioning;
import wgan.model.Generation;
import wgan.model.Rng;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13's "done when": a conditional model trained a few hundred generator iterations on real
 * photos of clearly different kinds (scripts/make_photo_classes.py: crops of four scikit-image
 * photos, one photo per class folder) makes, for most classes k, images closer (SWD) to the real
 * images of class k than to those of any other class; an unconditional model trained the same way
 * for as many generator iterations fails that check, since nothing tells its samples apart by class.
 *
 * <p>The statistic: d[k][j], the SWD of the fakes of class k (for the unconditional model, an
 * equally large sample of its own, from other noise for each k) to the reals of class j. Raw SWD
 * also measures how far a real class is from everything (a varied photo such as coffee is near any
 * blurry sample; hubble's black sky is far from anything not black: seen in the raw tables), so
 * each column is divided by its mean over the generator's classes: r[k][j] = d[k][j] / mean_k
 * d[k][j], "how much nearer than the average class do class k's fakes come to the reals of j".
 * Class k counts when r[k][k] is at least {@link #MARGIN} below every other r[k][j]. An
 * unconditional generator makes the same distribution for every k, so every r is 1 up to sampling
 * noise (seen: within 0.5%) and it cannot pass by chance; "most" is all but one of the four. Both
 * models are measured on the same reals, patches and directions.
 */
class ConditionalLearnsClassesTest {
    private static final int CLASSES = 4;
    private static final int PER_SET = 64;
    /** Own class at least 1% nearer (relatively) than any other. */
    private static final double MARGIN = 0.01;

    @TempDir
    static Path tmp;

    @Test
    void conditionalSamplesAreNearestTheirOwnClassAndUnconditionalOnesAreNot() throws Exception {
        Path photos = tmp.resolve("photos");
        Process script = new ProcessBuilder("/usr/bin/python3", "scripts/make_photo_classes.py",
                "--out", photos.toString(), "--count", "128", "--size", "32", "--seed", "1").inheritIO().start();
        assertTrue(script.waitFor(5, TimeUnit.MINUTES) && script.exitValue() == 0,
                "scripts/make_photo_classes.py (needs /usr/bin/python3 with python3-skimage)");
        Path conditional = train(photos, "cond", "--conditional");
        Path unconditional = train(photos, "plain");

        ImageSet reals = ImageLoader.prepare(photos, 16, 3, tmp.resolve("cache"), note -> { }).images();
        assertEquals(CLASSES, reals.classes().size());
        double[][] c = distances(conditional, reals);
        double[][] u = distances(unconditional, reals);
        int conditionalHits = hits(c);
        int unconditionalHits = hits(u);
        System.out.println("classes " + reals.classes());
        System.out.println("conditional: SWD x1000 of class k's fakes (rows) to each class's reals (columns), then relative to each column's mean, "
                + conditionalHits + " of " + CLASSES + " nearest their own\n" + table(c));
        System.out.println("unconditional: the same, " + unconditionalHits + " of " + CLASSES + "\n" + table(u));
        assertTrue(conditionalHits >= CLASSES - 1, "conditional: " + conditionalHits + " of " + CLASSES + "\n" + table(c));
        assertTrue(unconditionalHits < CLASSES - 1, "unconditional: " + unconditionalHits + " of " + CLASSES + "\n" + table(u));
    }

    /**
     * The gradient penalty at 16x16: 512 training images in batches of 16 are 32 critic steps an
     * epoch, 7 generator iterations (5 critic steps each, the last phase cut by the epoch's end);
     * 43 epochs are 301 generator iterations for either model.
     */
    private static Path train(Path photos, String name, String... extra) throws Exception {
        Path out = tmp.resolve(name);
        List<String> args = new ArrayList<>(List.of("train", "--data", photos.toString(), "--out", out.toString(),
                "--image-size", "16", "--channels", "3", "--batch-size", "16", "--nz", "32", "--ngf", "16", "--ndf", "16",
                "--loss", "wgan-gp", "--epochs", "43", "--holdout", "0", "--eval-every", "0", "--seed", "13",
                "--cache-dir", tmp.resolve("cache").toString()));
        args.addAll(List.of(extra));
        CliRunner.Run run = CliRunner.run(args.toArray(new String[0]));
        assertEquals(0, run.exitCode(), name + " training: " + run.err());
        List<String> metrics = Files.readAllLines(out.resolve("metrics.jsonl"));
        System.out.println(name + ": " + metrics.get(metrics.size() - 1));
        return out.resolve("checkpoints/generator.zip");
    }

    /** d[k][j]: SWD x1000 (mean over levels) of the generator's class-k fakes to class j's reals. */
    private static double[][] distances(Path checkpoint, ImageSet reals) {
        GeneratorCheckpoint.Loaded loaded = GeneratorCheckpoint.load(checkpoint);
        int nz = loaded.model().nz();
        List<SwdImages> realSets = new ArrayList<>();
        for (int j = 0; j < CLASSES; j++) {
            int cls = j;
            int[] pool = IntStream.range(0, reals.count()).filter(i -> reals.classOf(i) == cls).toArray();
            realSets.add(SwdImages.of(reals, pool, 0, PER_SET));
        }
        double[][] d = new double[CLASSES][];
        for (int k = 0; k < CLASSES; k++) {
            int[] labels = new int[PER_SET];
            Arrays.fill(labels, k);
            try (INDArray noise = Generation.noise(new Rng(100 + k), PER_SET, nz);
                 INDArray input = loaded.model().conditional() ? Conditioning.generatorInput(noise, labels, CLASSES)
                         : noise.dup();
                 INDArray images = Generation.generate(loaded.generator(), input)) {
                SwdImages fakes = SwdImages.ofGenerated(images);
                d[k] = new double[CLASSES];
                for (int j = 0; j < CLASSES; j++) {
                    double[][] levels = SlicedWasserstein.distances(realSets.get(j), List.of(fakes),
                            SlicedWasserstein.Params.PROGAN, 7);
                    d[k][j] = Arrays.stream(levels[0]).average().orElseThrow();
                }
            }
        }
        return d;
    }

    /** Each column divided by its mean over the rows (see the class comment). */
    private static double[][] relative(double[][] d) {
        double[][] r = new double[d.length][d[0].length];
        for (int j = 0; j < d[0].length; j++) {
            double mean = 0;
            for (double[] row : d) {
                mean += row[j] / d.length;
            }
            for (int k = 0; k < d.length; k++) {
                r[k][j] = d[k][j] / mean;
            }
        }
        return r;
    }

    private static int hits(double[][] d) {
        double[][] r = relative(d);
        int hits = 0;
        for (int k = 0; k < r.length; k++) {
            boolean own = true;
            for (int j = 0; j < r[k].length; j++) {
                own &= j == k || r[k][k] <= (1 - MARGIN) * r[k][j];
            }
            hits += own ? 1 : 0;
        }
        return hits;
    }

    /** The raw SWD and, beside it, the column-relative values. */
    private static String table(double[][] d) {
        double[][] r = relative(d);
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < d.length; k++) {
            for (double v : d[k]) {
                s.append(String.format("%9.2f", v));
            }
            s.append("   |");
            for (double v : r[k]) {
                s.append(String.format("%7.3f", v));
            }
            s.append('\n');
        }
        return s.toString();
    }
}
