package wgan.cli;

import picocli.CommandLine.Option;
import wgan.config.ModelConfig;

/** --image-size and --channels: the shape images are prepared at (prepare) and networks built for (ModelOptions). */
final class ImageShapeOptions {
    @Option(names = "--image-size", paramLabel = "S", defaultValue = "64",
            description = "Square image size, a power of two from 16 to 128.")
    int imageSize;

    @Option(names = "--channels", paramLabel = "1|3", defaultValue = "3", description = "1 grayscale, 3 colour.")
    int channels;

    /** Refuses a shape the networks cannot have, in one line. */
    void check() {
        ModelConfig.checkImageShape(imageSize, channels);
    }
}
