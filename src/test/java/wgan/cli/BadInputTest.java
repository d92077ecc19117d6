package wgan.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgan.TestImages;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every bad input ends in one line on stderr that names the problem, exit code 2, no stack trace. */
class BadInputTest {

    private static void assertUsageError(CliRunner.Run run, String expectedText) {
        assertEquals(2, run.exitCode(), run.err());
        String err = run.err().strip();
        String[] lines = err.split("\n");
        assertTrue(lines[lines.length - 1].contains(expectedText), err);
        assertFalse(err.contains("\tat "), "no stack trace: " + err);
        assertFalse(err.contains("Exception"), "no exception names: " + err);
    }

    @Test
    void missingDataFolder(@TempDir Path tmp) {
        assertUsageError(CliRunner.run("train", "--data", tmp.resolve("nope").toString()), "does not exist");
    }

    @Test
    void emptyDataFolder(@TempDir Path tmp) throws Exception {
        Path data = Files.createDirectories(tmp.resolve("d"));
        assertUsageError(CliRunner.run("train", "--data", data.toString(), "--out", tmp.resolve("r").toString()),
                "no images");
    }

    @Test
    void folderWithoutImages(@TempDir Path tmp) throws Exception {
        Path data = Files.createDirectories(tmp.resolve("d"));
        Files.writeString(data.resolve("notes.txt"), "not an image");
        Files.writeString(data.resolve("fake.jpg"), "text named .jpg");
        assertUsageError(CliRunner.run("train", "--data", data.toString(), "--out", tmp.resolve("r").toString()),
                "could be decoded");
    }

    @Test
    void imageSizeNotPowerOfTwo(@TempDir Path tmp) throws Exception {
        TestImages.writeTree(tmp, 2, 1, 20, 20, 1);
        assertUsageError(CliRunner.run("train", "--data", tmp.toString(), "--image-size", "48"), "power of two");
        assertUsageError(CliRunner.run("train", "--data", tmp.toString(), "--image-size", "256"), "power of two");
    }

    @Test
    void gradientPenaltyOptions(@TempDir Path tmp) throws Exception {
        TestImages.writeTree(tmp.resolve("imgs"), 2, 1, 20, 20, 1);
        String data = tmp.resolve("imgs").toString();
        assertUsageError(CliRunner.run("train", "--data", data, "--loss", "wgan-hinge"), "the losses are wgan-clip and wgan-gp");
        assertUsageError(CliRunner.run("train", "--data", data, "--loss", "wgan-gp", "--gp-weight", "-1"), "--gp-weight must be 0 or more");
        assertUsageError(CliRunner.run("train", "--data", data, "--loss", "wgan-gp", "--clip", "0.01"), "uses no clipping");
        assertUsageError(CliRunner.run("train", "--data", data, "--gp-weight", "5"), "give it with --loss wgan-gp");
        assertUsageError(CliRunner.run("train", "--data", data, "--out", tmp.resolve("r").toString(), "--loss", "wgan-gp",
                "--engine", "graph"), "--loss wgan-gp cannot run with --engine graph");
        assertUsageError(CliRunner.run("train", "--data", data, "--augment", "color,rotate"), "--augment: unknown 'rotate'");
        assertUsageError(CliRunner.run("train", "--data", data, "--augment", "color", "--engine", "graph"),
                "--augment cannot run with --engine graph");
        assertUsageError(CliRunner.run("bench", "--loss", "wgan-gp", "--engine", "graph", "--iters", "1", "--warmup", "0",
                "--image-size", "16", "--ngf", "4", "--ndf", "4"), "--loss wgan-gp cannot run with --engine graph");
    }

    @Test
    void evalEveryIsAutoOrEpochs(@TempDir Path tmp) throws Exception {
        TestImages.writeTree(tmp, 2, 1, 20, 20, 1);
        assertUsageError(CliRunner.run("train", "--data", tmp.toString(), "--eval-every", "often"),
                "must be auto or a number of epochs (0 never), got 'often'");
        assertUsageError(CliRunner.run("train", "--data", tmp.toString(), "--eval-every", "-1"),
                "must be auto or a number of epochs");
    }

    @Test
    void criticStepsAndClipMustBePositive(@TempDir Path tmp) throws Exception {
        TestImages.writeTree(tmp, 2, 1, 20, 20, 1);
        assertUsageError(CliRunner.run("train", "--data", tmp.toString(), "--n-critic", "0"), "--n-critic");
        assertUsageError(CliRunner.run("train", "--data", tmp.toString(), "--clip", "0"), "--clip");
        assertUsageError(CliRunner.run("train", "--data", tmp.toString(), "--clip", "-0.01"), "--clip");
    }

    @Test
    void unknownFlagAndBadNumber() {
        assertUsageError(CliRunner.run("train", "--data", "x", "--bogus"), "Unknown option");
        assertUsageError(CliRunner.run("train", "--data", "x", "--epochs", "many"), "--epochs");
    }

    @Test
    void runFolderInUseIsNotOverwritten(@TempDir Path tmp) throws Exception {
        TestImages.writeTree(tmp.resolve("d"), 2, 1, 20, 20, 1);
        Files.createDirectories(tmp.resolve("r"));
        Files.writeString(tmp.resolve("r/options.json"), "{}");
        assertUsageError(CliRunner.run("train", "--data", tmp.resolve("d").toString(), "--out",
                tmp.resolve("r").toString(), "--image-size", "16", "--cache-dir", tmp.resolve("cache").toString()),
                "already holds a run");
    }

    @Test
    void missingOrForeignCheckpoint(@TempDir Path tmp) throws Exception {
        assertUsageError(CliRunner.run("sample", "--checkpoint", tmp.resolve("g.zip").toString()), "does not exist");
        Path text = Files.writeString(tmp.resolve("g.zip"), "not a zip");
        assertUsageError(CliRunner.run("sample", "--checkpoint", text.toString()), "not a wgan generator checkpoint");
        Path otherZip = tmp.resolve("other.zip");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(otherZip))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("configuration.json"));
            zip.write("{}".getBytes());
        }
        assertUsageError(CliRunner.run("sample", "--checkpoint", otherZip.toString()), "not a wgan generator checkpoint");
        assertUsageError(CliRunner.run("sample"), "--checkpoint");
    }
}
