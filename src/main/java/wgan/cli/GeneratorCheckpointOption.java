package wgan.cli;

import picocli.CommandLine.Option;
import wgan.io.GeneratorCheckpoint;

import java.nio.file.Path;

/** --checkpoint FILE and --raw, the generator that sample and eval run (@Mixin). */
final class GeneratorCheckpointOption {
    static final String CHECKPOINT_HELP = "A generator.zip written by wgan train (runs/<run>/checkpoints/generator.zip).";
    static final String RAW_HELP = "The trained generator itself, not the EMA generator (the moving"
            + " average of its weights) that a run keeps by default.";

    @Option(names = "--checkpoint", paramLabel = "FILE", required = true, description = CHECKPOINT_HELP)
    Path file;

    @Option(names = "--raw", description = RAW_HELP)
    boolean raw;

    GeneratorCheckpoint.Loaded load() {
        return GeneratorCheckpoint.load(file, raw);
    }

    /** Which generator ran, in words for the console: "EMA generator" or "raw generator". */
    static String describe(GeneratorCheckpoint.Loaded loaded) {
        if (GeneratorCheckpoint.EMA.equals(loaded.weights())) {
            return "EMA generator";
        }
        Object kimg = loaded.meta().get("ema_kimg");
        boolean hadEma = kimg instanceof Number n && n.doubleValue() > 0;
        return hadEma ? "raw generator" : "raw generator; the run kept no EMA generator";
    }
}
