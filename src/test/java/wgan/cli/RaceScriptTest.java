package wgan.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * scripts/bench/race.sh's own logic, with stand-ins for the two benchmarks (RACE_WGAN, RACE_PEER):
 * interleaved pairs whose order alternates, the median of the ratios, both sides run with
 * OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset although the caller has them, and its exit codes.
 */
class RaceScriptTest {
    private record Run(int exit, String output) {
    }

    /** A stand-in that logs its name, fails if either OpenBLAS variable reached it, and prints the next rate of its list. */
    private static String stub(Path dir, String name, String... rates) throws Exception {
        Path list = dir.resolve(name + ".rates");
        Files.write(list, List.of(rates));
        Path script = dir.resolve(name + ".sh");
        Files.writeString(script, String.join("\n",
                "set -eu",
                "if [ -n \"${OPENBLAS_CORETYPE:-}${OPENBLAS_L2_SIZE:-}\" ]; then echo 'OpenBLAS variables set' >&2; exit 9; fi",
                "echo " + name + " >> '" + dir.resolve("order") + "'",
                "n=$(grep -c '^" + name + "$' '" + dir.resolve("order") + "')",
                "echo 'some chatter first'",
                "echo \"{\\\"gen_iters_per_s\\\": $(sed -n \"${n}p\" '" + list + "')}\"", ""));
        return "bash " + script;
    }

    private static Run race(Path dir, String wgan, String peer, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bash", "scripts/bench/race.sh"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.txt").toFile());
        pb.environment().put("RACE_WGAN", wgan);
        pb.environment().put("RACE_PEER", peer);
        pb.environment().put("OPENBLAS_CORETYPE", "Haswell");
        pb.environment().put("OPENBLAS_L2_SIZE", "512");
        Process p = pb.start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "race.sh did not finish");
        return new Run(p.exitValue(), Files.readString(dir.resolve("out.txt")));
    }

    @Test
    void interleavedPairsAlternateOrderAndGiveTheMedianRatio(@TempDir Path dir) throws Exception {
        Run run = race(dir, stub(dir, "wgan", "1.0", "3.0", "2.0"), stub(dir, "peer", "0.5", "1.0", "2.0"),
                "--pairs", "3", "--mode", "bf16");
        assertEquals(0, run.exit(), run.output());
        assertEquals(List.of("wgan", "peer", "peer", "wgan", "wgan", "peer"), Files.readAllLines(dir.resolve("order")));
        // ratios 1.0/0.5, 3.0/1.0, 2.0/2.0 = 2, 3, 1: the median is 2 (not the mean of the rates' ratio, 1.71)
        assertTrue(run.output().contains("bf16: median ratio wgan/peer 2.000 over 3 pairs (2.000 3.000 1.000)"), run.output());
        assertTrue(run.output().contains("OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset"), run.output());
    }

    @Test
    void anEvenNumberOfPairsTakesTheMiddleTwo(@TempDir Path dir) throws Exception {
        Run run = race(dir, stub(dir, "wgan", "1", "4", "2", "8"), stub(dir, "peer", "1", "1", "1", "1"), "--pairs", "4");
        assertEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains("contiguous: median ratio wgan/peer 3.000 over 4 pairs (1.000 4.000 2.000 8.000)"),
                run.output());
    }

    @Test
    void allModesRaceEachPeerMode(@TempDir Path dir) throws Exception {
        String[] ones = {"1", "1", "1", "1", "1", "1", "1", "1", "1"};
        Run run = race(dir, stub(dir, "wgan", ones), stub(dir, "peer", ones), "--mode", "all");
        assertEquals(0, run.exit(), run.output());
        for (String mode : List.of("contiguous", "channels-last", "bf16")) {
            assertTrue(run.output().contains(mode + ": median ratio wgan/peer 1.000 over 3 pairs"), run.output());
        }
    }

    @Test
    void aFailingSideStopsTheRaceWithItsOutput(@TempDir Path dir) throws Exception {
        Run run = race(dir, stub(dir, "wgan", "1.0"), "echo 'peer broke'; exit 3");
        assertEquals(1, run.exit(), run.output());
        assertTrue(run.output().contains("race.sh: the peer run failed; its last lines:\npeer broke"), run.output());
    }

    @Test
    void badOptionsAreOneLineAndExit2(@TempDir Path dir) throws Exception {
        for (String[] args : List.of(new String[]{"--mode", "fp16"}, new String[]{"--pairs", "x"},
                new String[]{"--loss", "hinge"}, new String[]{"--frobnicate"})) {
            Run run = race(dir, "exit 1", "exit 1", args);
            assertEquals(2, run.exit(), run.output());
            assertEquals(1, run.output().strip().lines().count(), run.output());
            assertTrue(run.output().startsWith("race.sh: "), run.output());
        }
    }
}
