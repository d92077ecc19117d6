package wgan.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** wgan run as a real separate process (java wgan.cli.Main ...), for signal and kill tests. */
final class WganProcess {
    final Process process;
    final Path log;

    private WganProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static WganProcess start(Path log, String... args) throws IOException {
        return start(log, Map.of(), args);
    }

    /** @param env variables to set; an empty value removes the variable */
    static WganProcess start(Path log, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                // as scripts/wgan runs it: the fused Vector API kernels on
                "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        env.forEach((name, value) -> {
            if (value.isEmpty()) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        Process p = builder.start();
        return new WganProcess(p, log);
    }

    /** Runs to the end; returns the exit code. */
    static int run(Path log, Duration limit, String... args) throws Exception {
        WganProcess p = start(log, args);
        return p.waitFor(limit);
    }

    int waitFor(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("wgan did not finish within " + limit + "; output:\n" + output());
        }
        return process.exitValue();
    }

    void signal(String name) throws Exception {
        int rc = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start().waitFor();
        if (rc != 0) {
            throw new AssertionError("kill -" + name + " failed");
        }
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** Polls until the condition holds (or the process ends, or the limit passes). */
    void awaitCondition(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new AssertionError("wgan ended (exit " + process.exitValue() + ") before the condition; output:\n"
                        + output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within " + limit + "; output:\n" + output());
            }
            Thread.sleep(50);
        }
    }

    /** Generator iterations logged so far in a metrics.jsonl (not quality or event lines). */
    static long iterations(Path metrics) {
        try {
            return Files.exists(metrics) ? Files.readAllLines(metrics).stream().filter(l -> l.contains("\"loss_d\""))
                    .count() : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
