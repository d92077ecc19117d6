package wgan.cli;

import org.nd4j.linalg.factory.Nd4j;
import wgan.io.AnimatedGif;
import wgan.model.LatentWalk;

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

    @Option(names = "--walk", paramLabel = "K",
            description = "A smooth walk through the latent space instead of samples: a loop through K random noise"
                    + " points (spherical interpolation, " + WALK_FRAMES + " frames between neighbours) and, for a"
                    + " conditional generator, a loop through every class at the first point (of --class C's class,"
                    + " else the first class, for the noise loop); written to --out as an animated GIF (must end in"
                    + " .gif) with its key frames in <out>-keys.png. Same seed, same bytes.")
    Integer walk;

    static final int WALK_FRAMES = 16;
    /** GIF frame time, 1/100 s: about 16 frames a second. */
    static final int WALK_DELAY = 6;

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
        if (walk != null) {
            return walk(noiseSeed);
        }
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

    private int walk(long noiseSeed) throws java.io.IOException {
        if (walk < 2 || walk > 64) {
            throw new InputException("--walk takes 2 to 64 noise points, got " + walk);
        }
        String name = out.getFileName().toString();
        if (!name.toLowerCase(Locale.ROOT).endsWith(".gif")) {
            throw new InputException("--walk writes an animated GIF: give --out a .gif file, got " + out);
        }
        GeneratorCheckpoint.Loaded loaded = checkpoint.load();
        int classes = loaded.model().classes();
        int c = 0;
        if (classOption != null) {
            if (!loaded.model().conditional()) {
                throw new InputException("--class needs a generator trained with wgan train --conditional; "
                        + checkpoint.file + " is unconditional (it was trained without classes)");
            }
            if (classOption.trim().equalsIgnoreCase("all")) {
                throw new InputException("--walk with --class all: a walk loops through every class by itself;"
                        + " give one class for its noise loop, or none");
            }
            c = GeneratorClasses.of(loaded).resolve(classOption);
        }
        double[][] keys;
        try (INDArray points = Generation.noise(new Rng(noiseSeed), walk, loaded.model().nz())) {
            keys = points.reshape(walk, loaded.model().nz()).toDoubleMatrix();
        }
        INDArray input = LatentWalk.noiseLoop(keys, WALK_FRAMES, classes, c);
        if (classes > 0) {
            try (INDArray noiseLoop = input; INDArray classLoop = LatentWalk.classLoop(keys[0], WALK_FRAMES, classes)) {
                input = Nd4j.concat(0, noiseLoop, classLoop);
            }
        }
        // one batch: every frame sees the same BatchNorm statistics, so the walk does not jump between chunks
        INDArray frames = loaded.generator().outputSingle(true, input);
        int keyCount = walk + classes;
        INDArray keyFrames = Nd4j.create(frames.dataType(), keyCount, frames.size(1), frames.size(2), frames.size(3));
        for (int i = 0; i < keyCount; i++) {
            keyFrames.putSlice(i, frames.slice((long) i * WALK_FRAMES));
        }
        int side = (int) frames.size(2);
        AnimatedGif.write(frames, Math.max(1, 128 / side), WALK_DELAY, out);
        Path strip = out.resolveSibling(name.substring(0, name.length() - 4) + "-keys.png");
        ImageGrid.writeGrid(keyFrames, walk, strip);
        System.out.printf("wrote a walk of %d frames to %s (%d noise points%s) and its %d key frames to %s (seed %d, %s)%n",
                frames.size(0), out, walk, classes > 0 ? " at class " + GeneratorClasses.of(loaded).label(c)
                        + ", then every class at the first point" : "", keyCount, strip, noiseSeed,
                GeneratorCheckpointOption.describe(loaded));
        return ExitCode.OK.code;
    }

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
