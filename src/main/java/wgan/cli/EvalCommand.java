package wgan.cli;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import wgan.config.InputException;
import wgan.config.ModelConfig;
import wgan.data.ImageLoader;
import wgan.data.ImageSet;
import wgan.io.GeneratorCheckpoint;
import wgan.io.GeneratorClasses;
import wgan.io.Json;
import wgan.metrics.QualityProbe;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "eval", mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false,
        description = {"Scores a generator against real images with the sliced Wasserstein distance on",
                "Laplacian-pyramid patches (ProGAN's SWD, x1000, lower is better; nothing to download).",
                "Also prints real vs real, the floor a perfect generator would reach with as many images.",
                "--images scores a folder of generated images instead (another program's samples, say),",
                "against the same reals, patches and directions as a checkpoint with the same seed."})
final class EvalCommand implements Callable<Integer> {

    /** What is scored: a checkpoint's generator or a folder of images; exactly one. */
    static final class Scored {
        @Option(names = "--checkpoint", paramLabel = "FILE", required = true,
                description = GeneratorCheckpointOption.CHECKPOINT_HELP)
        Path checkpoint;

        @Option(names = "--images", paramLabel = "DIR", required = true,
                description = "A folder of generated images to score instead of a checkpoint, read as the real ones"
                        + " at --image-size and --channels.")
        Path images;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Scored scored;

    @Option(names = "--raw", description = GeneratorCheckpointOption.RAW_HELP)
    boolean raw;

    @Option(names = "--image-size", paramLabel = "S",
            description = "With --images: the size to score at (a checkpoint brings its own).")
    Integer imageSize;

    @Option(names = "--channels", paramLabel = "1|3", description = "With --images: 1 grayscale, 3 colour.")
    Integer channels;

    @Option(names = "--data", paramLabel = "DIR", required = true,
            description = "Folder of real images, loaded at the checkpoint's size and channels.")
    Path data;

    @Option(names = "--n", paramLabel = "N", defaultValue = "2048",
            description = "Images per set (generated, real, other real); at most half the real images.")
    int n;

    @Mixin
    SeedOptions.Fixed seed;

    @Option(names = "--json", description = "Print one JSON line instead of the table.")
    boolean json;

    @Option(names = "--per-class", description = "For a generator trained with --conditional: also the SWD of each"
            + " class's images against that class's real images (the --data folder's classes, matched by folder name),"
            + " with each class's own real-vs-real floor, and their mean.")
    boolean perClass;

    @Mixin
    CacheDirOption cacheDir;

    @Mixin
    MaxPixelsOption maxPixels;

    @Mixin
    BackendOption backend;

    @Override
    public Integer call() {
        backend.start();
        if (n < 1) {
            throw new InputException("--n must be 1 or more, got " + n);
        }
        return scored.images != null ? scoreImages() : scoreCheckpoint();
    }

    private int scoreCheckpoint() {
        if (imageSize != null || channels != null) {
            throw new InputException("--image-size and --channels go with --images; a checkpoint scores at its own shape");
        }
        GeneratorCheckpoint.Loaded loaded = GeneratorCheckpoint.load(scored.checkpoint, raw);
        ModelConfig model = loaded.model();
        ImageSet reals = load(data, model.imageSize(), model.channels());
        if (model.conditional() && !GeneratorClasses.of(loaded).folders().equals(reals.classes())) {
            throw new InputException("the generator was trained on the classes " + String.join(", ",
                    GeneratorClasses.of(loaded).folders()) + " and " + data + " has " + String.join(", ", reals.classes())
                    + ": a conditional generator is scored on data of its own classes (one subfolder each)");
        }
        List<ClassResult> classes = perClass ? perClass(loaded, reals) : List.of();
        QualityProbe.Result r = QualityProbe.evaluate(loaded.generator(), model, reals, n, seed.seed, null);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("checkpoint", scored.checkpoint.toString());
        line.put("generator", loaded.weights());
        print(line, r, GeneratorCheckpointOption.describe(loaded), model.imageSize(), model.channels(), classes);
        return ExitCode.OK.code;
    }

    private int scoreImages() {
        if (perClass) {
            throw new InputException("--per-class scores a conditional checkpoint's classes; it does not go with --images");
        }
        if (raw) {
            throw new InputException("--raw picks a checkpoint's generator; it does not go with --images");
        }
        if (imageSize == null || channels == null) {
            throw new InputException("--images needs --image-size and --channels: the shape to read both folders at");
        }
        ModelConfig.checkImageShape(imageSize, channels);
        ImageSet samples = load(scored.images, imageSize, channels);
        ImageSet reals = load(data, imageSize, channels);
        QualityProbe.Result r = QualityProbe.evaluate(samples, reals, n, seed.seed);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("images", scored.images.toString());
        print(line, r, "images from " + scored.images, imageSize, channels, List.of());
        return ExitCode.OK.code;
    }

