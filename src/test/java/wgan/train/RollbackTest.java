package wgan.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgan.TestImages;
import wgan.config.EngineKind;
import wgan.config.LossKind;
import wgan.config.ModelConfig;
import wgan.config.OptimizerKind;
import wgan.config.TrainConfig;
import wgan.data.ImageLoader;
import wgan.data.ImageSet;
import wgan.io.RunFolder;
import wgan.model.GanNetworks;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A NaN in the weights rolls back to the last checkpoint and training goes on with fresh noise. */
class RollbackTest {
    /** Poisons a generator weight after one generator iteration, once. */
    private static final class PoisonOnce implements Trainer.StepListener {
        private long at;

        PoisonOnce(long at) {
            this.at = at;
        }

        @Override
        public void afterGeneratorStep(long generatorIteration, GanNetworks nets) {
            if (generatorIteration == at) {
                nets.generator().params().putScalar(0, Double.NaN);
                at = -1;
            }
        }
    }

    @Test
    void nanWeightRollsBackAndTrainingContinues(@TempDir Path tmp) throws Exception {
        TestImages.writeTree(tmp.resolve("imgs"), 16, 2, 30, 30, 5);
        ImageSet images = ImageLoader.prepare(tmp.resolve("imgs"), 16, 3, tmp.resolve("cache"), note -> { }).images();
        TrainConfig config = new TrainConfig(new ModelConfig(16, 3, 16, 8, 8, 0), tmp.resolve("imgs"), 4, 8, 5, 0.01,
                5e-5, 5e-5, OptimizerKind.rmsprop, 3, tmp.resolve("run"), 1, 0, 0, 2048, 0, EngineKind.auto, LossKind.WGAN_CLIP, 10,
                java.util.List.of(), 10, wgan.data.ImageDecoder.DEFAULT_MAX_PIXELS, java.util.Map.of(), false);
        RunFolder run = RunFolder.createNew(config.outDir(), config.data());
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Trainer trainer = Trainer.start(config, images, run, new PrintStream(console, true), new StopRequest());
        trainer.addListener(new PoisonOnce(2));

        Trainer.Result result = trainer.train();

        assertEquals(Trainer.Outcome.FINISHED, result.outcome(), console.toString());
        assertEquals(4, result.generatorIterations());
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(run.metrics())) {
            lines.add(new ObjectMapper().readTree(line));
        }
        List<JsonNode> events = lines.stream().filter(n -> n.has("event")).toList();
        assertEquals(1, events.size(), "one rollback logged");
        assertEquals("rollback", events.get(0).get("event").asText());
        assertEquals(1, events.get(0).get("to_gen_iter").asInt(), "back to the checkpoint after iteration 1");
        assertEquals(List.of(1L, 2L, 3L, 4L), lines.stream().filter(n -> !n.has("event"))
                .map(n -> n.get("gen_iter").asLong()).toList(), "iteration 2 was redone, each iteration once");
        assertTrue(console.toString().contains("rolled back"), console.toString());
        RunFolder.releaseLocks();
    }
}
