package wgan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgan.TestImages;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** wgan train then wgan sample through the real CLI, on JPEGs the test makes. */
class TrainAndSampleEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void trainsThenSamplesReproducibly(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("imgs");
        TestImages.writeTree(data, 24, 3, 40, 30, 1);
        Path run = tmp.resolve("run");

        CliRunner.Run train = CliRunner.run("train", "--data", data.toString(), "--epochs", "3", "--image-size", "16",
                "--batch-size", "8", "--ngf", "8", "--ndf", "8", "--seed", "5", "--eval-every", "1", "--out", run.toString(),
                "--cache-dir", tmp.resolve("cache").toString());
        assertEquals(0, train.exitCode(), train.err());
        assertTrue(train.out().contains("epoch 3/3"), train.out());

        JsonNode options = JSON.readTree(run.resolve("options.json").toFile());
        assertEquals(5, options.get("seed").asLong());
        assertEquals(16, options.get("model").get("image_size").asInt());
        assertEquals(24, options.get("images_used").asInt());

        // 24 images / batch 8 = 3 critic batches per epoch; the warm-up asks 100 critic steps per
        // generator iteration, so each epoch ends inside its critic phase: 1 iteration per epoch.
        List<String> all = Files.readAllLines(run.resolve("metrics.jsonl"));
        List<String> lines = all.stream().filter(l -> l.contains("\"loss_d\"")).toList();
        assertEquals(3, lines.size(), String.join("\n", all));
        List<String> quality = all.stream().filter(l -> l.contains("\"swd\"")).toList();
        assertEquals(3, quality.size(), "one quality line per epoch (--eval-every 1)");
        JsonNode swd = JSON.readTree(quality.get(2)).get("swd");
        assertTrue(swd.get("mean").asDouble() > 0 && swd.get("floor_mean").asDouble() > 0, quality.get(2));
        assertTrue(Files.size(run.resolve("report.html")) > 1000, "report.html written");
        for (int i = 0; i < lines.size(); i++) {
            JsonNode line = JSON.readTree(lines.get(i));
            assertEquals(i + 1, line.get("gen_iter").asInt());
            assertEquals(i + 1, line.get("epoch").asInt());
            assertEquals(3, line.get("critic_steps").asInt());
            for (String key : List.of("loss_d", "loss_g", "loss_d_real", "loss_d_fake", "seconds", "images_per_s")) {
                assertTrue(Double.isFinite(line.get(key).asDouble()), key + " in " + lines.get(i));
            }
            assertEquals(line.get("loss_d_real").asDouble() - line.get("loss_d_fake").asDouble(),
                    line.get("loss_d").asDouble(), 1e-6);
        }
        assertGrid(run.resolve("samples/reals.png"), 8, 3, 16); // 24 images: 8 columns x 3 rows
        for (int epoch = 1; epoch <= 3; epoch++) {
            assertGrid(run.resolve(String.format("samples/epoch-%04d.png", epoch)), 8, 8, 16);
        }
        assertTrue(Files.size(run.resolve("checkpoints/state.zip")) > 0);

        Path generator = run.resolve("checkpoints/generator.zip");
        Path first = tmp.resolve("a.png");
        Path second = tmp.resolve("b.png");
        assertEquals(0, CliRunner.run("sample", "--checkpoint", generator.toString(), "--n", "64", "--seed", "7",
                "--out", first.toString()).exitCode());
        assertEquals(0, CliRunner.run("sample", "--checkpoint", generator.toString(), "--n", "64", "--seed", "7",
                "--out", second.toString()).exitCode());
        assertGrid(first, 8, 8, 16);
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second), "same checkpoint and seed");

        Path folder = tmp.resolve("singles");
        assertEquals(0, CliRunner.run("sample", "--checkpoint", generator.toString(), "--n", "3", "--seed", "7",
                "--out", folder.toString()).exitCode());
        assertEquals(List.of("sample-0001.png", "sample-0002.png", "sample-0003.png"),
                Files.list(folder).map(p -> p.getFileName().toString()).sorted().toList());
    }

    private static void assertGrid(Path png, int columns, int rows, int size) throws Exception {
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(2 + columns * (size + 2), image.getWidth(), png + " width");
        assertEquals(2 + rows * (size + 2), image.getHeight(), png + " height");
    }
}
