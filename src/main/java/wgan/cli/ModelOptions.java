package wgan.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import wgan.config.ModelConfig;

/** The DCGAN shape options, shared by the commands that build networks (@Mixin). */
final class ModelOptions {
    @Mixin
    ImageShapeOptions shape;

    @Option(names = "--nz", paramLabel = "N", defaultValue = "100", description = "Noise vector length.")
    int nz;

    @Option(names = "--ngf", paramLabel = "N", defaultValue = "64", description = "Generator width.")
    int ngf;

    @Option(names = "--ndf", paramLabel = "N", defaultValue = "64", description = "Critic width.")
    int ndf;

    @Option(names = "--extra-layers", paramLabel = "N", defaultValue = "0",
            description = "Extra 3x3 conv layers in each network.")
    int extraLayers;

    ModelConfig toConfig() {
        return new ModelConfig(shape.imageSize, shape.channels, nz, ngf, ndf, extraLayers);
    }
}
