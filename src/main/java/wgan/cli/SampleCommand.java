package wgan.cli;

import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import wgan.config.InputException;
import wgan.io.GeneratorCheckpoint;
import wgan.io.ImageGrid;
import wgan.model.Generation;
import wgan.model.Rng;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "sample", mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false,
        description = {"Makes images with a trained generator. The same checkpoint and seed give byte-identical files.",
                "A .png --out gets one grid; any other --out is a folder that gets N numbered PNGs."})
final class SampleCommand implements Callable<Integer> {

    @Mixin
    GeneratorCheckpointOption checkpoint;

    @Option(names = "--n", paramLabel = "N", defaultValue = "64", description = "How many images.")
    int n;

    @Mixin
    SeedOptions.Random seed;

    @Option(names = "--out", paramLabel = "PATH", defaultValue = "samples.png",
            description = "A .png file for a grid, or a folder for single images.")
    Path out;

    @Option(names = "--columns", paramLabel = "N", defaultValue = "8", description = "Grid columns.")
    int columns;

    @Mixin
    BackendOption backend;

    @Override
    public Integer call() throws Exception {
        backend.start();
        if (n < 1) {
            throw new InputException("--n must be 1 or more, got " + n);
        }
        if (columns < 1) {
            throw new InputException("--columns must be 1 or more, got " + columns);
        }
        long noiseSeed = seed.resolve();
        GeneratorCheckpoint.Loaded loaded = checkpoint.load();
        INDArray noise = Generation.noise(new Rng(noiseSeed), n, loaded.model().nz());
        INDArray images = Generation.generate(loaded.generator(), noise);
        boolean grid = out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png");
        if (grid) {
            ImageGrid.writeGrid(images, columns, out);
        } else {
            ImageGrid.writeEach(images, out, "sample");
        }
        System.out.printf("wrote %d images %s %s (seed %d, %s)%n", n, grid ? "as a grid to" : "to folder", out, noiseSeed,
                GeneratorCheckpointOption.describe(loaded));
        return ExitCode.OK.code;
    }
}
