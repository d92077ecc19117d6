package wgan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import wgan.TestImages;
import wgan.config.ModelConfig;
import wgan.io.GeneratorCheckpoint;
import wgan.model.GanNetworks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** wgan eval on an untrained generator and test photos, and wgan report's input checks, through the real CLI. */
class EvalAndReportCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void evalScoresAnUntrainedGeneratorAboveTheFloor(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("imgs");
        TestImages.writeTree(data, 20, 2, 40, 30, 3);
        ModelConfig model = new ModelConfig(32, 3, 8, 8, 8, 0);
        Path checkpoint = tmp.resolve("generator.zip");
        GeneratorCheckpoint.save(GanNetworks.initialised(model, DataType.FLOAT, 1).generator(), model, Map.of(), checkpoint);

        String[] args = {"eval", "--checkpoint", checkpoint.toString(), "--data", data.toString(), "--n", "16",
                "--seed", "3", "--json", "--cache-dir", tmp.resolve("cache").toString()};
        CliRunner.Run first = CliRunner.run(args);
        assertEquals(0, first.exitCode(), first.err());
        JsonNode swd = JSON.readTree(first.out()).get("swd");
        assertEquals(10, swd.get("n").asInt(), "at most half the 20 reals per set");
        assertEquals(2, swd.get("levels").size(), "32 and 16 px");
        assertTrue(swd.get("mean").asDouble() > swd.get("floor_mean").asDouble(), first.out());

        JsonNode again = JSON.readTree(CliRunner.run(args).out()).get("swd");
        assertEquals(swd.get("levels"), again.get("levels"), "same seed, same numbers");
        assertEquals(swd.get("floor"), again.get("floor"));

        CliRunner.Run table = CliRunner.run("eval", "--checkpoint", checkpoint.toString(), "--data", data.toString(),
                "--n", "16", "--cache-dir", tmp.resolve("cache").toString());
        assertEquals(0, table.exitCode(), table.err());
        assertTrue(table.out().contains("real vs real") && table.out().contains("32px"), table.out());
    }

    @Test
    void evalScoresAFolderOfSamplesAsItScoresTheirCheckpoint(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("imgs");
        TestImages.writeTree(data, 40, 2, 40, 30, 3);
        ModelConfig model = new ModelConfig(32, 3, 8, 8, 8, 0);
        Path checkpoint = tmp.resolve("generator.zip");
        GeneratorCheckpoint.save(GanNetworks.initialised(model, DataType.FLOAT, 1).generator(), model, Map.of(), checkpoint);
        Path samples = tmp.resolve("samples");
        assertEquals(0, CliRunner.run("sample", "--checkpoint", checkpoint.toString(), "--n", "20", "--seed", "5",
                "--out", samples.toString()).exitCode());
        String cache = tmp.resolve("cache").toString();

        JsonNode ofCheckpoint = swd(CliRunner.run("eval", "--checkpoint", checkpoint.toString(), "--data", data.toString(),
                "--n", "20", "--json", "--cache-dir", cache));
        JsonNode ofFolder = swd(CliRunner.run("eval", "--images", samples.toString(), "--image-size", "32",
                "--channels", "3", "--data", data.toString(), "--n", "20", "--json", "--cache-dir", cache));
        assertEquals(ofCheckpoint.get("floor"), ofFolder.get("floor"), "the same reals, patches and directions");
        double checkpointMean = ofCheckpoint.get("mean").asDouble();
        double folderMean = ofFolder.get("mean").asDouble();
        assertTrue(Math.abs(folderMean - checkpointMean) < 0.25 * checkpointMean,
                "other draws of the same generator score alike: " + folderMean + " vs " + checkpointMean);

        Path otherReals = tmp.resolve("other");
        TestImages.writeTree(otherReals, 20, 2, 40, 30, 4);
        JsonNode ofReals = swd(CliRunner.run("eval", "--images", otherReals.toString(), "--image-size", "32",
                "--channels", "3", "--data", data.toString(), "--n", "20", "--json", "--cache-dir", cache));
        double floor = ofReals.get("floor_mean").asDouble();
        double realsMean = ofReals.get("mean").asDouble();
        assertTrue(realsMean < 1.5 * floor && folderMean > 1.5 * realsMean,
                "real photos of the same kind score near the floor, an untrained generator far above it: " + ofReals
                        + " vs " + folderMean);

        CliRunner.Run both = CliRunner.run("eval", "--images", samples.toString(), "--checkpoint", checkpoint.toString(),
                "--data", data.toString());
        assertEquals(2, both.exitCode(), both.err());
        CliRunner.Run noShape = CliRunner.run("eval", "--images", samples.toString(), "--data", data.toString());
        assertEquals(2, noShape.exitCode());
        assertTrue(noShape.err().contains("--images needs --image-size and --channels"), noShape.err());
    }

    private static JsonNode swd(CliRunner.Run run) throws Exception {
        assertEquals(0, run.exitCode(), run.err());
        return JSON.readTree(run.out()).get("swd");
    }

    @Test
    void badInputIsOneLineAndExitCode2(@TempDir Path tmp) throws Exception {
        CliRunner.Run zero = CliRunner.run("eval", "--checkpoint", tmp.resolve("g.zip").toString(), "--data",
                tmp.toString(), "--n", "0");
        assertEquals(2, zero.exitCode());
        assertTrue(zero.err().contains("--n must be 1 or more"), zero.err());

        CliRunner.Run notARun = CliRunner.run("report", tmp.toString());
        assertEquals(2, notARun.exitCode());
        assertTrue(notARun.err().strip().startsWith("wgan: ") && notARun.err().contains("not a wgan run folder"),
                notARun.err());
        assertTrue(Files.notExists(tmp.resolve("report.html")));
    }
}
