package wgan.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --backend on the CPU jar the tests run with; the CUDA cases are in wgan.backend.BackendDecisionTest. */
class BackendOptionTest {
    private static final String[] TINY_BENCH = {"bench", "--iters", "1", "--warmup", "0", "--image-size", "16",
            "--channels", "1", "--batch-size", "4", "--ngf", "4", "--ndf", "4"};

    private static String[] bench(String... more) {
        String[] args = java.util.Arrays.copyOf(TINY_BENCH, TINY_BENCH.length + more.length);
        System.arraycopy(more, 0, args, TINY_BENCH.length, more.length);
        return args;
    }

    @Test
    void startupLineNamesTheNativeBuildAndThreads() {
        for (String backend : new String[]{"auto", "cpu"}) {
            CliRunner.Run run = CliRunner.run(bench("--backend", backend));
            assertEquals(0, run.exitCode(), run.err());
            assertTrue(run.err().lines().anyMatch(l -> l.matches(
                    "wgan: backend cpu: nd4j-native linux-x86_64-onednn, \\d+ threads on \\d+ cores; Vector API kernels on")), run.err());
        }
    }

    @Test
    void cudaFromTheCpuJarIsOneLineWithTheBuildCommand() {
        CliRunner.Run run = CliRunner.run(bench("--backend", "cuda"));
        assertEquals(2, run.exitCode(), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().contains("WGAN_BACKEND=cuda"), run.err());
        assertFalse(run.err().contains("Exception"), run.err());
    }

    @Test
    void everyComputingCommandTakesTheFlag() {
        for (String command : new String[]{"train", "sample", "bench"}) {
            assertTrue(CliRunner.run(command, "--help").out().contains("--backend"), command);
        }
        assertEquals(2, CliRunner.run(bench("--backend", "tpu")).exitCode());
    }
}
