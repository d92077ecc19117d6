package wgan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `wgan train --loss wgan-gp` with no other flag trains the embedded sample with the penalty's defaults. */
class GradientPenaltyCliTest {
    @Test
    void thePenaltyOnTheEmbeddedSampleTakesItsOwnDefaults(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        CliRunner.Run r = CliRunner.run("train", "--loss", "wgan-gp", "--epochs", "1", "--eval-every", "0",
                "--out", run.toString(), "--cache-dir", tmp.resolve("cache").toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("engine: fast"), r.out());
        JsonNode options = new ObjectMapper().readTree(run.resolve("options.json").toFile());
        assertEquals("wgan-gp", options.get("loss").asText());
        assertEquals("adam", options.get("optimizer").asText());
        assertEquals(1e-4, options.get("lr_d").asDouble());
        assertEquals(1e-4, options.get("lr_g").asDouble());
        assertEquals(false, options.get("model").get("critic_batch_norm").asBoolean());
    }
}
