package wgan.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs a scripts/bench script with stand-ins for the programs it times, for the tests of its own
 * logic (RaceScriptTest, BoundScriptTest). The caller's environment carries OPENBLAS_CORETYPE and
 * OPENBLAS_L2_SIZE, as these machines' does, so a stand-in can check that the script unset them.
 */
final class BenchScript {
    record Run(int exit, String output) {
    }

    private BenchScript() {
    }

    /**
     * A stand-in that logs its name to dir/order, fails if either OpenBLAS variable reached it,
     * prints a line of chatter and then its next rate from rates, as printf's format asks
     * ("%s" alone: the bare number).
     */
    static String stub(Path dir, String name, String format, String... rates) throws Exception {
        Path list = dir.resolve(name + ".rates");
        Files.write(list, List.of(rates));
        Path script = dir.resolve(name + ".sh");
        Files.writeString(script, String.join("\n",
                "set -eu",
                "if [ -n \"${OPENBLAS_CORETYPE:-}${OPENBLAS_L2_SIZE:-}\" ]; then echo 'OpenBLAS variables set' >&2; exit 9; fi",
                "echo " + name + " >> '" + dir.resolve("order") + "'",
                "n=$(grep -c '^" + name + "$' '" + dir.resolve("order") + "')",
                "echo 'some chatter first'",
                "printf '" + format + "\\n' \"$(sed -n \"${n}p\" '" + list + "')\"", ""));
        return "bash " + script;
    }

    /** Runs scripts/bench/script with the stand-ins' commands in env and the OpenBLAS variables set. */
    static Run run(Path dir, String script, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", "scripts/bench/" + script));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.txt").toFile());
        pb.environment().putAll(env);
        pb.environment().put("OPENBLAS_CORETYPE", "Haswell");
        pb.environment().put("OPENBLAS_L2_SIZE", "512");
        Process p = pb.start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), script + " did not finish");
        return new Run(p.exitValue(), Files.readString(dir.resolve("out.txt")));
    }
}
