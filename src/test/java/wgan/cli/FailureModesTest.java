package wgan.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgan.TestImages;
import wgan.io.StateCheckpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Divergence and a full disk: one clear line, a documented exit code, the last good checkpoint kept. */
class FailureModesTest {

    @Test
    void divergingRunStopsAfterThreeRollbacksWithExit3(@TempDir Path tmp) throws Exception {
        TestImages.writeTree(tmp.resolve("imgs"), 16, 2, 30, 30, 1);
        Path run = tmp.resolve("run");
        CliRunner.Run r = CliRunner.run("train", "--data", tmp.resolve("imgs").toString(), "--out", run.toString(),
                "--image-size", "16", "--batch-size", "8", "--nz", "16", "--ngf", "8", "--ndf", "8", "--seed", "1",
                "--lr-g", "1e38", "--lr-d", "1e38", "--cache-dir", tmp.resolve("cache").toString());
        assertEquals(3, r.exitCode(), r.out() + r.err());
        assertTrue(lastLine(r.err()).startsWith("wgan: training diverged"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        List<String> events = Files.readAllLines(run.resolve("metrics.jsonl")).stream()
                .filter(l -> l.contains("\"rollback\"")).toList();
        assertEquals(3, events.size(), String.join("\n", events));
        StateCheckpoint.load(run.resolve("checkpoints/state.zip")); // the last good state is intact
    }

    /** stderr may start with the backend line; the error is the last line. */
    private static String lastLine(String err) {
        String[] lines = err.strip().split("\n");
        return lines[lines.length - 1];
    }

    /**
     * A run folder on a 1 MB tmpfs fills up after a few per-epoch checkpoints. Needs root and
     * mount(8) (CI and the dev machines have both); skipped, and says why, elsewhere.
     */
    @Test
    void fullDiskGivesExit4AndKeepsTheLastGoodCheckpoint(@TempDir Path tmp) throws Exception {
        Path mount = tmp.resolve("small-disk");
        Files.createDirectories(mount);
        Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        Assumptions.assumeTrue(m.waitFor() == 0, "cannot mount a tmpfs here (needs root): "
                + new String(m.getInputStream().readAllBytes()));
        try {
            TestImages.writeTree(tmp.resolve("imgs"), 16, 2, 30, 30, 1);
            Path run = mount.resolve("run");
            CliRunner.Run r = CliRunner.run("train", "--data", tmp.resolve("imgs").toString(), "--out", run.toString(),
                    "--image-size", "16", "--batch-size", "8", "--nz", "16", "--ngf", "16", "--ndf", "16",
                    "--seed", "1", "--epochs", "200", "--cache-dir", tmp.resolve("cache").toString());
            assertEquals(4, r.exitCode(), r.out() + r.err());
            String line = lastLine(r.err());
            assertTrue(line.startsWith("wgan: cannot write output: cannot write " + run), r.err());
            assertTrue(line.contains("No space left on device"), line);
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
            StateCheckpoint.Loaded last = StateCheckpoint.load(run.resolve("checkpoints/state.zip"));
            assertTrue(last.meta().get("progress").get("gen_iter").asLong() >= 1, "a good checkpoint survives");
            try (var files = Files.list(run.resolve("checkpoints"))) {
                assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp files left");
            }
        } finally {
            wgan.io.RunFolder.releaseLocks(); // the lock file is on the tmpfs: an open file keeps it busy
            new ProcessBuilder("umount", mount.toString()).start().waitFor();
        }
    }
}
