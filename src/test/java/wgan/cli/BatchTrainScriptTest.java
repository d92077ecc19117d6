package wgan.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs scripts/test-batch-train.sh: real background jobs started, refused, killed with SIGKILL
 * and resumed by scripts/batch-train.sh. wgan runs from the test classpath (WGAN_LAUNCHER), so the
 * test needs no packaged jar.
 */
class BatchTrainScriptTest {
    @Test
    void batchJobStartsSurvivesAKillAndResumes(@TempDir Path tmp) throws Exception {
        Path launcher = tmp.resolve("wgan");
        Files.writeString(launcher, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' -Xmx1g -cp '" + System.getProperty("java.class.path") + "' " + Main.class.getName() + " \"$@\"\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path log = tmp.resolve("test.log");
        ProcessBuilder pb = new ProcessBuilder("bash", "scripts/test-batch-train.sh")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("WGAN_LAUNCHER", launcher.toString());
        Process p = pb.start();
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "test-batch-train.sh did not finish");
        String output = Files.readString(log);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("ok: resumed and finished: exit-status 0, epoch 3/3"), output);
    }
}
