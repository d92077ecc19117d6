package wgan.cli;

import picocli.CommandLine.Option;
import wgan.io.GeneratorCheckpoint;

import java.nio.file.Path;

/** --checkpoint FILE, the generator that sample and eval run (@Mixin). */
final class GeneratorCheckpointOption {
    @Option(names = "--checkpoint", paramLabel = "FILE", required = true,
            description = "A generator.zip written by wgan train (runs/<run>/checkpoints/generator.zip).")
    Path file;

    GeneratorCheckpoint.Loaded load() {
        return GeneratorCheckpoint.load(file);
    }
}
