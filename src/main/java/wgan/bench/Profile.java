package wgan.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgan.config.ModelConfig;
import wgan.config.OptimizerKind;
import wgan.engine.Engine;
import wgan.engine.fast.FastEngine;
import wgan.engine.fast.SectionTimer;
import wgan.model.GanNetworks;
import wgan.model.Generation;
import wgan.model.Rng;
import wgan.optim.Optimizer;
import wgan.train.WganSteps;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where a generator iteration's time goes (wgan bench --profile): the phases of the two steps as
 * the float32 steps run them, and every layer's parts inside the native passes (convolution,
 * BatchNorm + activation, forward and backward). Phases are medians over a few repetitions after
 * a warm-up; layer figures are means over the same number of passes.
 */
public final class Profile {
    private static final int REPEATS = 5;

    private Profile() {
    }

    /** @throws wgan.engine.UnsupportedGraphException when the fast engine cannot run these networks */
    public static String report(ModelConfig model, int batch) {
        return report(model, batch, wgan.config.Precision.fp32);
    }

    /** With the convolutions in this precision (--precision; bf16 needs the caller's CPU check). */
    public static String report(ModelConfig model, int batch, wgan.config.Precision precision) {
        GanNetworks nets = GanNetworks.initialised(model, DataType.FLOAT, 1);
        FastEngine engine = FastEngine.create(nets, precision);
        WganSteps steps = new WganSteps(nets, engine, 0.01,
                Optimizer.create(OptimizerKind.rmsprop, 5e-5, nets.critic().params()),
                Optimizer.create(OptimizerKind.rmsprop, 5e-5, nets.generator().params()));
        INDArray real = Nd4j.rand(DataType.FLOAT, batch, model.channels(), model.imageSize(), model.imageSize());
        INDArray noise = Generation.noise(new Rng(1), batch, model.nz());

        // Warm-up: oneDNN builds its kernels on first use, and Java's JIT compiles the Vector API
        // kernels only after many calls (interpreted, they are ~100x slower).
        for (int i = 0; i < 3; i++) {
            steps.criticStep(real, noise);
            steps.generatorStep(noise);
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format("phases (median of %d, ms)%n", REPEATS));
        phases(nets, steps, engine, real, noise).forEach((k, v) -> out.append(String.format("  %-44s %8.1f%n", k, v)));

        SectionTimer.Laps laps = new SectionTimer.Laps();
        engine.timeWith(laps);
        engine.criticPass(real, 1); // warm-up
        laps.clear();
        for (int i = 0; i < REPEATS; i++) {
            engine.criticPass(real, 1);
        }
        Map<String, EnumMap<SectionTimer.Part, Double>> criticPass = laps.millis(REPEATS);
        out.append(table("critic layers, one pass of a critic step", criticPass));

        laps.clear();
        for (int i = 0; i < REPEATS; i++) {
            engine.generatorPass(noise);
        }
        Map<String, EnumMap<SectionTimer.Part, Double>> generatorLayers = new LinkedHashMap<>();
        Map<String, EnumMap<SectionTimer.Part, Double>> criticLayers = new LinkedHashMap<>();
        laps.millis(REPEATS).forEach((layer, parts) ->
                (criticPass.containsKey(layer) ? criticLayers : generatorLayers).put(layer, parts));
        out.append(table("generator layers, a generator step", generatorLayers));
        out.append(table("critic layers, a generator step (image gradient only)", criticLayers));
        return out.toString();
    }

    private static Map<String, Double> phases(GanNetworks nets, WganSteps steps, Engine engine, INDArray real,
                                              INDArray noise) {
        Map<String, Double> ms = new LinkedHashMap<>();
        ms.put("critic step (all of it)", median(() -> steps.criticStep(real, noise)));
        ms.put("  critic forward+backward, one batch (x2)", median(() -> engine.criticPass(real, 1)));
        ms.put("  generator forward for the fakes", median(() -> engine.fakes(noise)));
        ms.put("  clamp critic weights", median(() -> {
            steps.clampCritic();
            return null;
        }));
        ms.put("  RMSprop update of the critic", optimizerStep(nets.critic().params()));
        ms.put("generator step (all of it)", median(() -> steps.generatorStep(noise)));
        ms.put("  forward and backward through both networks", median(() -> engine.generatorPass(noise)));
        ms.put("  RMSprop update of the generator", optimizerStep(nets.generator().params()));
        return ms;
    }

    /** One RMSprop step on copies of the parameters (the gradient is refreshed outside the timing). */
    private static double optimizerStep(INDArray like) {
        INDArray params = like.dup();
        INDArray gradient = like.dup().muli(1e-3);
        INDArray scratch = gradient.ulike();
        Optimizer optimizer = Optimizer.create(OptimizerKind.rmsprop, 5e-5, params);
        return median(() -> {
            scratch.assign(gradient);
            long start = System.nanoTime();
            optimizer.step(params, scratch);
            return (System.nanoTime() - start) / 1e6;
        }, true);
    }

    private static String table(String title, Map<String, EnumMap<SectionTimer.Part, Double>> layers) {
        StringBuilder out = new StringBuilder(String.format(
                "%s (mean of %d, ms)%n  %-10s %9s %14s %14s %9s%n", title, REPEATS,
                "layer", "conv fwd", "norm+act fwd", "norm+act bwd", "conv bwd"));
        double[] total = new double[SectionTimer.Part.values().length];
        layers.forEach((layer, parts) -> {
            out.append(String.format("  %-10s", layer));
            for (SectionTimer.Part part : SectionTimer.Part.values()) {
                double v = parts.getOrDefault(part, 0.0);
                total[part.ordinal()] += v;
                out.append(String.format(part == SectionTimer.Part.CONV_FORWARD || part == SectionTimer.Part.CONV_BACKWARD
                        ? " %9.1f" : " %14.1f", v));
            }
            out.append(System.lineSeparator());
        });
        out.append(String.format("  %-10s %9.1f %14.1f %14.1f %9.1f%n", "total", total[0], total[1], total[2], total[3]));
        return out.toString();
    }

    private static double median(Supplier<?> work) {
        return median(work, false);
    }

    /** With selfTimed, the work returns its own milliseconds (to leave its set-up out). */
    private static double median(Supplier<?> work, boolean selfTimed) {
        work.get(); // warm-up: oneDNN builds its kernels on first use
        double[] ms = new double[REPEATS];
        for (int i = 0; i < REPEATS; i++) {
            long start = System.nanoTime();
            Object result = work.get();
            ms[i] = selfTimed ? (Double) result : (System.nanoTime() - start) / 1e6;
        }
        java.util.Arrays.sort(ms);
        return ms[REPEATS / 2];
    }
}
