package wgan.train;

import com.fasterxml.jackson.databind.JsonNode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgan.augment.Augmentation;
import wgan.augment.DiffAugment;
import wgan.config.InputException;
import wgan.config.LossKind;
import wgan.config.TrainConfig;
import wgan.data.EpochBatches;
import wgan.data.ImageClasses;
import wgan.data.ImageSet;
import wgan.files.FileErrors;
import wgan.io.CheckpointFiles;
import wgan.io.GeneratorCheckpoint;
import wgan.io.ImageGrid;
import wgan.io.RunFolder;
import wgan.io.StateCheckpoint;
import wgan.metrics.IterationRecord;
import wgan.metrics.MetricsLog;
import wgan.metrics.QualityProbe;
import wgan.metrics.StatusLine;
import wgan.model.GanNetworks;
import wgan.model.Generation;
import wgan.model.Rng;
import wgan.optim.Optimizer;
import wgan.report.ReportPage;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The training loop of the WGAN reference (main.py): per epoch, while real batches remain, K
 * critic steps (100 in bursts, see {@link Schedule}) then one generator step. An epoch ends when
 * its batches run out, possibly inside a critic phase; the generator step still follows.
 *
 * <p>Around it, what keeps a long run safe: a checkpoint at every epoch end and every
 * --checkpoint-every iterations (or ~10 minutes), holding everything the next step depends on so
 * that a resumed run is bit-identical to an uninterrupted one; a stop between any two steps on
 * Ctrl-C or SIGTERM; and a rollback to the last checkpoint when a loss or weight turns NaN.
 */
public final class Trainer {
    static final int GRID_IMAGES = 64;
    static final int GRID_COLUMNS = 8;
    public static final int MAX_ROLLBACKS_IN_A_ROW = 3;
    static final long DEFAULT_CHECKPOINT_NANOS = 10L * 60 * 1_000_000_000L;
    static final int STATE_FORMAT_VERSION = 1;

    /** How a run ended. */
    public enum Outcome { FINISHED, INTERRUPTED, DIVERGED }

    /** What a run reports. */
    public record Result(Outcome outcome, long generatorIterations, double seconds) {
    }

    private final TrainConfig config;
    private final ImageSet data;
    private final RunFolder run;
    private final PrintStream console;
    private final StopRequest stop;
    private final GanNetworks nets;
    private final WganSteps steps;
    private final Rng noise;
    private final INDArray fixedNoise;
    private final CheckpointFiles checkpoints;
    private final CriticCheck.Split split;
    private final StatusLine status;
    /** The averaged generator (--ema-kimg), or null when the run keeps none. */
    private final EmaGenerator ema;
    /** When epoch ends run the quality check; keeps it and the report to ~10% of the wall time by default. */
    private final EvalSchedule evalSchedule;
    /** report.html, rewritten every epoch at a cost that does not grow with the run. */
    private final ReportPage.Writer report;
    /** Since when training time has not yet been told to evalSchedule. */
    private long trainingSinceNanos = System.nanoTime();
    private Progress progress;
    private MetricsLog metrics;
    /** The last quality measurement: its real-vs-real floor is the same every epoch. */
    private QualityProbe.Result lastQuality;
    private int rollbacksInARow;
    private long lastCheckpointNanos = System.nanoTime();
    private final List<StepListener> listeners = new ArrayList<>();

    /** Told after every generator step, before the NaN check; may read or change the networks. */
    public interface StepListener {
        void afterGeneratorStep(long generatorIteration, GanNetworks nets);
    }

