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
 * scripts/bench/bound.sh's own logic, with stand-ins for the GEMM probe and the bench
 * (BOUND_GEMM, BOUND_WGAN): pairs whose order alternates, each pair's fraction of its own GEMM
 * bound (533 GFLOP per iteration), their median, the OpenBLAS variables unset, and its exit codes.
 */
class BoundScriptTest {
    /** A stand-in printing its next rate alone, as the GEMM probe's and the bench's extracts are. */
    private static String stub(Path dir, String name, String... rates) throws Exception {
        return BenchScript.stub(dir, name, "%s", rates);
    }

    private static BenchScript.Run bound(Path dir, String gemm, String wgan, String... args) throws Exception {
        return BenchScript.run(dir, "bound.sh", Map.of("BOUND_GEMM", gemm, "BOUND_WGAN", wgan), args);
    }

    @Test
    void eachPairIsMeasuredAgainstItsOwnGemmRateAndTheMedianIsReported(@TempDir Path dir) throws Exception {
        // bounds 533/533 = 1, 1066/533 = 2, 266.5/533 = 0.5 iterations/s; fractions 0.9, 0.3, 0.8: the median
        // is 0.8, where the median rate over the median bound would say 0.6
        BenchScript.Run run = bound(dir, stub(dir, "gemm", "533", "1066", "266.5"), stub(dir, "wgan", "0.9", "0.6", "0.4"),
                "--pairs", "3", "--precision", "bf16");
        assertEquals(0, run.exit(), run.output());
        assertEquals(List.of("gemm", "wgan", "wgan", "gemm", "gemm", "wgan"), Files.readAllLines(dir.resolve("order")));
        assertTrue(run.output().contains("bf16: median fraction of the GEMM bound 0.800 over 3 pairs (0.900 0.300 0.800)"),
                run.output());
        assertTrue(run.output().contains("pair 2: GEMM 1066 GFLOP/s (bound 2.000 iterations/s), wgan 0.6: 0.300 of the bound"),
                run.output());
    }

    @Test
    void aFailingSideStopsWithExit1(@TempDir Path dir) throws Exception {
        BenchScript.Run run = bound(dir, "exit 3", stub(dir, "wgan", "0.5"));
        assertEquals(1, run.exit(), run.output());
        assertTrue(run.output().contains("bound.sh: pair 1 failed"), run.output());
    }

    @Test
    void badOptionsAreOneLineAndExit2(@TempDir Path dir) throws Exception {
        for (String[] args : List.of(new String[]{"--precision", "fp16"}, new String[]{"--pairs", "0"},
                new String[]{"--warmup", "x"}, new String[]{"--frobnicate"})) {
            BenchScript.Run run = bound(dir, "exit 1", "exit 1", args);
            assertEquals(2, run.exit(), run.output());
            assertEquals(1, run.output().strip().lines().count(), run.output());
            assertTrue(run.output().startsWith("bound.sh: "), run.output());
        }
    }
}
