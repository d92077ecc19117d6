package wgan.train;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import wgan.engine.fast.FastEngine;
import wgan.kernels.VectorApi;
import wgan.model.GanNetworks;
import wgan.model.ParamBlock;
import wgan.model.ParamLayout;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fast engine in float32, as training runs it (libnd4j's oneDNN ops on the graphs' arrays,
 * with the Vector API kernels and without), against PyTorch's float64 gradients: the gradient each optimiser receives in a critic step and in a
 * generator step, and the critic's outputs. Optimiser outputs are not compared in float32: RMSprop
 * divides by |g|, so float noise in a near-zero gradient moves a parameter by up to a whole step;
 * GoldenStepsTest checks the optimiser arithmetic in float64.
 */
class GoldenGradientsFloatTest {
    /** Per array, relative to its largest element: float32 sums over thousands of products. */
    private static final double RELATIVE_TO_MAX = 2e-3;


    /**
     * Builds the steps with the Vector API kernels on (as scripts/wgan trains) or off (the libnd4j
     * op path, which CUDA and a JVM without the module take).
     */
    static WganSteps steps(GoldenFixture fixture, GanNetworks nets, boolean vectorKernels) {
        String before = System.getProperty(VectorApi.OFF_PROPERTY);
        System.setProperty(VectorApi.OFF_PROPERTY, String.valueOf(vectorKernels));
        try {
            return fixture.steps(nets, FastEngine.create(nets), RecordingOptimizer::new);
        } finally {
            if (before == null) {
                System.clearProperty(VectorApi.OFF_PROPERTY);
            } else {
                System.setProperty(VectorApi.OFF_PROPERTY, before);
            }
        }
    }

    @ParameterizedTest(name = "Vector API kernels {0}")
    @ValueSource(booleans = {true, false})
    void criticStepGradientMatchesPyTorch(boolean vectorKernels) {
        GoldenFixture fixture = GoldenFixture.load("rmsprop");
        GanNetworks nets = fixture.initialNetworks(DataType.FLOAT);
        WganSteps steps = steps(fixture, nets, vectorKernels);
        WganSteps.CriticResult result = steps.criticStep(fixture.input("real1", DataType.FLOAT),
                fixture.input("noise1", DataType.FLOAT));

        JsonNode expected = fixture.json.get("steps").get(0);
        assertRelative(expected.get("loss_d_real").asDouble(), result.realMean(), 1e-4, "D(real)");
        assertRelative(expected.get("loss_d_fake").asDouble(), result.fakeMean(), 1e-4, "D(fake)");
        INDArray gradient = ((RecordingOptimizer) steps.criticOptimizer()).lastGradient;
        int compared = compareGradients(nets.criticLayout(), gradient, fixture.json.get("gradient_first_critic_step"));
        assertEquals(fixture.json.get("gradient_first_critic_step").size(), compared);
    }

    @ParameterizedTest(name = "Vector API kernels {0}")
    @ValueSource(booleans = {true, false})
    void generatorStepGradientMatchesPyTorch(boolean vectorKernels) {
        GoldenFixture fixture = GoldenFixture.load("rmsprop");
        GanNetworks nets = fixture.initialNetworks(DataType.FLOAT);
        WganSteps steps = steps(fixture, nets, vectorKernels);
        steps.generatorStep(fixture.input("noise3", DataType.FLOAT));

        INDArray gradient = ((RecordingOptimizer) steps.generatorOptimizer()).lastGradient;
        JsonNode expected = fixture.json.get("gradient_generator_from_initial");
        assertEquals(expected.size(), compareGradients(nets.generatorLayout(), gradient, expected));
    }

    /** Compares each learned block of a flat gradient with the reference's; returns how many. */
    static int compareGradients(ParamLayout layout, INDArray flatGradient, JsonNode expected) {
        int compared = 0;
        for (ParamBlock b : layout.blocks()) {
            if (b.isRunningStatistic()) {
                continue;
            }
            JsonNode values = expected.get(GoldenFixture.name(b));
            assertTrue(values != null, "fixture lacks gradient " + GoldenFixture.name(b));
            double[] actual = ParamLayout.view(flatGradient, b).toDoubleVector();
            double[] reference = GoldenFixture.doubles(values);
            double scale = 0;
            for (double v : reference) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertTrue(scale > 0, GoldenFixture.name(b) + " has an all-zero reference gradient");
            for (int i = 0; i < actual.length; i++) {
                assertTrue(Math.abs(actual[i] - reference[i]) <= RELATIVE_TO_MAX * scale,
                        GoldenFixture.name(b) + "[" + i + "]: expected " + reference[i] + " but was " + actual[i]
                                + " (largest " + scale + ")");
            }
            compared++;
        }
        return compared;
    }

    private static void assertRelative(double expected, double actual, double relative, String what) {
        assertTrue(Math.abs(expected - actual) <= relative * Math.abs(expected),
                what + ": expected " + expected + " but was " + actual);
    }
}