    private Trainer(TrainConfig config, ImageSet data, RunFolder run, PrintStream console, StopRequest stop,
                    GanNetworks nets, Rng noise, Progress progress) {
        this.config = config;
        this.data = data;
        this.run = run;
        this.console = console;
        this.stop = stop;
        this.nets = nets;
        this.noise = noise;
        this.progress = progress;
        EngineChoice engine = EngineChoice.of(config.engine(), nets, EngineChoice.fastOnly(config.loss(), config.augment()),
                config.precision());
        console.println(engine.line());
        int side = config.model().imageSize();
        DiffAugment augment = new DiffAugment(config.augment());
        // Draws from the noise generator, which checkpoints hold: a resumed run draws the same ones.
        Augmentation augmentation = new Augmentation(augment, n -> augment.draw(noise, n, side, side));
        this.steps = new WganSteps(nets, engine.engine(), config.loss(), config.clip(), config.gpWeight(), augmentation,
                Optimizer.create(config.optimizer(), config.lrD(), nets.critic().params(), config.adamBetas()),
                Optimizer.create(config.optimizer(), config.lrG(), nets.generator().params(), config.adamBetas()));
        this.fixedNoise = Generation.noise(Rng.derive(config.seed(), "fixed-noise"), GRID_IMAGES, config.model().nz());
        this.checkpoints = run.checkpoints(config.keepEpochs());
        this.ema = config.emaKimg() > 0 ? new EmaGenerator(nets, config.emaKimg(), config.batchSize()) : null;
        this.split = CriticCheck.Split.of(data.count(), config.holdoutFor(data.count()), config.seed());
        long batchesPerEpoch = EpochBatches.batchesPerEpoch(split.train().length, config.batchSize());
        this.status = new StatusLine(console, System.console() != null, config.epochs(), batchesPerEpoch,
                (progress.epoch - 1L) * batchesPerEpoch + progress.batchesInEpoch);
        this.evalSchedule = new EvalSchedule(config.evalEvery(), progress.epoch,
                Math.max(progress.epoch, config.epochs()));
        this.report = new ReportPage.Writer(run.root());
    }

    /** A new run: fresh networks, options and real-image grid written, a first checkpoint. */
    public static Trainer start(TrainConfig unresolved, ImageSet data, RunFolder run, PrintStream console,
                                StopRequest stop) throws IOException {
        TrainConfig config = unresolved.withClasses(data.classes());
        GanNetworks nets = GanNetworks.initialised(config.model(), DataType.FLOAT, config.seed());
        Trainer trainer = new Trainer(config, data, run, console, stop, nets, Rng.derive(config.seed(), "noise"),
                new Progress());
        run.writeOptions(RunOptions.of(config, data, trainer.steps.engine().description()));
        run.writeSkipped(data.reported()); // skipped files, then files used with a decoder warning
        trainer.writeReals();
        trainer.saveCheckpoint(0); // a state to roll back to, and to resume from at once
        return trainer;
    }

    /** The run's own options as its checkpoint recorded them. */
    public static TrainConfig savedConfig(StateCheckpoint.Loaded state) {
        return RunOptions.config(state.meta().get("options"));
    }

    /** Continues a run exactly where its checkpoint left it. */
    public static Trainer resume(TrainConfig config, StateCheckpoint.Loaded state, ImageSet data, RunFolder run,
                                 PrintStream console, StopRequest stop) throws IOException {
        JsonNode meta = state.meta();
        if (config.conditional()) {
            List<String> trained = new ArrayList<>();
            meta.get("options").path("classes").forEach(c -> trained.add(c.path("folder").asText()));
            if (!trained.equals(data.classes())) {
                throw new InputException("the run was trained on the classes " + String.join(", ", trained)
                        + " and the data folder now has " + String.join(", ", data.classes())
                        + ": a conditional run resumes on the same classes");
            }
        }
        GanNetworks nets = GanNetworks.fromParams(config.model(), state.arrays().get("params"));
        JsonNode rng = meta.get("noise_rng");
        Progress progress = Progress.from(meta.get("progress"));
        progress.finished = progress.epoch > config.epochs();
        Trainer trainer = new Trainer(config, data, run, console, stop, nets,
                new Rng(rng.get("seed").asLong(), rng.get("counter").asLong()), progress);
        trainer.restoreOptimisers(state);
        trainer.restoreEma(state);
        run.truncateMetricsAfter(progress.generatorIterations);
        run.writeOptions(RunOptions.of(config, data, trainer.steps.engine().description()));
        return trainer;
    }

