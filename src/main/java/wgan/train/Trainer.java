package wgan.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgan.config.TrainConfig;
import wgan.data.EpochBatches;
import wgan.data.ImageSet;
import wgan.io.GeneratorCheckpoint;
import wgan.io.ImageGrid;
import wgan.io.RunFolder;
import wgan.io.StateCheckpoint;
import wgan.metrics.IterationRecord;
import wgan.metrics.MetricsLog;
import wgan.model.GanNetworks;
import wgan.model.Generation;
import wgan.model.Rng;

import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The training loop of the WGAN reference (main.py): per epoch, while real batches remain, K
 * critic steps (100 in bursts, see {@link Schedule}) then one generator step. An epoch ends when
 * its batches run out, possibly inside a critic phase; the generator step still follows.
 */
public final class Trainer {
    static final int GRID_IMAGES = 64;
    static final int GRID_COLUMNS = 8;

    private final TrainConfig config;
    private final PrintStream console;

    /** What a finished run reports. */
    public record Result(long generatorIterations, double lastLossD, double lastLossG, double seconds) {
    }

    public Trainer(TrainConfig config, PrintStream console) {
        this.config = config;
        this.console = console;
    }

    public Result train(ImageSet data, RunFolder run) throws IOException {
        int nz = config.model().nz();
        int batch = config.batchSize();
        GanNetworks nets = GanNetworks.initialised(config.model(), DataType.FLOAT, config.seed());
        WganSteps steps = new WganSteps(nets, config.clip(),
                Optimizer.create(config.optimizer(), config.lrD(), nets.critic().params()),
                Optimizer.create(config.optimizer(), config.lrG(), nets.generator().params()));
        Rng noise = Rng.derive(config.seed(), "noise");
        INDArray fixedNoise = Generation.noise(Rng.derive(config.seed(), "fixed-noise"), GRID_IMAGES, nz);

        run.writeOptions(RunOptions.of(config, data.count(), data.skipped().size()));
        run.writeSkipped(data.skipped());
        writeReals(data, run);

        long generatorIterations = 0;
        WganSteps.CriticResult lastCritic = null;
        double lastLossG = Double.NaN;
        long runStart = System.nanoTime();
        ExecutorService loader = Executors.newSingleThreadExecutor(daemon("wgan-batches"));
        try (MetricsLog metrics = new MetricsLog(run.metrics())) {
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                long epochStart = System.nanoTime();
                long epochImages = 0;
                long epochIterations = 0;
                EpochBatches batches = new EpochBatches(data, batch, config.seed(), epoch, loader);
                while (batches.hasNext()) {
                    long start = System.nanoTime();

                    // (1) the critic, K times or until the epoch's batches run out
                    int planned = Schedule.criticStepsBefore(generatorIterations, config.nCritic());
                    int criticSteps = 0;
                    long realImages = 0;
                    while (criticSteps < planned && batches.hasNext()) {
                        try (INDArray real = batches.next(); INDArray z = Generation.noise(noise, batch, nz)) {
                            lastCritic = steps.criticStep(real, z);
                            realImages += real.size(0);
                        }
                        criticSteps++;
                    }

                    // (2) the generator, on a full batch of fresh noise
                    try (INDArray z = Generation.noise(noise, batch, nz)) {
                        lastLossG = steps.generatorStep(z);
                    }
                    generatorIterations++;
                    epochIterations++;
                    epochImages += realImages;

                    double seconds = (System.nanoTime() - start) / 1e9;
                    metrics.write(new IterationRecord(epoch, generatorIterations, criticSteps, lastCritic.lossD(),
                            lastLossG, lastCritic.realMean(), lastCritic.fakeMean(), seconds, realImages / seconds));
                }

                // (3) end of epoch: samples from the fixed noise, checkpoint, one console line
                ImageGrid.writeGrid(Generation.generate(nets.generator(), fixedNoise), GRID_COLUMNS,
                        run.epochGrid(epoch));
                saveCheckpoint(run, nets, steps, generatorIterations, epoch, noise);
                double epochSeconds = (System.nanoTime() - epochStart) / 1e9;
                console.printf("epoch %d/%d  gen_iter %d (+%d)  loss_d %.5f  loss_g %.5f  %.1f images/s  %s%n",
                        epoch, config.epochs(), generatorIterations, epochIterations, lastCritic.lossD(), lastLossG,
                        epochImages / epochSeconds, duration(epochSeconds));
            }
        } finally {
            loader.shutdownNow();
        }
        return new Result(generatorIterations, lastCritic.lossD(), lastLossG, (System.nanoTime() - runStart) / 1e9);
    }

    private static void writeReals(ImageSet data, RunFolder run) throws IOException {
        int n = Math.min(GRID_IMAGES, data.count());
        int[] first = Rng.derive(0, "reals-grid").permutation(data.count());
        float[] pixels = new float[n * data.pixelsPerImage()];
        data.fill(first, 0, n, pixels);
        INDArray reals = Nd4j.create(pixels, new long[]{n, data.channels(), data.size(), data.size()}, 'c');
        ImageGrid.writeGrid(reals, GRID_COLUMNS, run.realsGrid());
    }

    /** The generator on its own for wgan sample, and the whole state for resuming. */
    private void saveCheckpoint(RunFolder run, GanNetworks nets, WganSteps steps, long generatorIterations,
                                int epoch, Rng noise) throws IOException {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("epoch", epoch);
        meta.put("gen_iter", generatorIterations);
        meta.put("batch_size", config.batchSize());
        meta.put("seed", config.seed());
        GeneratorCheckpoint.save(nets.generator(), config.model(), meta, run.generatorCheckpoint());

        Map<String, Object> state = new LinkedHashMap<>(meta);
        state.put("options", RunOptions.of(config, 0, 0));
        state.put("noise_rng", Map.of("seed", noise.seed(), "counter", noise.counter()));
        state.put("critic_optimizer_steps", steps.criticOptimizer().steps());
        state.put("generator_optimizer_steps", steps.generatorOptimizer().steps());
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        arrays.put("params", nets.allParams());
        steps.criticOptimizer().state().forEach((k, v) -> arrays.put("critic_optimizer." + k, v));
        steps.generatorOptimizer().state().forEach((k, v) -> arrays.put("generator_optimizer." + k, v));
        StateCheckpoint.save(run.stateCheckpoint(), state, arrays);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : String.format("%.1fs", seconds);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
