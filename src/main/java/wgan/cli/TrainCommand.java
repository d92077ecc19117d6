package wgan.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import wgan.config.ModelConfig;
import wgan.config.OptimizerKind;
import wgan.config.TrainConfig;
import wgan.data.ImageLoader;
import wgan.data.ImageSet;
import wgan.io.RunFolder;
import wgan.train.Trainer;

import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false,
        description = {"Trains a WGAN on a folder of images (searched recursively; jpg, jpeg, png, bmp).",
                "Presets: wgan train @config/statefarm-64.args [flags]; flags after a preset win.",
                "With no --data it trains on the embedded sample (data/sample) with config/sample-32.args."})
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "DIR", description = "Folder of images (default: data/sample).")
    Path data;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "25",
            description = "Passes over the data, counted in critic batches as in the reference.")
    int epochs;

    @Option(names = "--image-size", paramLabel = "S", defaultValue = "64",
            description = "Square image size, a power of two from 16 to 128.")
    int imageSize;

    @Option(names = "--channels", paramLabel = "1|3", defaultValue = "3", description = "1 grayscale, 3 colour.")
    int channels;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "64", description = "Images per critic batch.")
    int batchSize;

    @Option(names = "--nz", paramLabel = "N", defaultValue = "100", description = "Noise vector length.")
    int nz;

    @Option(names = "--ngf", paramLabel = "N", defaultValue = "64", description = "Generator width.")
    int ngf;

    @Option(names = "--ndf", paramLabel = "N", defaultValue = "64", description = "Critic width.")
    int ndf;

    @Option(names = "--extra-layers", paramLabel = "N", defaultValue = "0",
            description = "Extra 3x3 conv layers in each network.")
    int extraLayers;

    @Option(names = "--n-critic", paramLabel = "K", defaultValue = "5",
            description = "Critic steps per generator step (100 for the first 25 generator iterations and every 500th).")
    int nCritic;

    @Option(names = "--clip", paramLabel = "C", defaultValue = "0.01",
            description = "Critic weights are clamped to [-C, C].")
    double clip;

    @Option(names = "--lr-d", paramLabel = "LR", defaultValue = "5e-5", description = "Critic learning rate.")
    double lrD;

    @Option(names = "--lr-g", paramLabel = "LR", defaultValue = "5e-5", description = "Generator learning rate.")
    double lrG;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "rmsprop",
            description = "${COMPLETION-CANDIDATES}; Adam uses beta1 0.5, beta2 0.999 as the reference.")
    OptimizerKind optimizer;

    @Option(names = "--seed", paramLabel = "S",
            description = "Drives initialisation, noise and data order (default: random, printed).")
    Long seed;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Run folder (default: runs/<yyyyMMdd-HHmmss>-<data folder name>).")
    Path out;

    @Mixin
    BackendOption backend;

    @Override
    public Integer call() throws Exception {
        backend.start();
        TrainConfig config = resolve();
        PrintStream console = System.out;
        console.printf("wgan train: data %s, %dx%dx%d, batch %d, seed %d%n", config.data(), imageSize, imageSize,
                channels, batchSize, config.seed());
        ImageSet images = loadImages(config, console);
        RunFolder run = RunFolder.createNew(config.outDir());
        console.println("run folder: " + run.root());
        Trainer.Result result = new Trainer(config, console).train(images, run);
        console.printf("done: %d generator iterations in %.0f s; sample with: wgan sample --checkpoint %s%n",
                result.generatorIterations(), result.seconds(), run.generatorCheckpoint());
        return ExitCode.OK.code;
    }

    private TrainConfig resolve() {
        ModelConfig model = new ModelConfig(imageSize, channels, nz, ngf, ndf, extraLayers);
        Path dataDir = data != null ? data : AppHome.locate().resolve("data").resolve("sample");
        long runSeed = seed != null ? seed : new SecureRandom().nextLong() & Long.MAX_VALUE;
        Path runDir = out != null ? out : RunFolder.defaultLocation(Path.of("runs"), dataDir, LocalDateTime.now());
        return new TrainConfig(model, dataDir, epochs, batchSize, nCritic, clip, lrD, lrG, optimizer, runSeed, runDir);
    }

    private static ImageSet loadImages(TrainConfig config, PrintStream console) {
        long start = System.nanoTime();
        ImageSet images = ImageLoader.load(config.data(), config.model().imageSize(), config.model().channels(),
                done -> { });
        double seconds = (System.nanoTime() - start) / 1e9;
        console.printf("images: %d used, %d skipped (see skipped.txt), decoded in %.1f s (%.0f images/s)%n",
                images.count(), images.skipped().size(), seconds, (images.count() + images.skipped().size()) / seconds);
        return images;
    }
}