    public Result train() throws IOException {
        long start = System.nanoTime();
        ExecutorService loader = Executors.newSingleThreadExecutor(daemon("wgan-batches"));
        metrics = new MetricsLog(run.metrics());
        trainingSinceNanos = System.nanoTime();
        try {
            while (!progress.finished) {
                EpochEnd end = trainEpoch(loader);
                if (end == EpochEnd.STOPPED) {
                    saveCheckpoint(0);
                    return new Result(Outcome.INTERRUPTED, progress.generatorIterations, seconds(start));
                }
                if (end == EpochEnd.DIVERGED) {
                    return new Result(Outcome.DIVERGED, progress.generatorIterations, seconds(start));
                }
            }
        } finally {
            loader.shutdownNow();
            metrics.close();
            status.clear();
            writeReport();
        }
        double wall = seconds(start);
        if (evalSchedule.checkSeconds() > 0) {
            console.println(String.format("quality checks and report: %s of %s (%.1f%%)",
                    duration(evalSchedule.checkSeconds()), duration(wall), 100 * evalSchedule.checkSeconds() / wall));
        }
        return new Result(Outcome.FINISHED, progress.generatorIterations, wall);
    }

    private enum EpochEnd { DONE, STOPPED, DIVERGED, ROLLED_BACK }

