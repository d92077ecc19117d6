package wgan.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every command's --help renders cleanly (a stray % in a description makes picocli warn) and lists the exit codes. */
class HelpTest {
    @ParameterizedTest
    @ValueSource(strings = {"train", "prepare", "sample", "eval", "report", "bench"})
    void helpIsCleanAndListsExitCodes(String command) {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream picocliWarnings = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(picocliWarnings, true, StandardCharsets.UTF_8));
            CliRunner.Run run = CliRunner.run(command, "--help");
            assertEquals(0, run.exitCode(), run.err());
            assertTrue(run.out().contains("Exit codes:") && run.out().contains("143"), run.out());
        } finally {
            System.setErr(originalErr);
        }
        assertFalse(picocliWarnings.toString(StandardCharsets.UTF_8).contains("WARN"),
                picocliWarnings.toString(StandardCharsets.UTF_8));
    }
}