    private ImageSet load(Path folder, int size, int imageChannels) {
        return ImageLoader.prepare(folder, size, imageChannels, maxPixels.maxPixels, cacheDir.resolve(),
                note -> System.err.println("note: " + note)).images();
    }

    /** The table, or with --json one line: what was scored (line), data, seed, swd, then any per-class scores. */
    private void print(Map<String, Object> line, QualityProbe.Result r, String scoredWhat, int size, int imageChannels,
                       List<ClassResult> classes) {
        if (json) {
            line.put("data", data.toString());
            line.put("seed", seed.seed);
            line.put("swd", r.toMap());
            if (perClass) {
                line.put("per_class", classes.stream().map(ClassResult::toMap).toList());
                line.put("per_class_mean", Math.round(meanSwd(classes) * 1e4) / 1e4);
                line.put("per_class_floor_mean", Math.round(meanFloor(classes) * 1e4) / 1e4);
            }
            System.out.println(Json.line(line));
            return;
        }
        System.out.printf("wgan eval: %d generated (%s) vs %d real images (%dx%dx%d) from %s, seed %d%n", r.n(),
                scoredWhat, r.n(), size, size, imageChannels, data, seed.seed);
        System.out.println(row("SWD x1000", r.resolutions(), r.swd(), r.swdMean()));
        System.out.println(row("real vs real", r.resolutions(), r.floor(), r.floorMean()));
        for (ClassResult c : classes) {
            System.out.printf("class %s: %d generated vs %d real images of that class%n", c.label, c.result.n(),
                    c.result.n());
            System.out.println(row("  SWD x1000", c.result.resolutions(), c.result.swd(), c.result.swdMean()));
            System.out.println(row("  real vs real", c.result.resolutions(), c.result.floor(), c.result.floorMean()));
        }
        if (perClass) {
            System.out.printf("per-class mean: SWD %.3f, real vs real %.3f (%d classes)%n", meanSwd(classes),
                    meanFloor(classes), classes.size());
        }
        System.out.printf("lower is better; the real-vs-real row is the noise floor, the mean over every pair of %d"
                + " disjoint real sets (%.1f s)%n", r.floorSets(), r.seconds());
    }

    private record ClassResult(int index, String folder, String label, QualityProbe.Result result) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("class", index);
            m.put("folder", folder);
            m.put("swd", result.toMap());
            return m;
        }
    }

    /** Each of the generator's classes against the --data folder's images of the same folder name. */
    private List<ClassResult> perClass(GeneratorCheckpoint.Loaded loaded, ImageSet reals) {
        if (!loaded.model().conditional()) {
            throw new InputException("--per-class needs a generator trained with wgan train --conditional; "
                    + scored.checkpoint + " is unconditional");
        }
        GeneratorClasses classes = GeneratorClasses.of(loaded);
        int[] counts = reals.classCounts();
        List<ClassResult> out = new ArrayList<>();
        for (int k = 0; k < classes.size(); k++) {
            int inData = reals.classes().indexOf(classes.folders().get(k));
            if (inData < 0 || counts[inData] < 2) {
                throw new InputException("--per-class: the generator's class " + classes.label(k) + " has "
                        + (inData < 0 ? "no folder" : "only " + counts[inData] + " image") + " in " + data
                        + " (each class needs a subfolder of --data with at least 2 images); its folders: "
                        + String.join(", ", reals.classes()));
            }
            // the generator's class k, against the data's images of the folder it was trained on
            QualityProbe.Result r = QualityProbe.evaluateClass(loaded.generator(), loaded.model(), reals, inData, k, n,
                    seed.seed);
            out.add(new ClassResult(k, classes.folders().get(k), classes.label(k), r));
        }
        return out;
    }

    private static double meanSwd(List<ClassResult> classes) {
        return classes.stream().mapToDouble(c -> c.result.swdMean()).average().orElse(Double.NaN);
    }

    private static double meanFloor(List<ClassResult> classes) {
        return classes.stream().mapToDouble(c -> c.result.floorMean()).average().orElse(Double.NaN);
    }

    private static String row(String name, int[] resolutions, double[] values, double mean) {
        StringBuilder line = new StringBuilder(String.format("%-13s", name));
        for (int l = 0; l < resolutions.length; l++) {
            line.append(String.format("  %dpx %8.3f", resolutions[l], values[l]));
        }
        return line.append(String.format("  mean %8.3f", mean)).toString();
    }
}
