package wgan.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgan.config.ModelConfig;
import wgan.config.EngineKind;
import wgan.config.LossKind;
import wgan.config.Precision;
import wgan.config.OptimizerKind;
import wgan.model.GanNetworks;
import wgan.model.Generation;
import wgan.model.Rng;
import wgan.optim.Optimizer;
import wgan.train.EngineChoice;
import wgan.train.RunOptions;
import wgan.train.WganSteps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Steady-state speed of the real training steps on random images (no data loading): each
 * generator iteration is exactly K critic steps (clipping, both BatchNorm passes, updates) and
 * one generator step, as in the PyTorch peer scripts/bench/torch_wgan.py.
 */
public final class Benchmark {
    private Benchmark() {
    }

    /** Measured figures; times are wall-clock means over the timed iterations. */
    public record Result(double genItersPerS, double criticStepMs, double generatorStepMs, int batch, int imageSize,
                         Map<String, Object> backend, long peakRssMb, String engine) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("gen_iters_per_s", round(genItersPerS));
            m.put("critic_step_ms", round(criticStepMs));
            m.put("generator_step_ms", round(generatorStepMs));
            m.put("batch", batch);
            m.put("image_size", imageSize);
            m.put("backend", backend.get("name"));
            m.put("threads", backend.get("threads"));
            m.put("peak_rss_mb", peakRssMb);
            m.put("engine", engine);
            return m;
        }
    }

    /** @param engineLine told the engine's startup line ("engine: fast (...)") before the first step */
    /**
     * @param loss       clipping (RMSprop, the paper's) or the gradient penalty (a critic without
     *                   BatchNorm, Adam(0, 0.9), lambda 10), as training sets them up
     * @param engineLine told the engine's startup line ("engine: fast (...)") before the first step
     */
    public static Result run(ModelConfig model, int batch, int nCritic, int warmup, int iters, EngineKind engineKind,
                             LossKind loss, Consumer<String> engineLine) {
        return run(model, batch, nCritic, warmup, iters, engineKind, loss, Precision.fp32, engineLine);
    }

    /** @param precision what the convolutions compute in (--precision) */
    public static Result run(ModelConfig model, int batch, int nCritic, int warmup, int iters, EngineKind engineKind,
                             LossKind loss, Precision precision, Consumer<String> engineLine) {
        boolean gp = loss == LossKind.WGAN_GP;
        GanNetworks nets = GanNetworks.initialised(model.withCriticBatchNorm(!gp), DataType.FLOAT, 1);
        EngineChoice engine = EngineChoice.of(engineKind, nets, gp ? "--loss wgan-gp" : null, precision);
        engineLine.accept(engine.line());
        OptimizerKind kind = gp ? OptimizerKind.adam : OptimizerKind.rmsprop;
        double[] betas = gp ? new double[]{0.0, 0.9} : new double[]{0.5, 0.999};
        WganSteps steps = new WganSteps(nets, engine.engine(), loss, 0.01, 10, null,
                Optimizer.create(kind, gp ? 1e-4 : 5e-5, nets.critic().params(), betas),
                Optimizer.create(kind, gp ? 1e-4 : 5e-5, nets.generator().params(), betas));
        Rng rng = new Rng(1);
        INDArray real = Nd4j.rand(DataType.FLOAT, batch, model.channels(), model.imageSize(), model.imageSize())
                .muli(2).subi(1);
        for (int i = 0; i < warmup; i++) {
            iteration(steps, real, rng, batch, model.nz(), nCritic, gp, new long[2]);
        }
        long[] nanos = new long[2];
        long start = System.nanoTime();
        for (int i = 0; i < iters; i++) {
            iteration(steps, real, rng, batch, model.nz(), nCritic, gp, nanos);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(iters / seconds, nanos[0] / 1e6 / (iters * nCritic), nanos[1] / 1e6 / iters, batch,
                model.imageSize(), RunOptions.backend(), peakRssMb(), engine.engine().description());
    }

    private static void iteration(WganSteps steps, INDArray real, Rng rng, int batch, int nz, int nCritic, boolean gp,
                                  long[] nanos) {
        long t0 = System.nanoTime();
        for (int k = 0; k < nCritic; k++) {
            try (INDArray noise = Generation.noise(rng, batch, nz)) {
                if (gp) {
                    try (INDArray alpha = Generation.uniform(rng, batch)) {
                        steps.criticStep(real, noise, alpha);
                    }
                } else {
                    steps.criticStep(real, noise);
                }
            }
        }
        long t1 = System.nanoTime();
        try (INDArray noise = Generation.noise(rng, batch, nz)) {
            steps.generatorStep(noise);
        }
        long t2 = System.nanoTime();
        nanos[0] += t1 - t0;
        nanos[1] += t2 - t1;
    }

    /** Peak resident set (VmHWM) of this process, from /proc; -1 where there is no /proc. */
    static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
