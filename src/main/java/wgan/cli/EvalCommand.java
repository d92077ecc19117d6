package wgan.cli;

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
                "Also prints real vs real, the floor a perfect generator would reach with as many images."})
final class EvalCommand implements Callable<Integer> {

    @Mixin
    GeneratorCheckpointOption checkpoint;

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
        GeneratorCheckpoint.Loaded loaded = checkpoint.load();
        ModelConfig model = loaded.model();
        ImageSet reals = ImageLoader.prepare(data, model.imageSize(), model.channels(), maxPixels.maxPixels,
                cacheDir.resolve(), note -> System.err.println("note: " + note))
                .images();
        QualityProbe.Result r = QualityProbe.evaluate(loaded.generator(), model.nz(), reals, n, seed.seed);
        if (json) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("checkpoint", checkpoint.file.toString());
            line.put("data", data.toString());
            line.put("seed", seed.seed);
            line.put("generator", loaded.weights());
            line.put("swd", r.toMap());
            System.out.println(Json.line(line));
        } else {
            System.out.printf("wgan eval: %d generated (%s) vs %d real images (%dx%dx%d) from %s, seed %d%n", r.n(),
                    GeneratorCheckpointOption.describe(loaded), r.n(), model.imageSize(), model.imageSize(),
                    model.channels(), data, seed.seed);
            System.out.println(row("SWD x1000", r.resolutions(), r.swd(), r.swdMean()));
            System.out.println(row("real vs real", r.resolutions(), r.floor(), r.floorMean()));
            System.out.printf("lower is better; the real-vs-real row is the noise floor (%.1f s)%n", r.seconds());
        }
        return ExitCode.OK.code;
    }

    private static String row(String name, int[] resolutions, double[] values, double mean) {
        StringBuilder line = new StringBuilder(String.format("%-13s", name));
        for (int l = 0; l < resolutions.length; l++) {
            line.append(String.format("  %dpx %8.3f", resolutions[l], values[l]));
        }
        return line.append(String.format("  mean %8.3f", mean)).toString();
    }
}
