package wgan.train;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgan.TestImages;
import wgan.config.ModelConfig;
import wgan.config.OptimizerKind;
import wgan.data.ImageLoader;
import wgan.data.ImageSet;
import wgan.engine.Engine;
import wgan.engine.GraphEngine;
import wgan.engine.fast.FastEngine;
import wgan.model.GanNetworks;
import wgan.model.Generation;
import wgan.model.ParamBlock;
import wgan.model.ParamLayout;
import wgan.model.Rng;
import wgan.optim.Optimizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two engines are one computation: the same steps on the same weights and inputs through the
 * fast engine and through DL4J's own backprop on the graphs give the same losses, gradients and
 * BatchNorm running statistics, on the shipped presets' networks and on networks with
 * --extra-layers. Before every step both float32 engines and a float64 referee (the graph engine
 * in double precision) get the same weights, so each step is compared from one state and
 * rounding does not compound.
 *
 * <p>The referee is needed because DL4J's own float32 path is not always accurate to float
 * rounding: on one of these steps (sample-32, step 4) its critic gradients for the first two layers
 * are off by up to 1% of their largest element, while the fast engine matches float64 to 3e-7
 * (DL4J's BatchNorm loses digits when a channel's mean is large next to its spread). So the fast
 * engine is held to float rounding against float64, and DL4J's float32 graph to its own, looser,
 * bound; wherever DL4J is accurate the two engines agree to ~2e-6.
 *
 * <p>Known limitation: the networks are piecewise linear, and when a LeakyReLU input is within
 * float32 rounding of zero (the convolution's float32 output alone is uncertain by ~2e-6 of its
 * largest value), float32 may take the other slope than float64 at that element. One such element
 * puts a whole step's gradients percent off. With the Vector API kernels at 256 bits
 * (-Dwgan.vector.bits=256, or -XX:UseAVX=2) that happens on two steps here (statefarm-64 step 2,
 * sample-32 step 3, where DL4J's float32 graph flips too), and with the kernels off on one
 * (statefarm-64 step 4, in the first layer); KinkFlipDiagnosisTest shows it, and
 * VectorKernelsTest that the kernels are right at every width. With the kernels on at 512 bits
 * no step here hits a kink, by chance. The fix this test
 * still needs is not a looser bound but a referee that follows float32's side of each kink where
 * float64 and float32 straddle it (e.g. the float64 fast engine taking the float32 pass's
 * activation signs), keeping 1e-4 on everything else. Until then a step whose fast-engine
 * gradients miss 1e-4 is replayed by {@link KinkFlipDiagnosisTest#explainStep} and passes only if
 * that replay reproduces the error (to 0.1%) and shows it starts at such a flip (at most
 * {@link #MAX_KINK_STEPS} steps per case); that step's fast gradients are then not compared, its
 * losses, running statistics and graph-engine gradients still are.
 */
class EngineEquivalenceTest {
    /** The fast engine against float64: float32 rounding over sums of thousands of products. */
    private static final double FAST_RELATIVE_TO_MAX = 1e-4;
    /**
     * Steps of a case on which the fast engine may miss the bound because of a kink flip (see the
     * class comment). A flip needs a pre-activation within ~1e-7 of its layer's largest; the
     * configurations run here hit one in at most one step per case, and three of five steps are
     * always compared in full, so a real error cannot hide behind a run of flips.
     */
    private static final int MAX_KINK_STEPS = 2;
    /** DL4J's float32 graph against float64 (see the class comment). */
    private static final double GRAPH_RELATIVE_TO_MAX = 2e-2;


    /** One engine's networks, steps and the gradients its optimisers last received. */
    private record Side(GanNetworks nets, WganSteps steps, RecordingOptimizer critic, RecordingOptimizer generator) {
        static Side of(GanNetworks nets, Engine engine) {
            RecordingOptimizer critic = new RecordingOptimizer(Optimizer.create(OptimizerKind.rmsprop, 5e-5, nets.critic().params()));
            RecordingOptimizer generator = new RecordingOptimizer(Optimizer.create(OptimizerKind.rmsprop, 5e-5, nets.generator().params()));
            return new Side(nets, new WganSteps(nets, engine, 0.01, critic, generator), critic, generator);
        }

        /** The step's losses: D(real), D(fake) for a critic step, loss_g for a generator step. */
        double[] step(int step, INDArray real, INDArray noise) {
            DataType type = nets.allParams().dataType();
            if (step == 2 || step == 4) {
                return new double[]{steps.generatorStep(noise.castTo(type))};
            }
            WganSteps.CriticResult r = steps.criticStep(real.castTo(type), noise.castTo(type));
            return new double[]{r.realMean(), r.fakeMean()};
        }

        INDArray gradient(int step) {
            return (step == 2 || step == 4 ? generator.lastGradient : critic.lastGradient).castTo(DataType.DOUBLE);
        }
    }

    private double worstFast;
    private double worstGraph;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "sample-32 (32x32x1 nz 100 ngf 32 ndf 32), 32, 1, 100, 32, 32, 0, 16",
            "statefarm-64 (64x64x3 nz 100 ngf 64 ndf 64) at batch 4, 64, 3, 100, 64, 64, 0, 4",
            "extra layers (16x16x3 nz 16 ngf 8 ndf 8 extra 2), 16, 3, 16, 8, 8, 2, 8"})
    void fastAndGraphEnginesComputeTheSameSteps(String name, int size, int channels, int nz, int ngf, int ndf,
                                                 int extra, int batch, @TempDir Path tmp) throws Exception {
        ModelConfig model = new ModelConfig(size, channels, nz, ngf, ndf, extra);
        GanNetworks fastNets = GanNetworks.initialised(model, DataType.FLOAT, 7);
        GanNetworks graphNets = GanNetworks.initialised(model, DataType.FLOAT, 7);
        GanNetworks refereeNets = GanNetworks.initialised(model, DataType.DOUBLE, 7);
        Side fast = Side.of(fastNets, FastEngine.create(fastNets));
        Side graph = Side.of(graphNets, new GraphEngine(graphNets));
        Side referee = Side.of(refereeNets, new GraphEngine(refereeNets));
        List<INDArray> reals = realBatches(tmp, model, batch, 3);
        Rng noise = new Rng(11);

        int kinkSteps = 0;
        for (int step = 0; step < 5; step++) {
            INDArray state = fastNets.allParams().dup();
            graphNets.allParams().assign(fastNets.allParams());
            refereeNets.allParams().assign(fastNets.allParams().castTo(DataType.DOUBLE));
            INDArray z = Generation.noise(noise, batch, nz);
            INDArray real = reals.get(step / 2);
            String what = name + ", step " + (step + 1);
            double[] expected = referee.step(step, real, z);
            double[] byGraph = graph.step(step, real, z);
            double[] byFast = fast.step(step, real, z);
            for (int i = 0; i < expected.length; i++) {
                assertClose(expected[i], byFast[i], FAST_RELATIVE_TO_MAX, what + " fast engine's loss " + i);
                assertClose(expected[i], byGraph[i], GRAPH_RELATIVE_TO_MAX, what + " graph engine's loss " + i);
            }
            ParamLayout layout = step == 2 || step == 4 ? fastNets.generatorLayout() : fastNets.criticLayout();
            worstFast = 0;
            worstGraph = 0;
            String fastFailure = null;
            for (ParamBlock b : layout.blocks()) {
                if (!b.isRunningStatistic()) {
                    INDArray ref = ParamLayout.view(referee.gradient(step), b);
                    String block = what + " gradient " + b.layer() + "_" + b.key();
                    double fastError = compare(ref, ParamLayout.view(fast.gradient(step), b), Double.POSITIVE_INFINITY,
                            block + " (fast engine)");
                    if (fastError > FAST_RELATIVE_TO_MAX && fastFailure == null) {
                        fastFailure = block + " (fast engine): differs from float64 by " + fastError + " of its largest element";
                    }
                    worstFast = Math.max(worstFast, fastError);
                    worstGraph = Math.max(worstGraph, compare(ref, ParamLayout.view(graph.gradient(step), b),
                            GRAPH_RELATIVE_TO_MAX, block + " (graph engine)"));
                }
            }
            if (fastFailure != null) {
                // Over the bound: only a kink flip (see the class comment) may explain it. The step is
                // replayed from the same weights and each pass's first masked-gradient element over 1e-4
                // must have a float64 pre-activation within float32 rounding of zero and the other
                // slope's gradient; otherwise explainStep fails the test.
                double[] replay = KinkFlipDiagnosisTest.explainStep(model, state, real, z, !(step == 2 || step == 4));
                assertTrue(Math.abs(replay[0] - worstFast) <= 1e-3 * worstFast + 1e-6,
                        fastFailure + "; the replay gives " + replay[0] + ", not this step's " + worstFast);
                assertTrue(replay[1] > 0, fastFailure + " and no kink flip explains it");
                kinkSteps++;
                assertTrue(kinkSteps <= MAX_KINK_STEPS, fastFailure + ": kink flips on " + kinkSteps + " of "
                        + (step + 1) + " steps; at most " + MAX_KINK_STEPS + " of 5 may be excused");
                System.out.printf("%s: fast engine %.1e from float64 because of a kink flip (above); not compared%n",
                        what, worstFast);
            }
            for (ParamBlock b : fastNets.chainedLayout().runningStatistics()) {
                INDArray ref = ParamLayout.view(refereeNets.allParams(), b);
                String block = what + " running " + b.layer() + "_" + b.key();
                compare(ref, ParamLayout.view(fastNets.allParams(), b).castTo(DataType.DOUBLE),
                        FAST_RELATIVE_TO_MAX, block + " (fast engine)");
                compare(ref, ParamLayout.view(graphNets.allParams(), b).castTo(DataType.DOUBLE),
                        FAST_RELATIVE_TO_MAX, block + " (graph engine)");
            }
            System.out.printf("%s: gradients within %.1e (fast engine) and %.1e (graph engine) of float64%n",
                    what, worstFast, worstGraph);
        }
    }

    /** Real images (photos the test makes), in batches, scaled to [-1, 1] as training feeds them (also KinkFlipDiagnosisTest's). */
    static List<INDArray> realBatches(Path tmp, ModelConfig model, int batch, int count) throws IOException {
        TestImages.writeTree(tmp.resolve("photos"), batch * count, 2, 80, 60, 5);
        ImageSet images = ImageLoader.prepare(tmp.resolve("photos"), model.imageSize(), model.channels(),
                tmp.resolve("cache"), note -> { }).images();
        int[] order = new int[images.count()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        return java.util.stream.IntStream.range(0, count).mapToObj(b -> {
            float[] pixels = new float[batch * images.pixelsPerImage()];
            images.fill(order, b * batch, batch, pixels);
            return Nd4j.create(pixels, new long[]{batch, model.channels(), model.imageSize(), model.imageSize()}, 'c');
        }).toList();
    }

    /** Returns the largest difference relative to the largest magnitude of expected, after checking it. */
    private static double compare(INDArray expected, INDArray actual, double relative, String what) {
        double scale = expected.amaxNumber().doubleValue();
        double difference = expected.sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        if (scale == 0) { // e.g. a last BatchNorm's beta when real and fake passes cancel exactly
            assertTrue(difference < 1e-9, what + ": float64 all zero, float32 up to " + difference);
            return 0;
        }
        double worst = difference / scale;
        assertTrue(worst <= relative, what + ": differs from float64 by " + worst + " of its largest element " + scale);
        return worst;
    }

    private static void assertClose(double expected, double actual, double relative, String what) {
        assertTrue(Math.abs(expected - actual) <= relative * Math.abs(expected) + 1e-9,
                what + ": float64 " + expected + ", float32 " + actual);
    }
}
