package wgan.cli;

import wgan.io.GeneratorClasses;
import wgan.model.Conditioning;
import java.util.List;

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

    @Option(names = "--class", paramLabel = "C",
            description = "For a generator trained with --conditional: N images of class C (its folder name, its index"
                    + " or its readable name); all: one row of --columns images per class, the same noise in every row."
                    + " Without it a conditional generator draws classes with the training images' frequencies.")
    String classOption;

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
        INDArray images = images(loaded, new Rng(noiseSeed));
        boolean grid = out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png");
        if (grid) {
            ImageGrid.writeGrid(images, columns, out);
        } else {
            ImageGrid.writeEach(images, out, "sample");
        }
        System.out.printf("wrote %d images %s %s (seed %d, %s%s)%n", images.size(0), grid ? "as a grid to" : "to folder",
                out, noiseSeed, GeneratorCheckpointOption.describe(loaded), classNote);
        return ExitCode.OK.code;
    }

    private String classNote = "";

    /** The images asked for: unconditional, of one class, of every class (rows), or of classes drawn. */
    private INDArray images(GeneratorCheckpoint.Loaded loaded, Rng rng) {
        int nz = loaded.model().nz();
        if (!loaded.model().conditional()) {
            if (classOption != null) {
                throw new InputException("--class needs a generator trained with wgan train --conditional; "
                        + checkpoint.file + " is unconditional (it was trained without classes)");
            }
            return Generation.generate(loaded.generator(), Generation.noise(rng, n, nz));
        }
        GeneratorClasses classes = GeneratorClasses.of(loaded);
        int k = classes.size();
        if (classOption != null && classOption.trim().equalsIgnoreCase("all")) {
            try (INDArray noise = Generation.noise(rng, columns, nz)) {
                int[] every = java.util.stream.IntStream.range(0, k).toArray();
                List<String> rows = new java.util.ArrayList<>();
                for (int c = 0; c < k; c++) {
                    rows.add(classes.label(c));
                }
                classNote = "; rows, top to bottom: " + String.join(", ", rows);
                return Generation.classGrid(loaded.generator(), noise, k, every);
            }
        }
        try (INDArray noise = Generation.noise(rng, n, nz)) {
            int[] labels;
            if (classOption != null) {
                int c = classes.resolve(classOption);
                labels = new int[n];
                java.util.Arrays.fill(labels, c);
                classNote = "; class " + classes.label(c);
            } else {
                labels = classes.draw(rng, n);
                classNote = "; classes drawn with the training data's frequencies";
            }
            try (INDArray input = Conditioning.generatorInput(noise, labels, k)) {
                return Generation.generate(loaded.generator(), input);
            }
        }
    }
}
