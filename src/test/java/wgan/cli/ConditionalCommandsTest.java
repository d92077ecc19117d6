package wgan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgan.TestImages;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * wgan train --conditional, then sample --class and eval --per-class, through the real CLI on
 * JPEGs the test makes (three class folders); and the one-line refusals.
 */
class ConditionalCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path shared;
    static Path data;
    static Path run;
    static Path unconditional;

    @BeforeAll
    static void trainOnce() throws Exception {
        data = shared.resolve("imgs");
        TestImages.writeTree(data, 24, 3, 40, 30, 1);
        run = shared.resolve("run");
        CliRunner.Run train = CliRunner.run(args(run, "--conditional", "--eval-every", "1", "--holdout", "4"));
        assertEquals(0, train.exitCode(), train.err());
        unconditional = shared.resolve("plain");
        assertEquals(0, CliRunner.run(args(unconditional, "--epochs", "1")).exitCode());
    }

    private static String[] args(Path out, String... extra) {
        java.util.List<String> a = new java.util.ArrayList<>(java.util.List.of("train", "--data", data.toString(),
                "--epochs", "2", "--image-size", "16", "--batch-size", "8", "--nz", "8", "--ngf", "8", "--ndf", "8",
                "--seed", "5", "--out", out.toString(), "--cache-dir", shared.resolve("cache").toString()));
        a.addAll(java.util.List.of(extra));
        return a.toArray(new String[0]);
    }

    private static String generator(Path r) {
        return r.resolve("checkpoints/generator.zip").toString();
    }

    @Test
    void aConditionalRunRecordsItsClassesAndGridsHaveOneRowPerClass() throws Exception {
        JsonNode options = JSON.readTree(run.resolve("options.json").toFile());
        assertTrue(options.get("conditional").asBoolean());
        assertEquals(3, options.get("model").get("classes").asInt());
        BufferedImage grid = ImageIO.read(run.resolve("samples/epoch-0002.png").toFile());
        int cell = 16 + wgan.io.ImageGrid.GAP;
        assertEquals(8 * cell + wgan.io.ImageGrid.GAP, grid.getWidth(), "8 columns");
        assertEquals(3 * cell + wgan.io.ImageGrid.GAP, grid.getHeight(), "one row per class");
        String metrics = Files.readString(run.resolve("metrics.jsonl"));
        assertTrue(metrics.contains("\"swd\"") && metrics.contains("\"wasserstein_held_out\""),
                "the quality check and the critic check ran: " + metrics);
        String report = Files.readString(run.resolve("report.html"));
        assertTrue(report.contains("<ol class=\"rowlabels\"><li>c0</li><li>c1</li><li>c2</li></ol>"),
                "the class names beside the newest grid's rows");
        assertTrue(report.contains("the run is conditional"), "the classes section says so");
        String plain = Files.readString(unconditional.resolve("report.html"));
        assertFalse(plain.contains("<ol class=\"rowlabels\">"), "an unconditional grid has no row names");
    }

    @Test
    void sampleOfOneClassIsReproducibleAndDiffersFromAnother() throws Exception {
        byte[] c0 = sample("--class", "c0", "a.png");
        assertArrayEquals(c0, sample("--class", "0", "b.png"), "a folder name and its index are the same class");
        assertFalse(java.util.Arrays.equals(c0, sample("--class", "c2", "c.png")), "another class, other images");
        CliRunner.Run all = CliRunner.run("sample", "--checkpoint", generator(run), "--class", "all", "--seed", "3",
                "--out", shared.resolve("all.png").toString());
        assertEquals(0, all.exitCode(), all.err());
        assertTrue(all.out().contains("rows, top to bottom: c0, c1, c2"), all.out());
        BufferedImage grid = ImageIO.read(shared.resolve("all.png").toFile());
        CliRunner.Run again = CliRunner.run("sample", "--checkpoint", generator(run), "--class", "all", "--seed", "3",
                "--out", shared.resolve("all-again.png").toString());
        assertEquals(0, again.exitCode(), again.err());
        assertArrayEquals(Files.readAllBytes(shared.resolve("all.png")), Files.readAllBytes(shared.resolve("all-again.png")),
                "same seed, same bytes");
        assertEquals(3 * (16 + wgan.io.ImageGrid.GAP) + wgan.io.ImageGrid.GAP, grid.getHeight());
        CliRunner.Run drawn = CliRunner.run("sample", "--checkpoint", generator(run), "--n", "4", "--seed", "3",
                "--out", shared.resolve("drawn.png").toString());
        assertEquals(0, drawn.exitCode(), drawn.err());
    }

    private static byte[] sample(String flag, String value, String name) throws Exception {
        Path png = shared.resolve(name);
        CliRunner.Run r = CliRunner.run("sample", "--checkpoint", generator(run), flag, value, "--n", "8", "--seed", "3",
                "--out", png.toString());
        assertEquals(0, r.exitCode(), r.err());
        return Files.readAllBytes(png);
    }

    @Test
    void evalPerClassGivesEachClassAndTheMeanInTheJson() throws Exception {
        CliRunner.Run r = CliRunner.run("eval", "--checkpoint", generator(run), "--data", data.toString(), "--n", "4",
                "--per-class", "--json", "--cache-dir", shared.resolve("cache").toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode line = JSON.readTree(r.out().strip().lines().reduce((a, b) -> b).orElseThrow());
        JsonNode each = line.get("per_class");
        assertEquals(3, each.size());
        double sum = 0;
        for (int k = 0; k < 3; k++) {
            assertEquals("c" + k, each.get(k).get("folder").asText());
            assertEquals(4, each.get(k).get("swd").get("n").asInt(), "8 images per class: 4 per set");
            sum += each.get(k).get("swd").get("mean").asDouble();
        }
        assertEquals(sum / 3, line.get("per_class_mean").asDouble(), 1e-3);
        CliRunner.Run table = CliRunner.run("eval", "--checkpoint", generator(run), "--data", data.toString(), "--n", "4",
                "--per-class", "--cache-dir", shared.resolve("cache").toString());
        assertEquals(0, table.exitCode(), table.err());
        assertTrue(table.out().contains("class c2: 4 generated vs 4 real images") && table.out().contains("per-class mean"),
                table.out());
        CliRunner.Run plain = CliRunner.run("eval", "--checkpoint", generator(unconditional), "--data", data.toString(),
                "--n", "4", "--per-class", "--cache-dir", shared.resolve("cache").toString());
        assertEquals(2, plain.exitCode());
        assertEquals(1, errorLines(plain), plain.err());
    }

    @Test
    void walkWritesALoopingGifAndItsKeyFramesReproducibly() throws Exception {
        Path gif = shared.resolve("walk.gif");
        CliRunner.Run r = CliRunner.run("sample", "--checkpoint", generator(run), "--walk", "3", "--seed", "4",
                "--out", gif.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(3 * SampleCommand.WALK_FRAMES + 3 * SampleCommand.WALK_FRAMES, gifFrames(gif),
                "a loop through 3 noise points, then through the 3 classes");
        BufferedImage keys = ImageIO.read(shared.resolve("walk-keys.png").toFile());
        int cell = 16 + wgan.io.ImageGrid.GAP;
        assertEquals(3 * cell + wgan.io.ImageGrid.GAP, keys.getWidth(), "3 key frames a row");
        assertEquals(2 * cell + wgan.io.ImageGrid.GAP, keys.getHeight(), "noise key frames, then class key frames");
        Path again = shared.resolve("walk-again.gif");
        assertEquals(0, CliRunner.run("sample", "--checkpoint", generator(run), "--walk", "3", "--seed", "4",
                "--out", again.toString()).exitCode());
        assertArrayEquals(Files.readAllBytes(gif), Files.readAllBytes(again), "same seed, same bytes");
        Path other = shared.resolve("walk-other.gif");
        assertEquals(0, CliRunner.run("sample", "--checkpoint", generator(run), "--walk", "3", "--seed", "5",
                "--out", other.toString()).exitCode());
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(gif), Files.readAllBytes(other)), "another seed, another walk");

        Path plain = shared.resolve("plain.gif");
        assertEquals(0, CliRunner.run("sample", "--checkpoint", generator(unconditional), "--walk", "4", "--seed", "4",
                "--out", plain.toString()).exitCode());
        assertEquals(4 * SampleCommand.WALK_FRAMES, gifFrames(plain), "an unconditional walk: the noise loop alone");
        CliRunner.Run png = CliRunner.run("sample", "--checkpoint", generator(run), "--walk", "3",
                "--out", shared.resolve("walk.png").toString());
        assertEquals(2, png.exitCode());
        assertEquals(1, errorLines(png), png.err());
    }

    private static int gifFrames(Path gif) throws Exception {
        javax.imageio.ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            reader.setInput(in);
            return reader.getNumImages(true);
        } finally {
            reader.dispose();
        }
    }

    @Test
    void slerpKeepsTheEndsAndTheSphere() {
        double[] a = {3, 0, 0};
        double[] b = {0, 0, 3};
        assertArrayEquals(a, wgan.model.LatentWalk.slerp(a, b, 0), 1e-12);
        assertArrayEquals(b, wgan.model.LatentWalk.slerp(a, b, 1), 1e-12);
        double[] mid = wgan.model.LatentWalk.slerp(a, b, 0.5);
        assertEquals(3, Math.sqrt(mid[0] * mid[0] + mid[1] * mid[1] + mid[2] * mid[2]), 1e-12, "on the sphere, not inside it");
        assertEquals(mid[0], mid[2], 1e-12);
    }

    @Test
    void unknownClassAndClassOnAnUnconditionalGeneratorAreRefusedInOneLine() {
        CliRunner.Run unknown = CliRunner.run("sample", "--checkpoint", generator(run), "--class", "c7",
                "--out", shared.resolve("x.png").toString());
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("unknown class 'c7'; the checkpoint's classes are: 0 c0, 1 c1, 2 c2"), unknown.err());
        assertEquals(1, errorLines(unknown), unknown.err());

        CliRunner.Run plain = CliRunner.run("sample", "--checkpoint", generator(unconditional), "--class", "c0",
                "--out", shared.resolve("y.png").toString());
        assertEquals(2, plain.exitCode());
        assertTrue(plain.err().contains("--class needs a generator trained with wgan train --conditional"), plain.err());
        assertEquals(1, errorLines(plain), plain.err());
    }

    /** stderr's lines but the backend's startup line. */
    private static long errorLines(CliRunner.Run r) {
        return r.err().strip().lines().filter(l -> !l.startsWith("wgan: backend ")).count();
    }

    @Test
    void resumeOnOtherClassesIsRefusedInOneLine(@TempDir Path tmp) throws Exception {
        Path copy = tmp.resolve("imgs");
        TestImages.writeTree(copy, 24, 3, 40, 30, 1);
        Path r = tmp.resolve("r");
        // separate processes, as a resume is: a run holds its folder's lock until its process ends
        assertEquals(0, WganProcess.run(tmp.resolve("first.log"), java.time.Duration.ofMinutes(2), "train", "--data",
                copy.toString(), "--conditional", "--epochs", "1", "--image-size", "16", "--batch-size", "8", "--nz", "8",
                "--ngf", "8", "--ndf", "8", "--out", r.toString(), "--cache-dir", tmp.resolve("cache").toString()));
        Files.move(copy.resolve("c2"), copy.resolve("c9"));
        WganProcess resumed = WganProcess.start(tmp.resolve("resume.log"), "train", "--resume", r.toString(), "--epochs",
                "2", "--cache-dir", tmp.resolve("cache").toString());
        assertEquals(2, resumed.waitFor(java.time.Duration.ofMinutes(2)), resumed.output());
        assertTrue(resumed.output().contains("wgan: the run was trained on the classes c0, c1, c2 and the data folder"
                + " now has c0, c1, c9"), resumed.output());
    }

    @Test
    void conditionalOnOneClassIsRefusedInOneLine(@TempDir Path tmp) throws Exception {
        Path one = tmp.resolve("one");
        TestImages.writeTree(one, 8, 1, 40, 30, 2);
        CliRunner.Run r = CliRunner.run("train", "--data", one.toString(), "--conditional", "--epochs", "1",
                "--image-size", "16", "--out", tmp.resolve("r").toString(), "--cache-dir", tmp.resolve("cache").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--conditional needs at least two classes"), r.err());
        assertEquals(1, errorLines(r), r.err());
        CliRunner.Run graph = CliRunner.run(args(tmp.resolve("g"), "--conditional", "--engine", "graph"));
        assertEquals(2, graph.exitCode());
        assertTrue(graph.err().contains("--conditional cannot run with --engine graph"), graph.err());
    }
}
