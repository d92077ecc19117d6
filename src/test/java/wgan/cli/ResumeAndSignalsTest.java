package wgan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgan.TestImages;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real processes and real signals: a run killed with SIGKILL and resumed ends bit-identical to
 * the same run uninterrupted, both its EMA generator (sampled by default) and the trained one; SIGTERM and SIGINT checkpoint and exit 143 and 130; a run folder in
 * use is refused, and a dead process does not leave it locked.
 */
class ResumeAndSignalsTest {
    private static final Duration LIMIT = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    static Path data;

    @BeforeAll
    static void makeImages() throws Exception {
        data = shared.resolve("imgs");
        TestImages.writeTree(data, 40, 4, 40, 30, 3);
    }

    /** 40 images in batches of 8: 5 critic steps per epoch, so one generator iteration per epoch. */
    private static String[] train(Path out, int epochs, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--out", out.toString(),
                "--epochs", String.valueOf(epochs), "--image-size", "16", "--batch-size", "8", "--nz", "16",
                "--ngf", "8", "--ndf", "8", "--seed", "11", "--checkpoint-every", "1", "--cache-dir", cache()));
        args.addAll(List.of(extra));
        return args.toArray(new String[0]);
    }

    @Test
    void killedAndResumedRunEqualsUninterruptedRun(@TempDir Path tmp) throws Exception {
        // clipping keeps no EMA generator by default; this run keeps one, whose resume is checked too
        assertKilledAndResumedRunEqualsUninterrupted(tmp, "--ema-kimg", "10");
        // fp32's default convolutions: oneDNN's own primitives where they load, else libnd4j's ops
        String engine = wgan.engine.fast.DnnlConvolution.unavailable() == null ? "engine: fast (oneDNN fp32 convolutions"
                : "engine: fast (libnd4j ops";
        assertTrue(Files.readString(tmp.resolve("killed-2.log")).contains(engine), "the resumed run's engine line");
    }

    /** The penalty's interpolation weights and the augmentation's draws come from the checkpointed noise generator too. */
    @Test
    void killedAndResumedGradientPenaltyRunWithAugmentationEqualsUninterruptedRun(@TempDir Path tmp) throws Exception {
        assertKilledAndResumedRunEqualsUninterrupted(tmp, "--loss", "wgan-gp", "--augment", "color,translation,cutout");
        JsonNode options = JSON.readTree(tmp.resolve("killed").resolve("options.json").toFile());
        assertEquals("wgan-gp", options.get("loss").asText());
        assertEquals(false, options.get("model").get("critic_batch_norm").asBoolean());
        assertEquals("color,translation,cutout", options.get("augment").asText());
    }

    /** A conditional run's fake classes are drawn from the checkpointed noise generator too; both losses. */
    @Test
    void killedAndResumedConditionalRunsEqualUninterruptedRuns(@TempDir Path tmp) throws Exception {
        assertKilledAndResumedRunEqualsUninterrupted(tmp.resolve("clip"), "--conditional", "--ema-kimg", "10");
        assertKilledAndResumedRunEqualsUninterrupted(tmp.resolve("gp"), "--conditional", "--loss", "wgan-gp",
                "--augment", "translation");
        JsonNode options = JSON.readTree(tmp.resolve("gp").resolve("killed").resolve("options.json").toFile());
        assertTrue(options.get("conditional").asBoolean());
        assertEquals(4, options.get("model").get("classes").asInt());
    }

    /** --precision bf16 (oneDNN's bf16 convolutions): as deterministic, and the resumed run keeps its precision. */
    @Test
    void killedAndResumedBf16RunEqualsUninterruptedRun(@TempDir Path tmp) throws Exception {
        String why = wgan.engine.fast.DnnlConvolution.bf16Unsupported();
        org.junit.jupiter.api.Assumptions.assumeTrue(why == null, why);
        assertKilledAndResumedRunEqualsUninterrupted(tmp, "--precision", "bf16", "--ema-kimg", "10");
        JsonNode options = JSON.readTree(tmp.resolve("killed").resolve("options.json").toFile());
        assertEquals("bf16", options.get("precision").asText());
        assertTrue(Files.readString(tmp.resolve("killed-2.log")).contains("oneDNN bf16 convolutions"),
                "the resumed run's engine line");
    }

    private static void assertKilledAndResumedRunEqualsUninterrupted(Path tmp, String... extra) throws Exception {
        Files.createDirectories(tmp);
        Path straight = tmp.resolve("straight");
        assertEquals(0, WganProcess.run(tmp.resolve("straight.log"), LIMIT, train(straight, 12, extra)));

        Path killed = tmp.resolve("killed");
        WganProcess first = WganProcess.start(tmp.resolve("killed-1.log"), train(killed, 12, extra));
        first.awaitCondition(() -> WganProcess.iterations(killed.resolve("metrics.jsonl")) >= 4, LIMIT);
        first.process.destroyForcibly(); // SIGKILL, at whatever the process was doing
        first.waitFor(LIMIT);
        WganProcess second = WganProcess.start(tmp.resolve("killed-2.log"), "train", "--resume", killed.toString(), "--cache-dir", cache());
        assertEquals(0, second.waitFor(LIMIT), second.output());
        assertTrue(second.output().contains("continuing at generator iteration"), second.output());

        assertEquals(lossesOf(straight), lossesOf(killed), "every iteration's losses, once each");
        byte[] ema = sample(straight, tmp.resolve("a.png"));
        assertArrayEquals(ema, sample(killed, tmp.resolve("b.png")), "the same seed gives byte-identical samples");
        byte[] raw = sample(straight, tmp.resolve("a-raw.png"), "--raw");
        assertArrayEquals(raw, sample(killed, tmp.resolve("b-raw.png"), "--raw"), "and so does the trained generator");
        assertFalse(java.util.Arrays.equals(ema, raw), "the EMA generator (the default) is not the trained one");
        // 8-bit pixels hide small differences, and with the ramp-up the average forgets its past within a few
        // steps, so the weights themselves are compared, bit for bit
        for (String array : List.of("params", "ema_generator")) {
            assertArrayEquals(stateArray(straight, array), stateArray(killed, array), array + " bit for bit");
        }
        assertEquals(0, WganProcess.run(tmp.resolve("again.log"), LIMIT, "train", "--resume", killed.toString(), "--cache-dir", cache()),
                "a finished run resumes to an immediate, successful exit");
    }

    @Test
    void sigtermCheckpointsAndExits143AndFolderInUseIsRefused(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        WganProcess p = WganProcess.start(tmp.resolve("term.log"), train(run, 400));
        p.awaitCondition(() -> WganProcess.iterations(run.resolve("metrics.jsonl")) >= 2, LIMIT);

        CliRunner.Run second = CliRunner.run("train", "--resume", run.toString(), "--cache-dir", cache());
        assertEquals(2, second.exitCode(), second.err());
        assertTrue(second.err().contains("in use"), second.err());

        p.signal("TERM");
        assertEquals(143, p.waitFor(LIMIT), p.output());
        assertTrue(p.output().contains("Resume with: wgan train --resume " + run), p.output());
        long done = progress(run).get("gen_iter").asLong();
        assertTrue(done >= 2, "checkpoint at the stop: " + done);

        assertEquals(0, WganProcess.run(tmp.resolve("resume.log"), LIMIT, "train", "--resume", run.toString(), "--cache-dir", cache(),
                "--epochs", String.valueOf(done + 2)));
        assertTrue(progress(run).get("finished").asBoolean());
    }

    @Test
    void sigintExits130AfterACheckpoint(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        WganProcess p = WganProcess.start(tmp.resolve("int.log"), train(run, 400));
        p.awaitCondition(() -> WganProcess.iterations(run.resolve("metrics.jsonl")) >= 1, LIMIT);
        p.signal("INT");
        assertEquals(130, p.waitFor(LIMIT), p.output());
        assertTrue(p.output().contains("SIGINT"), p.output());
        assertTrue(progress(run).get("gen_iter").asLong() >= 1);
    }

    @Test
    void resumeRefusesChangedOptionsAndMissingRuns(@TempDir Path tmp) throws Exception {
        CliRunner.Run missing = CliRunner.run("train", "--resume", tmp.resolve("nope").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("no checkpoints/state.zip"), missing.err());

        Path run = tmp.resolve("run");
        assertEquals(0, CliRunner.run(train(run, 1)).exitCode());
        CliRunner.Run changed = CliRunner.run("train", "--resume", run.toString(), "--cache-dir", cache(), "--lr-d", "1e-3");
        assertEquals(2, changed.exitCode());
        assertTrue(changed.err().contains("--lr-d cannot change"), changed.err());
    }

    private static String cache() {
        return shared.resolve("cache").toString();
    }

    private static JsonNode progress(Path run) throws Exception {
        return wgan.io.StateCheckpoint.load(run.resolve("checkpoints/state.zip")).meta().get("progress");
    }

    /** gen_iter and the four losses of every metrics line. */
    private static List<String> lossesOf(Path run) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode n = JSON.readTree(line);
            if (!n.has("loss_d")) {
                continue; // quality lines are checked elsewhere
            }
            out.add(n.get("gen_iter") + " " + n.get("loss_d") + " " + n.get("loss_g") + " " + n.get("loss_d_real")
                    + " " + n.get("loss_d_fake"));
        }
        return out;
    }

    private static float[] stateArray(Path run, String name) throws Exception {
        org.nd4j.linalg.api.ndarray.INDArray a = wgan.io.StateCheckpoint.load(run.resolve("checkpoints/state.zip"))
                .arrays().get(name);
        return a.reshape(a.length()).toFloatVector();
    }

    private static byte[] sample(Path run, Path png, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("sample", "--checkpoint",
                run.resolve("checkpoints/generator.zip").toString(), "--n", "16", "--seed", "7", "--out", png.toString()));
        args.addAll(List.of(extra));
        CliRunner.Run r = CliRunner.run(args.toArray(new String[0]));
        assertEquals(0, r.exitCode(), r.err());
        return Files.readAllBytes(png);
    }
}
