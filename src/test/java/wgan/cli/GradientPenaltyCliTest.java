package wgan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgan.TestImages;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The penalty's defaults (Adam 1e-4, 0, 0.9; no critic BatchNorm; the EMA generator) when only
 * --loss wgan-gp is given, and the first run's preset, which sets the penalty at 3e-4 with 3 critic steps.
 */
class GradientPenaltyCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void thePenaltyTakesItsOwnDefaultsUnlessGiven(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("imgs");
        TestImages.writeTree(data, 16, 2, 40, 30, 3);
        Path run = tmp.resolve("run");
        CliRunner.Run r = CliRunner.run("train", "--data", data.toString(), "--loss", "wgan-gp", "--epochs", "1",
                "--image-size", "16", "--batch-size", "8", "--ngf", "8", "--ndf", "8", "--eval-every", "0",
                "--out", run.toString(), "--cache-dir", tmp.resolve("cache").toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("engine: fast"), r.out());
        JsonNode options = JSON.readTree(run.resolve("options.json").toFile());
        assertEquals("wgan-gp", options.get("loss").asText());
        assertEquals("adam", options.get("optimizer").asText());
        assertEquals(1e-4, options.get("lr_d").asDouble());
        assertEquals(1e-4, options.get("lr_g").asDouble());
        assertEquals(10.0, options.get("ema_kimg").asDouble());
        assertEquals(false, options.get("model").get("critic_batch_norm").asBoolean());
    }

    @Test
    void theFirstRunOnTheEmbeddedSampleIsThePenaltyAtThreeTimesItsRateWithThreeCriticSteps(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        CliRunner.Run r = CliRunner.run("train", "--epochs", "1", "--eval-every", "0", "--out", run.toString(),
                "--cache-dir", tmp.resolve("cache").toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        JsonNode options = JSON.readTree(run.resolve("options.json").toFile());
        assertEquals("wgan-gp", options.get("loss").asText(), "config/sample-32.args");
        assertEquals("adam", options.get("optimizer").asText());
        assertEquals(3e-4, options.get("lr_d").asDouble());
        assertEquals(3e-4, options.get("lr_g").asDouble());
        assertEquals(3, options.get("n_critic").asInt());
        assertEquals(32, options.get("model").get("image_size").asInt());
    }
}
