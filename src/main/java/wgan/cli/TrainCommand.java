package wgan.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;
import wgan.config.AugmentOp;
import wgan.config.ClassNamesFile;
import wgan.config.InputException;
import wgan.config.LossKind;
import wgan.config.OptimizerKind;
import wgan.config.TrainConfig;
import wgan.config.Precision;
import wgan.train.EngineChoice;
import wgan.data.ImageSet;
import wgan.files.FileErrors;
import wgan.io.RunFolder;
import wgan.io.StateCheckpoint;
import wgan.train.StopRequest;
import wgan.train.Trainer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false,
        description = {"Trains a WGAN on a folder of images (searched recursively; jpg, jpeg, png, bmp).",
                "Presets: wgan train @config/statefarm-64.args [flags]; flags after a preset win.",
                "With no --data it trains on the embedded sample (data/sample) with config/sample-32.args.",
                "Ctrl-C or SIGTERM: finishes the current step, writes a checkpoint and tells how to resume."})
final class TrainCommand implements Callable<Integer> {
    private static final double GP_LEARNING_RATE = 1e-4;
    /**
     * The EMA generator's default half-life with the penalty (StyleGAN2-ADA's 10 kimg); clipping keeps
     * none unless asked: on held-out photos its average scored worse than the trained generator at
     * 1,000 and 2,000 generator iterations, the penalty's better (docs/QUALITY.md).
     */
    private static final double GP_EMA_KIMG = 10;