    /** The rest of the current epoch, from wherever progress says it stands. */
    private EpochEnd trainEpoch(ExecutorService loader) throws IOException {
        int batch = config.batchSize();
        int nz = config.model().nz();
        long epochStart = System.nanoTime();
        long epochImages = 0;
        long epochIterations = 0;
        WganSteps.CriticResult lastCritic = null;
        double lossG = Double.NaN;
        EpochBatches batches = new EpochBatches(data, split.train(), batch, config.seed(), progress.epoch, loader,
                progress.batchesInEpoch);
        while (batches.hasNext()) {
            long start = System.nanoTime();

            // (1) the critic, K times or until the epoch's batches run out
            int planned = Schedule.criticStepsBefore(progress.generatorIterations, config.nCritic(), config.loss());
            int phaseSteps = 0;
            long realImages = 0;
            while (progress.criticStepsInPhase < planned && batches.hasNext()) {
                EpochBatches.Batch realBatch = batches.nextBatch();
                try (INDArray real = realBatch.images(); INDArray z = Generation.noise(noise, batch, nz)) {
                    lastCritic = criticStep(real, conditional() ? realBatch.labels() : null, z);
                    realImages += real.size(0);
                }
                progress.batchesInEpoch++;
                progress.criticStepsInPhase++;
                phaseSteps++;
                status.criticStep(lastCritic.lossD(), batch, progress.epoch, progress.batchesInEpoch,
                        progress.generatorIterations);
                if (!Double.isFinite(lastCritic.lossD())) {
                    return rollBack("loss_d is " + lastCritic.lossD());
                }
                if (stop.requested()) {
                    return EpochEnd.STOPPED;
                }
            }

            // (2) the generator, on a full batch of fresh noise
            try (INDArray z = Generation.noise(noise, batch, nz)) {
                lossG = steps.generatorStep(z, fakeLabels(batch));
            }
            progress.generatorIterations++;
            progress.criticStepsInPhase = 0;
            status.generatorStep(lossG);
            for (StepListener listener : listeners) {
                listener.afterGeneratorStep(progress.generatorIterations, nets);
            }
            if (!Double.isFinite(lossG) || !weightsFinite()) {
                return rollBack(Double.isFinite(lossG) ? "a weight is NaN or infinite" : "loss_g is " + lossG);
            }
            if (ema != null) { // after the check, so that a NaN never enters the average
                ema.update(progress.generatorIterations - 1);
            }
            epochIterations++;
            epochImages += realImages;
            double seconds = (System.nanoTime() - start) / 1e9;
            WganSteps.CriticResult c = lastCritic != null ? lastCritic
                    : new WganSteps.CriticResult(Double.NaN, Double.NaN, Double.NaN, Double.NaN); // resumed at a phase's end
            metrics.write(new IterationRecord(progress.epoch, progress.generatorIterations, phaseSteps, c.lossD(),
                    lossG, c.realMean(), c.fakeMean(), seconds, realImages / seconds,
                    config.loss() == LossKind.WGAN_GP ? c.penalty() : Double.NaN));

            // (3) checkpoints between epochs, and stops
            if (checkpointDue() && batches.hasNext()) {
                saveCheckpoint(0);
            }
            if (stop.requested()) {
                return EpochEnd.STOPPED;
            }
        }

        // (4) end of epoch: samples from the fixed noise, quality, checkpoint, report, one console line
        int finishedEpoch = progress.epoch;
        double epochSeconds = (System.nanoTime() - epochStart) / 1e9;
        try (INDArray samples = conditional() ? classGrid() : Generation.generate(sampler(), fixedNoise)) {
            ImageGrid.writeGrid(samples, GRID_COLUMNS, run.epochGrid(finishedEpoch));
        }
        evalSchedule.trained(seconds(trainingSinceNanos));
        if (evalSchedule.needsEstimate() && data.count() >= 2) {
            long estimateStart = System.nanoTime();
            double estimate = QualityProbe.estimateSeconds(data, config.evalImages(), config.seed());
            evalSchedule.estimated(estimate);
            evalSchedule.spent(seconds(estimateStart));
            // says why epochs go by without SWD: otherwise the first check looks forgotten
            status.println(String.format("quality check: about %s each (estimated); --eval-every auto runs it"
                    + " when it keeps checks within 10%% of the wall time", duration(estimate)));
        }
        long checkStart = System.nanoTime();
        boolean check = evalSchedule.due(finishedEpoch) && data.count() >= 2;
        String quality = check ? evaluate(finishedEpoch) : "";
        double checkSeconds = seconds(checkStart);
        progress.startNextEpoch(config.epochs());
        long checkpointStart = System.nanoTime();
        saveCheckpoint(finishedEpoch);
        evalSchedule.trained(seconds(checkpointStart)); // checkpoints are part of training's cost, not the check's
        long reportStart = System.nanoTime();
        writeReport();
        double reportSeconds = seconds(reportStart);
        if (check) {
            // the floor is measured once a run: it counts against the budget, not as the next check's cost
            double floorSeconds = lastQuality.floorSeconds();
            evalSchedule.spent(floorSeconds);
            evalSchedule.checked(checkSeconds - floorSeconds + reportSeconds);
        } else {
            evalSchedule.spent(reportSeconds);
        }
        trainingSinceNanos = System.nanoTime();
        status.println(String.format("epoch %d/%d  gen_iter %d (+%d)  loss_d %.5f  loss_g %.5f  %.1f images/s  %s%s",
                finishedEpoch, config.epochs(), progress.generatorIterations, epochIterations,
                lastCritic != null ? lastCritic.lossD() : Double.NaN, lossG, epochImages / epochSeconds,
                duration(epochSeconds), quality));
        return EpochEnd.DONE;
    }

    /**
     * One critic step on a real batch and fresh noise; the gradient penalty's interpolation weights
     * come from the same noise generator, so a resumed run draws the same ones.
     */
    private WganSteps.CriticResult criticStep(INDArray real, int[] realLabels, INDArray z) {
        int[] fakeLabels = fakeLabels((int) z.size(0));
        if (config.loss() != LossKind.WGAN_GP) {
            return steps.criticStep(real, realLabels, z, fakeLabels);
        }
        try (INDArray alpha = Generation.uniform(noise, (int) real.size(0))) {
            return steps.criticStep(real, realLabels, z, fakeLabels, alpha);
        }
    }

