package wgan.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgan.config.ModelConfig;
import wgan.config.OptimizerKind;
import wgan.model.GanNetworks;
import wgan.model.Generation;
import wgan.model.Rng;

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

    public static String report(ModelConfig model, int batch) {
        GanNetworks nets = GanNetworks.initialised(model, DataType.FLOAT, 1);
        WganSteps steps = new WganSteps(nets, 0.01,
                Optimizer.create(OptimizerKind.rmsprop, 5e-5, nets.critic().params()),
                Optimizer.create(OptimizerKind.rmsprop, 5e-5, nets.generator().params()));
        INDArray real = Nd4j.rand(DataType.FLOAT, batch, model.channels(), model.imageSize(), model.imageSize());
        INDArray noise = Generation.noise(new Rng(1), batch, model.nz());
        CriticPass criticPass = new CriticPass(nets.critic(), GradientViews.whole(nets.critic()));
        GeneratorPass generatorPass = new GeneratorPass(nets.generator(), nets.generator().params().ulike(), 0.1);

        // Warm-up: oneDNN builds its kernels on first use, and Java's JIT compiles the Vector API
        // kernels only after many calls (interpreted, they are ~100x slower).
        for (int i = 0; i < 3; i++) {
            steps.criticStep(real, noise);
            steps.generatorStep(noise);
            criticPass.run(real, 1);
            generatorPass.forward(noise);
            criticPass.runForImageGradient(generatorPass.act(), 1);
            generatorPass.backward(criticPass.imageGradient());
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format("phases (median of %d, ms)%n", REPEATS));
        phases(nets, steps, criticPass, generatorPass, real, noise)
                .forEach((k, v) -> out.append(String.format("  %-44s %8.1f%n", k, v)));

        SectionTimer.Laps laps = new SectionTimer.Laps();
        criticPass.timeWith(laps);
        criticPass.run(real, 1); // warm-up
        laps.clear();
        for (int i = 0; i < REPEATS; i++) {
            criticPass.run(real, 1);
        }
        out.append(table("critic layers, one pass of a critic step", laps.millis(REPEATS)));

        generatorPass.timeWith(laps);
        laps.clear();
        for (int i = 0; i < REPEATS; i++) {
            generatorPass.forward(noise);
            criticPass.runForImageGradient(generatorPass.act(), 1);
            generatorPass.backward(criticPass.imageGradient());
        }
        Map<String, EnumMap<SectionTimer.Part, Double>> all = laps.millis(REPEATS);
        Map<String, EnumMap<SectionTimer.Part, Double>> generatorLayers = new LinkedHashMap<>();
        Map<String, EnumMap<SectionTimer.Part, Double>> criticLayers = new LinkedHashMap<>();
        all.forEach((layer, parts) -> (layer.startsWith("g") ? generatorLayers : criticLayers).put(layer, parts));
        out.append(table("generator layers, a generator step", generatorLayers));
        out.append(table("critic layers, a generator step (image gradient only)", criticLayers));
        return out.toString();
    }

    private static Map<String, Double> phases(GanNetworks nets, WganSteps steps, CriticPass criticPass,
                                              GeneratorPass generatorPass, INDArray real, INDArray noise) {
        Map<String, Double> ms = new LinkedHashMap<>();
        ms.put("critic step (all of it)", median(() -> steps.criticStep(real, noise)));
        ms.put("  critic forward+backward, one batch (x2)", median(() -> criticPass.run(real, 1)));
        ms.put("  generator forward for the fakes", median(() -> generatorPass.forward(noise)));
        ms.put("  clamp critic weights", median(() -> {
            steps.clampCritic();
            return null;
        }));
        ms.put("  RMSprop update of the critic", optimizerStep(nets.critic().params()));
        ms.put("generator step (all of it)", median(() -> steps.generatorStep(noise)));
        ms.put("  generator forward", median(() -> generatorPass.forward(noise)));
        ms.put("  critic forward+backward to the fakes", median(() -> criticPass.runForImageGradient(real, 1)));
        ms.put("  generator backward", median(() -> {
            generatorPass.forward(noise);
            long start = System.nanoTime();
            generatorPass.backward(criticPass.imageGradient());
            return (System.nanoTime() - start) / 1e6;
        }, true));
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
