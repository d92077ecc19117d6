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
import wgan.io.Json;
import wgan.metrics.QualityProbe;

import java.nio.file.Path;
import java.util.LinkedHashMap;
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
        QualityProbe.Result r = QualityProbe.evaluate(loaded.generator(), model.nz(), reals, n, seed.seed);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("checkpoint", scored.checkpoint.toString());
        line.put("generator", loaded.weights());
        print(line, r, GeneratorCheckpointOption.describe(loaded), model.imageSize(), model.channels());
        return ExitCode.OK.code;
    }

    private int scoreImages() {
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
        print(line, r, "images from " + scored.images, imageSize, channels);
        return ExitCode.OK.code;
    }

    private ImageSet load(Path folder, int size, int imageChannels) {
        return ImageLoader.prepare(folder, size, imageChannels, maxPixels.maxPixels, cacheDir.resolve(),
                note -> System.err.println("note: " + note)).images();
    }

    private void print(Map<String, Object> line, QualityProbe.Result r, String scoredWhat, int size, int imageChannels) {
        if (json) {
            line.put("data", data.toString());
            line.put("seed", seed.seed);
            line.put("swd", r.toMap());
            System.out.println(Json.line(line));
            return;
        }
        System.out.printf("wgan eval: %d generated (%s) vs %d real images (%dx%dx%d) from %s, seed %d%n", r.n(),
                scoredWhat, r.n(), size, size, imageChannels, data, seed.seed);
        System.out.println(row("SWD x1000", r.resolutions(), r.swd(), r.swdMean()));
        System.out.println(row("real vs real", r.resolutions(), r.floor(), r.floorMean()));
        System.out.printf("lower is better; the real-vs-real row is the noise floor (%.1f s)%n", r.seconds());
    }

    private static String row(String name, int[] resolutions, double[] values, double mean) {
        StringBuilder line = new StringBuilder(String.format("%-13s", name));
        for (int l = 0; l < resolutions.length; l++) {
            line.append(String.format("  %dpx %8.3f", resolutions[l], values[l]));
        }
        return line.append(String.format("  mean %8.3f", mean)).toString();
    }
}
