package wgan.cli;

import picocli.CommandLine.Option;

/** --batch-size B (train, bench; @Mixin). */
final class BatchSizeOption {
    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "64", description = "Images per critic batch.")
    int batchSize;
}
