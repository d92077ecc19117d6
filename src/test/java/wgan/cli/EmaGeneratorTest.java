package wgan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import wgan.TestImages;
import wgan.config.ModelConfig;
import wgan.data.ImageLoader;
import wgan.data.ImageSet;
import wgan.io.GeneratorCheckpoint;
import wgan.io.ImageGrid;
import wgan.io.StateCheckpoint;
import wgan.metrics.QualityProbe;
import wgan.model.Dcgan;
import wgan.model.GanNetworks;
import wgan.model.Generation;
import wgan.model.Rng;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The EMA generator through the real CLI: which generator the epoch grids, the quality check,
 * generator.zip, wgan sample and wgan eval use, with and without --raw and --ema-kimg 0, checked
 * against the arrays the run's state.zip holds; its bad input and its resume rule.
 */
class EmaGeneratorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = 5;

    @TempDir
    static Path shared;
    static Path data;
    /** A run of 3 epochs (one generator iteration each) with the penalty's default --ema-kimg. */
    static Path run;

    @BeforeAll
    static void train() throws Exception {
        data = shared.resolve("imgs");
        TestImages.writeTree(data, 24, 3, 40, 30, 1);
        run = shared.resolve("run");
        CliRunner.Run train = CliRunner.run(trainArgs(run, 3));
        assertEquals(0, train.exitCode(), train.err());
    }

    private static String[] trainArgs(Path out, int epochs, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--epochs",
                String.valueOf(epochs), "--image-size", "16", "--batch-size", "8", "--ngf", "8", "--ndf", "8",
                "--seed", String.valueOf(SEED), "--out", out.toString(), "--cache-dir", cache(), "--loss", "wgan-gp",
                // a generator that moves enough in 3 steps for its average to draw other bytes than it does
                "--lr-g", "5e-3",
                "--eval-every", "1", "--keep", "0")); // a quality check and a state kept at every epoch
        args.addAll(List.of(extra));
        return args.toArray(new String[0]);
    }

    @Test
    void theAverageStartsAsACopyAndThenDiffersFromTheTrainedGenerator() throws Exception {
        JsonNode options = JSON.readTree(run.resolve("options.json").toFile());
        assertEquals(10.0, options.get("ema_kimg").asDouble(), "the default, recorded");
        assertEquals(0.05, options.get("ema_rampup").asDouble());

        // The first update sees cur_nimg = 0 images (StyleGAN2-ADA counts the batch after it): beta 0, a copy.
        StateCheckpoint.Loaded first = StateCheckpoint.load(run.resolve("checkpoints/epoch-0001-state.zip"));
        assertArrayEquals(floats(rawGenerator(first)), floats(first.arrays().get("ema_generator")), "bit for bit");
        StateCheckpoint.Loaded last = StateCheckpoint.load(run.resolve("checkpoints/state.zip"));
        assertFalse(java.util.Arrays.equals(floats(rawGenerator(last)), floats(last.arrays().get("ema_generator"))),
                "after 3 steps beta > 0");
    }

    @Test
    void gridsAndQualityCheckUseTheEmaGenerator() throws Exception {
        ModelConfig model = model();
        StateCheckpoint.Loaded state = StateCheckpoint.load(run.resolve("checkpoints/epoch-0003-state.zip"));
        INDArray fixedNoise = Generation.noise(Rng.derive(SEED, "fixed-noise"), 64, model.nz());
        byte[] grid = Files.readAllBytes(run.resolve("samples/epoch-0003.png"));
        assertArrayEquals(grid, gridOf(generator(model, state.arrays().get("ema_generator")), fixedNoise, "ema"));
        assertFalse(java.util.Arrays.equals(grid, gridOf(generator(model, rawGenerator(state)), fixedNoise, "raw")),
                "the raw generator draws another grid");

        // The quality line of epoch 3, recomputed on each generator (the floor comes from epoch 1, as in training).
        ImageSet reals = ImageLoader.prepare(data, model.imageSize(), model.channels(), Path.of(cache()), n -> { })
                .images();
        int evalN = JSON.readTree(run.resolve("options.json").toFile()).get("eval_n").asInt();
        QualityProbe.Result floor = QualityProbe.evaluate(
                GeneratorCheckpoint.load(run.resolve("checkpoints/epoch-0001-generator.zip")).generator(),
                model.nz(), reals, evalN, SEED);
        double recorded = qualityLines().get(2).get("swd").get("mean").asDouble();
        double ema = QualityProbe.evaluate(generator(model, state.arrays().get("ema_generator")), model.nz(), reals,
                evalN, SEED, floor).swdMean();
        double raw = QualityProbe.evaluate(generator(model, rawGenerator(state)), model.nz(), reals, evalN, SEED,
                floor).swdMean();
        assertEquals(recorded, ema, 1e-4, "the recorded SWD (4 decimals in metrics.jsonl) is the EMA generator's");
        assertTrue(Math.abs(recorded - raw) > 1e-3, "the raw generator scores " + raw + ", recorded " + recorded);
    }

    @Test
    void generatorZipHoldsBothAndSampleUsesEmaUnlessRaw(@TempDir Path tmp) throws Exception {
        Path zip = run.resolve("checkpoints/generator.zip");
        StateCheckpoint.Loaded state = StateCheckpoint.load(run.resolve("checkpoints/state.zip"));
        GeneratorCheckpoint.Loaded byDefault = GeneratorCheckpoint.load(zip);
        assertEquals("ema", byDefault.meta().get("weights"));
        assertEquals("ema", byDefault.weights());
        assertArrayEquals(floats(state.arrays().get("ema_generator")), floats(byDefault.generator().params()));
        assertArrayEquals(floats(rawGenerator(state)), floats(GeneratorCheckpoint.load(zip, true).generator().params()));
        ComputationGraph dl4j = ModelSerializer.restoreComputationGraph(zip.toFile(), false);
        assertArrayEquals(floats(state.arrays().get("ema_generator")), floats(dl4j.params()),
                "DL4J's own reader opens the EMA generator");

        CliRunner.Run ema = CliRunner.run("sample", "--checkpoint", zip.toString(), "--n", "16", "--seed", "7",
                "--out", tmp.resolve("ema.png").toString());
        CliRunner.Run raw = CliRunner.run("sample", "--checkpoint", zip.toString(), "--n", "16", "--seed", "7",
                "--out", tmp.resolve("raw.png").toString(), "--raw");
        assertEquals(0, ema.exitCode(), ema.err());
        assertEquals(0, raw.exitCode(), raw.err());
        assertTrue(ema.out().contains("EMA generator"), ema.out());
        assertTrue(raw.out().contains("raw generator") && !raw.out().contains("kept no EMA"), raw.out());
        ModelConfig model = model();
        INDArray noise = Generation.noise(new Rng(7), 16, model.nz());
        assertArrayEquals(gridOf(generator(model, state.arrays().get("ema_generator")), noise, "ema"),
                Files.readAllBytes(tmp.resolve("ema.png")));
        assertArrayEquals(gridOf(generator(model, rawGenerator(state)), noise, "raw"),
                Files.readAllBytes(tmp.resolve("raw.png")), "--raw samples the trained generator");

        CliRunner.Run evalEma = CliRunner.run("eval", "--checkpoint", zip.toString(), "--data", data.toString(),
                "--n", "8", "--json", "--cache-dir", cache());
        CliRunner.Run evalRaw = CliRunner.run("eval", "--checkpoint", zip.toString(), "--data", data.toString(),
                "--n", "8", "--json", "--cache-dir", cache(), "--raw");
        assertEquals(0, evalEma.exitCode(), evalEma.err());
        assertEquals(0, evalRaw.exitCode(), evalRaw.err());
        JsonNode e = JSON.readTree(evalEma.out().strip());
        JsonNode r = JSON.readTree(evalRaw.out().strip());
        assertEquals("ema", e.get("generator").asText());
        assertEquals("raw", r.get("generator").asText());
        assertNotEquals(e.get("swd").get("mean").asDouble(), r.get("swd").get("mean").asDouble());
        assertEquals(e.get("swd").get("floor_mean").asDouble(), r.get("swd").get("floor_mean").asDouble(),
                "same reals and seed: only the generator changed");
    }

    @Test
    void emaKimgZeroKeepsOnlyTheTrainedGenerator(@TempDir Path tmp) throws Exception {
        Path off = tmp.resolve("off");
        assertEquals(0, CliRunner.run(trainArgs(off, 2, "--ema-kimg", "0")).exitCode());
        assertEquals(0.0, JSON.readTree(off.resolve("options.json").toFile()).get("ema_kimg").asDouble());
        StateCheckpoint.Loaded state = StateCheckpoint.load(off.resolve("checkpoints/state.zip"));
        assertNull(state.arrays().get("ema_generator"));
        Path zip = off.resolve("checkpoints/generator.zip");
        assertEquals("raw", GeneratorCheckpoint.load(zip).weights());
        assertArrayEquals(floats(rawGenerator(state)), floats(GeneratorCheckpoint.load(zip).generator().params()));
        try (ZipFile z = new ZipFile(zip.toFile())) {
            assertNull(z.getEntry("raw-coefficients.bin"), "one generator, stored once");
        }
        CliRunner.Run plain = CliRunner.run("sample", "--checkpoint", zip.toString(), "--n", "8", "--seed", "3",
                "--out", tmp.resolve("a.png").toString());
        CliRunner.Run raw = CliRunner.run("sample", "--checkpoint", zip.toString(), "--n", "8", "--seed", "3",
                "--out", tmp.resolve("b.png").toString(), "--raw");
        assertEquals(0, raw.exitCode(), raw.err());
        assertTrue(plain.out().contains("the run kept no EMA generator"), plain.out());
        assertArrayEquals(Files.readAllBytes(tmp.resolve("a.png")), Files.readAllBytes(tmp.resolve("b.png")));
    }

    @Test
    void clippingKeepsNoEmaGeneratorUnlessAsked(@TempDir Path tmp) throws Exception {
        String[] clip = trainArgs(tmp.resolve("clip"), 1);
        clip[java.util.Arrays.asList(clip).indexOf("wgan-gp")] = "wgan-clip";
        assertEquals(0, CliRunner.run(clip).exitCode());
        assertEquals(0.0, JSON.readTree(tmp.resolve("clip/options.json").toFile()).get("ema_kimg").asDouble(),
                "clipping's default: its average scored worse than the trained generator (docs/QUALITY.md)");
        assertEquals("raw", GeneratorCheckpoint.load(tmp.resolve("clip/checkpoints/generator.zip")).weights());

        String[] asked = java.util.Arrays.copyOf(clip, clip.length + 2);
        asked[clip.length] = "--ema-kimg";
        asked[clip.length + 1] = "10";
        asked[java.util.Arrays.asList(asked).indexOf(tmp.resolve("clip").toString())] = tmp.resolve("asked").toString();
        assertEquals(0, CliRunner.run(asked).exitCode());
        assertEquals("ema", GeneratorCheckpoint.load(tmp.resolve("asked/checkpoints/generator.zip")).weights());
    }

    @Test
    void negativeOrNonNumericEmaKimgIsRefusedInOneLine(@TempDir Path tmp) {
        for (String bad : new String[]{"-1", "NaN", "Infinity"}) {
            CliRunner.Run r = CliRunner.run(trainArgs(tmp.resolve("r" + bad.length()), 1, "--ema-kimg", bad));
            assertEquals(2, r.exitCode(), r.err());
            String err = r.err().strip();
            assertEquals(1, err.lines().filter(l -> !l.startsWith("wgan: backend ")).count(), err);
            assertTrue(err.contains("--ema-kimg must be 0 (no EMA generator) or a positive number"), err);
            assertFalse(err.contains("Exception"), err);
            assertFalse(Files.exists(tmp.resolve("r" + bad.length())), "refused before the run folder is made");
        }
    }

    @Test
    void resumeKeepsTheRunsEmaSetting() {
        CliRunner.Run changed = CliRunner.run("train", "--resume", run.toString(), "--cache-dir", cache(),
                "--ema-kimg", "5");
        assertEquals(2, changed.exitCode(), changed.err());
        assertTrue(changed.err().contains("--ema-kimg cannot change"), changed.err());
    }

    /**
     * Resumed one step before the end, where the average still weighs its past (beta 0.5^(20/7) = 0.14
     * at the 8th step), so that an average lost or restarted at resume shows in the weights; the
     * kill-and-resume test in ResumeAndSignalsTest stops earlier, and with the ramp-up the average
     * forgets such a difference below float32 precision within a few steps.
     */
    @Test
    void resumedRunContinuesTheSameAverage(@TempDir Path tmp) throws Exception {
        Path straight = tmp.resolve("straight");
        Path resumed = tmp.resolve("resumed");
        assertEquals(0, CliRunner.run(trainArgs(straight, 8)).exitCode());
        assertEquals(0, CliRunner.run(trainArgs(resumed, 7)).exitCode());
        wgan.io.RunFolder.releaseLocks(); // in-process runs keep their folder's lock until the JVM ends
        CliRunner.Run resume = CliRunner.run("train", "--resume", resumed.toString(), "--epochs", "8",
                "--cache-dir", cache());
        assertEquals(0, resume.exitCode(), resume.err());
        StateCheckpoint.Loaded a = StateCheckpoint.load(straight.resolve("checkpoints/state.zip"));
        StateCheckpoint.Loaded b = StateCheckpoint.load(resumed.resolve("checkpoints/state.zip"));
        assertEquals(8, b.meta().get("progress").get("gen_iter").asInt());
        assertArrayEquals(floats(a.arrays().get("params")), floats(b.arrays().get("params")));
        assertArrayEquals(floats(a.arrays().get("ema_generator")), floats(b.arrays().get("ema_generator")),
                "the EMA generator bit for bit");
        assertFalse(java.util.Arrays.equals(floats(rawGenerator(b)), floats(b.arrays().get("ema_generator"))));
    }

    private static List<JsonNode> qualityLines() throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode n = JSON.readTree(line);
            if (n.has("swd")) {
                lines.add(n);
            }
        }
        assertEquals(3, lines.size());
        return lines;
    }

    private static ModelConfig model() throws Exception {
        return GeneratorCheckpoint.modelFromJson(JSON.readTree(run.resolve("options.json").toFile()).get("model"));
    }

    /** The trained generator's part of the state's [generator | critic] vector. */
    private static INDArray rawGenerator(StateCheckpoint.Loaded state) throws Exception {
        INDArray all = state.arrays().get("params");
        long n = GanNetworks.fromParams(model(), all.dup()).generator().params().length();
        return all.get(NDArrayIndex.interval(0, n)).reshape(1, n);
    }

    private static float[] floats(INDArray a) {
        return a.dup().reshape(a.length()).toFloatVector();
    }

    private static ComputationGraph generator(ModelConfig model, INDArray params) {
        ComputationGraph g = new ComputationGraph(Dcgan.generator(model, params.dataType()));
        g.init(params.dup().reshape(params.length()), false);
        return g;
    }

    private static byte[] gridOf(ComputationGraph generator, INDArray noise, String name) throws Exception {
        Path png = shared.resolve("grid-" + name + "-" + System.nanoTime() + ".png");
        ImageGrid.writeGrid(Generation.generate(generator, noise), 8, png);
        return Files.readAllBytes(png);
    }

    private static String cache() {
        return shared.resolve("cache").toString();
    }
}