    /**
     * A conditional run's epoch grid: one row of GRID_COLUMNS per class (the first
     * {@link Generation#CLASS_GRID_ROWS}), every row the same fixed noise.
     */
    private INDArray classGrid() {
        int rows = Math.min(Generation.CLASS_GRID_ROWS, config.model().classes());
        try (INDArray columns = fixedNoise.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, GRID_COLUMNS)).dup()) {
            return Generation.classGrid(sampler(), columns, config.model().classes(),
                    java.util.stream.IntStream.range(0, rows).toArray());
        }
    }

    private boolean conditional() {
        return config.model().conditional();
    }

    /**
     * Classes for n fakes of a conditional run (null for an unconditional one, which draws
     * nothing): each the class of a training image drawn uniformly, so classes come with the
     * training data's frequencies, a class of few images as rarely as its real images. Drawn from
     * the noise generator, which checkpoints hold: a resumed run draws the same ones.
     */
    private int[] fakeLabels(int n) {
        if (!conditional()) {
            return null;
        }
        int[] pool = split.train();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = data.classOf(pool[noise.nextInt(pool.length)]);
        }
        return labels;
    }

    /**
     * When {@link EvalSchedule} says so: SWD of generated against real images with its real-vs-real floor,
     * and the critic's estimate on training and held-out images; one metrics line. Returns the
     * console's summary of it. Own random streams: training's noise and data order are untouched.
     */
    private String evaluate(int epoch) throws IOException {
        QualityProbe.Result swd = QualityProbe.evaluate(sampler(), config.model(), data,
                config.evalImages(), config.seed(), lastQuality);
        lastQuality = swd;
        CriticCheck.Estimate critic = split.heldOut().length == 0 ? null
                : CriticCheck.measure(nets, data, split, config.batchSize(), config.seed());
        metrics.writeQuality(epoch, progress.generatorIterations, swd, critic == null ? null : critic.toMap());
        return String.format("  SWD %.2f (floor %.2f)", swd.swdMean(), swd.floorMean())
                + (critic == null ? "" : String.format("  W train %.4f held-out %.4f", critic.train(), critic.heldOut()));
    }

    /** The generator the grids and the quality check show: the EMA one when the run keeps it. */
    private ComputationGraph sampler() {
        return ema != null ? ema.graph() : nets.generator();
    }

    /** report.html; a failure here must not cost the run, so it is reported and training goes on. */
    private void writeReport() {
        try {
            report.write();
        } catch (IOException | RuntimeException e) {
            console.println("warning: could not write report.html: "
                    + (e instanceof IOException io ? FileErrors.describe(io) : e.getMessage()));
        }
    }

    private boolean checkpointDue() {
        if (config.checkpointEvery() > 0) {
            return progress.generatorIterations % config.checkpointEvery() == 0;
        }
        return System.nanoTime() - lastCheckpointNanos >= DEFAULT_CHECKPOINT_NANOS;
    }

    private boolean weightsFinite() {
        return Double.isFinite(nets.allParams().sumNumber().doubleValue());
    }

    /**
     * Back to the last checkpoint's networks, optimisers and position, but not its noise: the
     * noise generator keeps going, so the retry sees fresh noise instead of diverging again the
     * same way.
     */
    private EpochEnd rollBack(String reason) throws IOException {
        rollbacksInARow++;
        long failedAt = progress.generatorIterations;
        StateCheckpoint.Loaded last = StateCheckpoint.load(checkpoints.state());
        nets.allParams().assign(last.arrays().get("params"));
        restoreOptimisers(last);
        restoreEma(last);
        progress = Progress.from(last.meta().get("progress"));
        progress.finished = progress.epoch > config.epochs();
        metrics.close(); // the file is replaced: a writer left open would write to the old one
        run.truncateMetricsAfter(progress.generatorIterations);
        metrics = new MetricsLog(run.metrics());
        metrics.writeEvent("rollback", failedAt, Map.of("reason", reason,
                "to_gen_iter", progress.generatorIterations, "in_a_row", rollbacksInARow));
        status.println(String.format("gen_iter %d: %s; rolled back to the checkpoint at gen_iter %d (%d in a row)",
                failedAt, reason, progress.generatorIterations, rollbacksInARow));
        return rollbacksInARow >= MAX_ROLLBACKS_IN_A_ROW ? EpochEnd.DIVERGED : EpochEnd.ROLLED_BACK;
    }

    private void restoreOptimisers(StateCheckpoint.Loaded state) {
        restore(steps.criticOptimizer(), "critic_optimizer", state);
        restore(steps.generatorOptimizer(), "generator_optimizer", state);
    }

    private void restoreEma(StateCheckpoint.Loaded state) {
        if (ema == null) {
            return;
        }
        INDArray saved = state.arrays().get("ema_generator");
        if (saved == null) {
            throw new InputException("the checkpoint has no EMA generator although its options keep one"
                    + " (--ema-kimg " + config.emaKimg() + "): it is damaged");
        }
        ema.graph().params().assign(saved);
    }

    private static void restore(Optimizer optimizer, String name, StateCheckpoint.Loaded state) {
        optimizer.state().forEach((key, array) -> array.assign(state.arrays().get(name + "." + key)));
        optimizer.setSteps(state.meta().get(name + "_steps").asLong());
    }

    /** Everything the next step depends on; epoch > 0 also keeps it as that epoch's snapshot. */
    private void saveCheckpoint(int epoch) throws IOException {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("format", "wgan-state");
        meta.put("version", STATE_FORMAT_VERSION);
        meta.put("progress", progress.toMap());
        meta.put("noise_rng", Map.of("seed", noise.seed(), "counter", noise.counter()));
        meta.put("critic_optimizer_steps", steps.criticOptimizer().steps());
        meta.put("generator_optimizer_steps", steps.generatorOptimizer().steps());
        meta.put("options", RunOptions.of(config, data, steps.engine().description()));
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        arrays.put("params", nets.allParams());
        steps.criticOptimizer().state().forEach((k, v) -> arrays.put("critic_optimizer." + k, v));
        steps.generatorOptimizer().state().forEach((k, v) -> arrays.put("generator_optimizer." + k, v));
        if (ema != null) {
            arrays.put("ema_generator", ema.graph().params());
        }

        Map<String, Object> generatorMeta = new LinkedHashMap<>();
        generatorMeta.put("epochs_done", progress.epoch - 1);
        generatorMeta.put("gen_iter", progress.generatorIterations);
        generatorMeta.put("seed", config.seed());
        generatorMeta.put("ema_kimg", config.emaKimg());
        if (conditional()) { // what wgan sample --class needs: the classes, in the order of the one-hot code
            generatorMeta.put("classes", ImageClasses.describe(data, config.classNames()));
        }
        checkpoints.save(StateCheckpoint.writer(meta, arrays), ema == null
                ? GeneratorCheckpoint.writer(nets.generator(), config.model(), generatorMeta)
                : GeneratorCheckpoint.writer(ema.graph(), nets.generator(), config.model(), generatorMeta), epoch);
        lastCheckpointNanos = System.nanoTime();
        rollbacksInARow = 0;
    }

    private void writeReals() throws IOException {
        int n = Math.min(GRID_IMAGES, data.count());
        int[] first = Rng.derive(0, "reals-grid").permutation(data.count());
        float[] pixels = new float[n * data.pixelsPerImage()];
        data.fill(first, 0, n, pixels);
        INDArray reals = Nd4j.create(pixels, new long[]{n, data.channels(), data.size(), data.size()}, 'c');
        ImageGrid.writeGrid(reals, GRID_COLUMNS, run.realsGrid());
    }

    public void addListener(StepListener listener) {
        listeners.add(listener);
    }

    public long generatorIterations() {
        return progress.generatorIterations;
    }

    public boolean finished() {
        return progress.finished;
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : String.format("%.1fs", seconds);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