    /** The options a resumed run may change; every other one is the run's own. */
    private static final Set<String> RESUMABLE =
            Set.of("--resume", "--epochs", "--checkpoint-every", "--keep", "--cache-dir", "--backend");

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "Folder of images (default: data/sample).")
    Path data;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "25",
            description = "Passes over the data, counted in critic batches as in the reference.")
    int epochs;

    @Mixin
    ModelOptions model;

    @Mixin
    BatchSizeOption batch;

    @Option(names = "--loss", paramLabel = "NAME", defaultValue = "wgan-clip", converter = LossConverter.class,
            completionCandidates = LossConverter.Names.class,
            description = "${COMPLETION-CANDIDATES}: the paper's weight clipping, or Gulrajani et al.'s gradient penalty"
                    + " (a critic without BatchNorm, no clipping; then Adam 1e-4, beta1 0, beta2 0.9 and a constant"
                    + " --n-critic unless given).")
    LossKind loss;

    @Option(names = "--gp-weight", paramLabel = "LAMBDA", defaultValue = "10",
            description = "Weight of the gradient penalty (with --loss wgan-gp).")
    double gpWeight;

    @Option(names = "--augment", paramLabel = "POLICY", defaultValue = "none",
            description = "DiffAugment (Zhao et al. 2020) on every image the critic sees and, with its backward, between"
                    + " the networks in the generator step: any of color, translation, cutout, comma-separated; none.")
    String augment;

    @Option(names = "--n-critic", paramLabel = "K", defaultValue = "5",
            description = "Critic steps per generator step (with clipping 100 for the first 25 generator iterations"
                    + " and every 500th).")
    int nCritic;

    @Option(names = "--clip", paramLabel = "C", defaultValue = "0.01",
            description = "Critic weights are clamped to [-C, C] (wgan-clip).")
    double clip;

    @Option(names = "--lr-d", paramLabel = "LR", defaultValue = "5e-5",
            description = "Critic learning rate (1e-4 with --loss wgan-gp unless given).")
    double lrD;

    @Option(names = "--lr-g", paramLabel = "LR", defaultValue = "5e-5",
            description = "Generator learning rate (1e-4 with --loss wgan-gp unless given).")
    double lrG;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "rmsprop",
            description = "${COMPLETION-CANDIDATES} (adam with --loss wgan-gp unless given); Adam uses beta1 0.5,"
                    + " beta2 0.999 as the reference, or 0 and 0.9 with the gradient penalty.")
    OptimizerKind optimizer;

    @Mixin
    SeedOptions.Random seed;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Run folder (default: runs/<yyyyMMdd-HHmmss>-<data folder name>).")
    Path out;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "Continue that run exactly where its last checkpoint left it, with its own options;"
                    + " only --epochs, --checkpoint-every and --keep may change.")
    Path resume;

    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "0",
            description = "Checkpoint every N generator iterations; 0: about every 10 minutes."
                    + " Every epoch end is checkpointed too.")
    int checkpointEvery;

    @Option(names = "--keep", paramLabel = "N", defaultValue = "1",
            description = "Per-epoch states (checkpoints/epoch-NNNN-state.zip, to resume from) to keep, newest"
                    + " first; 0 keeps all. Every epoch's generator is kept; checkpoints/state.zip and"
                    + " generator.zip are always the latest.")
    int keep;

    @Mixin
    CacheDirOption cacheDir;

    @Option(names = "--eval-every", paramLabel = "N|auto", defaultValue = "auto", converter = EvalEvery.class,
            description = "Every N epochs: sliced Wasserstein distance (SWD) of generated vs real images and the"
                    + " critic's estimate on held-out images, in metrics.jsonl and report.html; 0 never;"
                    + " auto: at an epoch end when the checks, this one included, still take at most 10%% of the"
                    + " wall time (README: Quality checks).")
    int evalEvery;

    /** "auto" is -1 in TrainConfig (as --holdout -1 is), a number is epochs. */
    static final class EvalEvery implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            if (value.equalsIgnoreCase("auto")) {
                return -1;
            }
            try {
                int n = Integer.parseInt(value.trim());
                if (n >= 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // falls through to the message below
            }
            throw new CommandLine.TypeConversionException("must be auto or a number of epochs (0 never), got '"
                    + value + "'");
        }
    }

    @Option(names = "--eval-n", paramLabel = "N", defaultValue = "2048",
            description = "Images per set for SWD (at most half the data set).")
    int evalImages;

    @Option(names = "--holdout", paramLabel = "N", defaultValue = "-1",
            description = "Real images kept out of training to check the critic for overfitting;"
                    + " -1: min(512, 5%% of the data), none under 100 images.")
    int holdout;

    @Mixin
    MaxPixelsOption maxPixels;

    @Option(names = "--class-names", paramLabel = "FILE",
            description = "Readable class names, one folder<TAB>name a line (State Farm's c0..c9 are built in);"
                    + " recorded in options.json and the report.")
    Path classNames;

    @Mixin
    EngineOption engine;

    @Mixin
    PrecisionOption precision;

    @Option(names = "--ema-kimg", paramLabel = "K",
            description = "EMA generator, as StyleGAN2-ADA's: a moving average of the generator's weights with a"
                    + " half-life of K thousand generator-step images (ramp-up 0.05: at most 5%% of the images so"
                    + " far); grids, the quality check, sample and eval use it (--raw: the trained one); 0: none."
                    + " Default: 10 with --loss wgan-gp, 0 with wgan-clip (measured in docs/QUALITY.md: the average"
                    + " helped the penalty's samples and made clipping's worse).")
    Double emaKimg;

    @Option(names = "--conditional",
            description = "Class-conditional training on the data's classes (its subfolders; at least two): the"
                    + " generator takes a one-hot class code after its noise, the critic is a projection discriminator"
                    + " (Miyato and Koyama 2018); epoch grids get one row per class, and wgan sample --class picks one.")
    boolean conditional;

    @Mixin
    BackendOption backend;

    @Override
    public Integer call() throws Exception {
        backend.start();
        PrintStream console = System.out;
        return resume != null ? resumeRun(console) : startRun(console);
    }

    private int startRun(PrintStream console) throws IOException {
        TrainConfig config = resolve();
        RunFolder.checkNewLocation(config.outDir(), config.data()); // refuse before minutes of decoding
        if (config.precision() == Precision.bf16) {
            EngineChoice.requireBf16(); // likewise: before decoding and before a run folder exists
        }
        console.printf("wgan train: data %s, %dx%dx%d, batch %d, seed %d%n", config.data(), config.model().imageSize(),
                config.model().imageSize(), config.model().channels(), config.batchSize(), config.seed());
        ImageSet images = loadImages(config, console);
        config = config.withClasses(images.classes());
        RunFolder run = RunFolder.createNew(config.outDir(), config.data());
        run.lock();
        console.println("run folder: " + run.root());
        StopRequest stop = stopOnSignals(console);
        return finish(Trainer.start(config, images, run, console, stop).train(), run, stop, console);
    }

    private int resumeRun(PrintStream console) throws IOException {
        refuseNonResumableOptions();
        RunFolder run = RunFolder.existing(resume);
        run.lock();
        StateCheckpoint.Loaded state = loadState(run);
        TrainConfig saved = Trainer.savedConfig(state);
        TrainConfig config = saved.withResumable(given("--epochs") ? epochs : saved.epochs(),
                given("--checkpoint-every") ? checkpointEvery : saved.checkpointEvery(),
                given("--keep") ? keep : saved.keepEpochs());
        if (config.epochs() != saved.epochs()) {
            console.printf("resuming with --epochs %d (the run had %d)%n", config.epochs(), saved.epochs());
        }
        console.printf("wgan train: resuming %s (data %s, seed %d)%n", run.root(), config.data(), config.seed());
        ImageSet images = loadImages(config, console);
        int expected = state.meta().get("options").path("images_used").asInt(images.count());
        if (images.count() != expected) {
            console.printf("warning: the data folder now has %d usable images, the run started with %d: the"
                    + " resumed run will not match an uninterrupted one%n", images.count(), expected);
        }
        StopRequest stop = stopOnSignals(console);
        Trainer trainer = Trainer.resume(config, state, images, run, console, stop);
        if (trainer.finished()) {
            console.printf("run %s is already complete (%d epochs, %d generator iterations); to train longer:"
                    + " wgan train --resume %s --epochs N%n", run.root(), config.epochs(),
                    trainer.generatorIterations(), run.root());
            return ExitCode.OK.code;
        }
        console.printf("continuing at generator iteration %d%n", trainer.generatorIterations());
        return finish(trainer.train(), run, stop, console);
    }

    private int finish(Trainer.Result result, RunFolder run, StopRequest stop, PrintStream console) {
        switch (result.outcome()) {
            case INTERRUPTED -> {
                console.printf("stopped at generator iteration %d; checkpoint written. Resume with:"
                        + " wgan train --resume %s%n", result.generatorIterations(), run.root());
                return stop.exitCode();
            }
            case DIVERGED -> {
                spec.commandLine().getErr().printf("wgan: training diverged: NaN or infinity %d times in a row"
                        + " after rolling back; try lower --lr-d/--lr-g or a smaller --clip (last good checkpoint:"
                        + " %s)%n", Trainer.MAX_ROLLBACKS_IN_A_ROW, run.root().resolve("checkpoints/state.zip"));
                return ExitCode.DIVERGED.code;
            }
            default -> {
                console.printf("done: %d generator iterations in %.0f s; sample with: wgan sample --checkpoint %s%n",
                        result.generatorIterations(), result.seconds(), run.generatorCheckpoint());
                return ExitCode.OK.code;
            }
        }
    }

    /**
     * First Ctrl-C or SIGTERM: stop after the current step with a checkpoint. A second one quits at
     * once, which is safe too: checkpoints are replaced atomically.
     */
    private static StopRequest stopOnSignals(PrintStream console) {
        StopRequest stop = new StopRequest();
        for (ExitCode code : List.of(ExitCode.INTERRUPTED, ExitCode.TERMINATED)) {
            String name = code == ExitCode.INTERRUPTED ? "INT" : "TERM";
            Signal.handle(new Signal(name), signal -> {
                if (stop.request(code.code)) {
                    console.println("\nwgan: SIG" + name + ": stopping after the current step to write a checkpoint"
                            + " (again to quit at once)");
                } else {
                    Runtime.getRuntime().halt(code.code);
                }
            });
        }
        return stop;
    }

    private static StateCheckpoint.Loaded loadState(RunFolder run) {
        Path file = run.checkpoints(0).state();
        try {
            return loadedState(file);
        } catch (InputException problem) {
            // state.zip is a hard link to the newest epoch's state, which is then damaged too
            Path fallback = newestReadableEpochState(run, file);
            String advice = fallback == null
                    ? "no per-epoch checkpoint (epoch-NNNN-state.zip) beside it is readable either: start a new run"
                            + " (--keep N keeps the states of the last N epochs)"
                    : "the newest readable checkpoint is " + fallback.getFileName() + ": to resume from there, copy it"
                            + " over the damaged one (cp " + fallback + " " + file + ") and run --resume again";
            throw new InputException("cannot read " + file + " (" + problem.getMessage() + "); " + advice, problem);
        }
    }

    /** Why a state file cannot be resumed from, or null when it can. */
    private static String problemLoading(Path file) {
        try {
            loadedState(file);
            return null;
        } catch (InputException e) {
            return e.getMessage();
        }
    }

    private static StateCheckpoint.Loaded loadedState(Path file) {
        try {
            StateCheckpoint.Loaded state = StateCheckpoint.load(file);
            if (!"wgan-state".equals(state.meta().path("format").asText())) {
                throw new InputException("not a wgan training state");
            }
            return state;
        } catch (IOException e) {
            throw new InputException(FileErrors.reason(e), e);
        } catch (InputException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InputException("damaged", e);
        }
    }

    private static Path newestReadableEpochState(RunFolder run, Path latest) {
        List<Path> states;
        try {
            states = run.checkpoints(0).epochStates();
        } catch (IOException e) {
            return null;
        }
        for (int i = states.size() - 1; i >= 0; i--) {
            Path candidate = states.get(i);
            if (!sameFile(candidate, latest) && problemLoading(candidate) == null) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    private void refuseNonResumableOptions() {
        List<String> fixed = spec.commandLine().getParseResult().matchedOptions().stream()
                .map(OptionSpec::longestName).filter(name -> !RESUMABLE.contains(name)).distinct().toList();
        if (!fixed.isEmpty()) {
            throw new InputException("with --resume the run keeps its own options; " + String.join(", ", fixed)
                    + " cannot change (only --epochs, --checkpoint-every and --keep can)");
        }
    }

    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    private TrainConfig resolve() {
        Path dataDir = data != null ? data : AppHome.locate().resolve("data").resolve("sample");
        long runSeed = seed.resolve();
        Path runDir = out != null ? out : RunFolder.defaultLocation(Path.of("runs"), dataDir, LocalDateTime.now());
        boolean gp = loss == LossKind.WGAN_GP;
        if (gp && given("--clip")) {
            throw new InputException("--clip is weight clipping's; --loss wgan-gp uses no clipping (leave out --clip,"
                    + " which config/statefarm-64.args sets: config/statefarm-64-gp.args is its penalty preset)");
        }
        if (!gp && given("--gp-weight")) {
            throw new InputException("--gp-weight is the gradient penalty's; give it with --loss wgan-gp");
        }
        // Gulrajani et al.'s defaults with the penalty (gan_64x64.py: Adam 1e-4, beta1 0, beta2 0.9); flags win.
        double criticLr = gp && !given("--lr-d") ? GP_LEARNING_RATE : lrD;
        double generatorLr = gp && !given("--lr-g") ? GP_LEARNING_RATE : lrG;
        OptimizerKind kind = gp && !given("--optimizer") ? OptimizerKind.adam : optimizer;
        double ema = emaKimg != null ? emaKimg : gp ? GP_EMA_KIMG : 0;
        return new TrainConfig(model.toConfig().withCriticBatchNorm(!gp), dataDir, epochs, batch.batchSize, nCritic, clip,
                criticLr, generatorLr, kind, runSeed, runDir, checkpointEvery, keep, evalEvery, evalImages, holdout,
                engine.engine, loss, gpWeight, AugmentOp.parse(augment), ema, maxPixels.maxPixels,
                classNames != null ? ClassNamesFile.read(classNames) : Map.of(), conditional, precision.precision);
    }

    private ImageSet loadImages(TrainConfig config, PrintStream console) {
        return ImagePreparation.prepare(config.data(), config.model().imageSize(), config.model().channels(),
                config.maxPixels(), cacheDir.resolve(), console, " (see skipped.txt)").images();
    }
}
