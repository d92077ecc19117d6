package wgan.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgan.TestImages;
import wgan.config.EngineKind;
import wgan.config.ModelConfig;
import wgan.config.OptimizerKind;
import wgan.config.TrainConfig;
import wgan.data.ImageLoader;
import wgan.data.ImageSet;
import wgan.io.RunFolder;
import wgan.io.StateCheckpoint;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * --eval-every auto picks epochs by wall time, so an uninterrupted run and a resumed one check
 * different epochs. Resume stays bit-identical only if the check (SWD on generated images, the
 * critic on held-out ones, both with BatchNorm in training mode) changes nothing training reads:
 * networks, optimiser state, noise. Checking every epoch and never must train the same weights.
 */
class QualityCheckLeavesTrainingAloneTest {

    @Test
    void checkingEveryEpochTrainsTheSameWeightsAsNeverChecking(@TempDir Path tmp) throws Exception {
        TestImages.writeTree(tmp.resolve("imgs"), 24, 2, 30, 30, 9);
        ImageSet images = ImageLoader.prepare(tmp.resolve("imgs"), 16, 3, tmp.resolve("cache"), note -> { }).images();
        float[] checked = train(tmp, images, "checked", 1);
        float[] unchecked = train(tmp, images, "unchecked", 0);
        assertArrayEquals(unchecked, checked, "the quality check changed what training computed");
        RunFolder.releaseLocks();
    }

    private static float[] train(Path tmp, ImageSet images, String name, int evalEvery) throws Exception {
        // 24 images, 4 held out (the critic check runs), batches of 4: 5 critic steps per epoch.
        TrainConfig config = new TrainConfig(new ModelConfig(16, 3, 16, 8, 8, 0), tmp.resolve("imgs"), 4, 4, 5, 0.01,
                5e-5, 5e-5, OptimizerKind.rmsprop, 21, tmp.resolve(name), 0, 1, evalEvery, 8, 4, EngineKind.auto,
                wgan.config.LossKind.WGAN_CLIP, 10, java.util.List.of(), 10, wgan.data.ImageDecoder.DEFAULT_MAX_PIXELS,
                java.util.Map.of(), false);
        RunFolder run = RunFolder.createNew(config.outDir(), config.data());
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Trainer trainer = Trainer.start(config, images, run, new PrintStream(console, true), new StopRequest());
        assertEquals(Trainer.Outcome.FINISHED, trainer.train().outcome(), console.toString());
        long qualityLines = Files.readAllLines(run.metrics()).stream().filter(l -> l.contains("\"swd\"")).count();
        assertEquals(evalEvery == 0 ? 0 : 4, qualityLines, console.toString());
        if (evalEvery > 0) {
            assertTrue(Files.readString(run.metrics()).contains("wasserstein_held_out"), "the critic check ran");
        }
        return StateCheckpoint.load(run.root().resolve("checkpoints/state.zip")).arrays().get("params")
                .toFloatVector();
    }
}
