package wgan.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * scripts/bench/race.sh's own logic, with stand-ins for the two benchmarks (RACE_WGAN, RACE_PEER):
 * interleaved pairs whose order alternates, the median of the ratios, both sides run with
 * OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset although the caller has them, and its exit codes.
 */
class RaceScriptTest {
    /** A stand-in printing its next rate as the JSON line wgan bench and the peer end with. */
    private static String stub(Path dir, String name, String... rates) throws Exception {
        return BenchScript.stub(dir, name, "{\"gen_iters_per_s\": %s}", rates);
    }

    private static BenchScript.Run race(Path dir, String wgan, String peer, String... args) throws Exception {
        return BenchScript.run(dir, "race.sh", Map.of("RACE_WGAN", wgan, "RACE_PEER", peer), args);
    }

    @Test
    void interleavedPairsAlternateOrderAndGiveTheMedianRatio(@TempDir Path dir) throws Exception {
        BenchScript.Run run = race(dir, stub(dir, "wgan", "1.0", "3.0", "2.0"), stub(dir, "peer", "0.5", "1.0", "2.0"),
                "--pairs", "3", "--mode", "bf16");
        assertEquals(0, run.exit(), run.output());
        assertEquals(List.of("wgan", "peer", "peer", "wgan", "wgan", "peer"), Files.readAllLines(dir.resolve("order")));
        // ratios 1.0/0.5, 3.0/1.0, 2.0/2.0 = 2, 3, 1: the median is 2 (not the mean of the rates' ratio, 1.71)
        assertTrue(run.output().contains("bf16: median ratio wgan/peer 2.000 over 3 pairs (2.000 3.000 1.000)"), run.output());
        assertTrue(run.output().contains("OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset"), run.output());
    }

    @Test
    void anEvenNumberOfPairsTakesTheMiddleTwo(@TempDir Path dir) throws Exception {
        BenchScript.Run run = race(dir, stub(dir, "wgan", "1", "4", "2", "8"), stub(dir, "peer", "1", "1", "1", "1"), "--pairs", "4");
        assertEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains("contiguous: median ratio wgan/peer 3.000 over 4 pairs (1.000 4.000 2.000 8.000)"),
                run.output());
    }

    @Test
    void allModesRaceEachPeerMode(@TempDir Path dir) throws Exception {
        String[] ones = {"1", "1", "1", "1", "1", "1", "1", "1", "1"};
        BenchScript.Run run = race(dir, stub(dir, "wgan", ones), stub(dir, "peer", ones), "--mode", "all");
        assertEquals(0, run.exit(), run.output());
        for (String mode : List.of("contiguous", "channels-last", "bf16")) {
            assertTrue(run.output().contains(mode + ": median ratio wgan/peer 1.000 over 3 pairs"), run.output());
        }
    }

    @Test
    void aFailingSideStopsTheRaceWithItsOutput(@TempDir Path dir) throws Exception {
        BenchScript.Run run = race(dir, stub(dir, "wgan", "1.0"), "echo 'peer broke'; exit 3");
        assertEquals(1, run.exit(), run.output());
        assertTrue(run.output().contains("race.sh: the peer run failed; its last lines:\npeer broke"), run.output());
    }

    @Test
    void badOptionsAreOneLineAndExit2(@TempDir Path dir) throws Exception {
        for (String[] args : List.of(new String[]{"--mode", "fp16"}, new String[]{"--pairs", "x"},
                new String[]{"--loss", "hinge"}, new String[]{"--frobnicate"})) {
            BenchScript.Run run = race(dir, "exit 1", "exit 1", args);
            assertEquals(2, run.exit(), run.output());
            assertEquals(1, run.output().strip().lines().count(), run.output());
            assertTrue(run.output().startsWith("race.sh: "), run.output());
        }
    }
}
