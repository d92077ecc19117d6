package wgan.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import wgan.config.EngineKind;
import wgan.config.ModelConfig;
import wgan.config.OptimizerKind;
import wgan.model.GanNetworks;
import wgan.model.Generation;
import wgan.model.Rng;
import wgan.optim.Optimizer;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * What the EMA generator's update costs next to the generator step it follows, on the sample-32
 * and statefarm-64 networks at batch 64 (not a test: a measurement, run by hand):
 * <pre>
 * mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/test.cp
 * java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes:$(cat target/test.cp) wgan.train.EmaCost
 * </pre>
 * Prints the median of each and the Java heap bytes one update allocates (its ND4J op objects; it
 * allocates no ND4J array).
 */
public final class EmaCost {
    private EmaCost() {
    }

    public static void main(String[] args) {
        measure("sample-32", new ModelConfig(32, 1, 100, 32, 32, 0), 20);
        measure("statefarm-64", new ModelConfig(64, 3, 100, 64, 64, 0), 6);
    }

    private static void measure(String name, ModelConfig model, int generatorSteps) {
        int batch = 64;
        GanNetworks nets = GanNetworks.initialised(model, DataType.FLOAT, 1);
        EngineChoice engine = EngineChoice.of(EngineKind.auto, nets);
        WganSteps steps = new WganSteps(nets, engine.engine(), 0.01,
                Optimizer.create(OptimizerKind.rmsprop, 5e-5, nets.critic().params()),
                Optimizer.create(OptimizerKind.rmsprop, 5e-5, nets.generator().params()));
        EmaGenerator ema = new EmaGenerator(nets, 10, batch);
        Rng rng = new Rng(1);
        double[] stepMs = new double[generatorSteps];
        double[] emaMs = new double[generatorSteps * 20];
        for (int i = -2; i < generatorSteps; i++) { // two warm-up steps
            try (INDArray z = Generation.noise(rng, batch, model.nz())) {
                long t0 = System.nanoTime();
                steps.generatorStep(z);
                if (i >= 0) {
                    stepMs[i] = (System.nanoTime() - t0) / 1e6;
                }
            }
            for (int k = 0; k < 20; k++) {
                long t0 = System.nanoTime();
                ema.update(200 + i);
                if (i >= 0) {
                    emaMs[i * 20 + k] = (System.nanoTime() - t0) / 1e6;
                }
            }
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int k = 0; k < 100; k++) {
            ema.update(300);
        }
        long heapPerUpdate = (threads.getCurrentThreadAllocatedBytes() - before) / 100;
        System.out.printf("%s (%d generator weights, %s): generator step %.1f ms, EMA update %.3f ms (%.2f%%),"
                        + " %d heap bytes per update%n", name, nets.generator().params().length(),
                engine.engine().description(), median(stepMs), median(emaMs), 100 * median(emaMs) / median(stepMs),
                heapPerUpdate);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
