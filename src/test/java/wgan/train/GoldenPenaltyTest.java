package wgan.train;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import wgan.config.EngineKind;
import wgan.config.InputException;
import wgan.engine.GraphEngine;
import wgan.engine.UnsupportedGraphException;
import wgan.engine.fast.FastEngine;
import wgan.model.GanNetworks;
import wgan.model.ParamBlock;
import wgan.model.ParamLayout;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gradient penalty's steps (WGAN-GP: no clipping, a critic without BatchNorm, Adam 0 / 0.9,
 * lambda 10) against PyTorch's, which differentiates the penalty with
 * torch.autograd.grad(create_graph=True) (fixture from scripts/golden/make_golden_fixtures.py):
 * critic, critic on a short real batch, generator, critic, generator. In float64 on the fast
 * engine, which computes the penalty's weight gradient itself, so 1e-4 relative leaves room only
 * for summation order; and in float32, as training runs, the first critic step's gradient.
 */
class GoldenPenaltyTest {
    /** float32 against float64, relative to each array's largest element (sums of thousands of products). */
    private static final double FLOAT_RELATIVE_TO_MAX = 2e-3;

    @Test
    void penaltyStepsMatchPyTorchInFloat64() {
        GoldenFixture fixture = GoldenFixture.load("gp");
        GanNetworks nets = fixture.initialNetworks(DataType.DOUBLE);
        WganSteps steps = fixture.steps(nets, FastEngine.create(nets), o -> o);
        JsonNode expected = fixture.json.get("steps");

        checkCritic(steps.criticStep(input(fixture, "real1"), input(fixture, "noise1"), input(fixture, "alpha1")),
                expected.get(0), "critic step 1");
        GoldenFixture.checkParams(nets, fixture.json.get("after_first_critic_step"), "after the first critic step");
        checkCritic(steps.criticStep(input(fixture, "real2"), input(fixture, "noise2"), input(fixture, "alpha2")),
                expected.get(1), "critic step 2 (short real batch)");
        GoldenFixture.assertClose(expected.get(2).get("loss_g").asDouble(), steps.generatorStep(input(fixture, "noise3")), "loss_g 1");
        checkCritic(steps.criticStep(input(fixture, "real4"), input(fixture, "noise4"), input(fixture, "alpha4")),
                expected.get(3), "critic step 3");
        GoldenFixture.assertClose(expected.get(4).get("loss_g").asDouble(), steps.generatorStep(input(fixture, "noise5")), "loss_g 2");
        GoldenFixture.checkParams(nets, fixture.json.get("final"), "after all five steps");
    }

    @Test
    void float32PenaltyGradientMatchesPyTorch() {
        GoldenFixture fixture = GoldenFixture.load("gp");
        GanNetworks nets = fixture.initialNetworks(DataType.FLOAT);
        WganSteps steps = fixture.steps(nets, FastEngine.create(nets), RecordingOptimizer::new);
        WganSteps.CriticResult r = steps.criticStep(fixture.input("real1", DataType.FLOAT),
                fixture.input("noise1", DataType.FLOAT), fixture.input("alpha1", DataType.FLOAT));
        assertTrue(Math.abs(r.penalty() - fixture.json.get("steps").get(0).get("penalty").asDouble()) <= 1e-4 * 10,
                "penalty " + r.penalty());
        JsonNode reference = fixture.json.get("gradient_first_critic_step");
        int compared = 0;
        for (ParamBlock b : nets.criticLayout().blocks()) {
            double[] want = GoldenFixture.doubles(reference.get(GoldenFixture.name(b)));
            double[] got = ParamLayout.view(((RecordingOptimizer) steps.criticOptimizer()).lastGradient, b).toDoubleVector();
            double scale = 0;
            for (double v : want) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < got.length; i++) {
                assertTrue(Math.abs(got[i] - want[i]) <= FLOAT_RELATIVE_TO_MAX * scale,
                        GoldenFixture.name(b) + "[" + i + "]: expected " + want[i] + " but was " + got[i]);
            }
            compared++;
        }
        assertEquals(reference.size(), compared, "every critic gradient compared");
    }

    @Test
    void theGraphEngineRefusesThePenaltyInOneLine() {
        GoldenFixture fixture = GoldenFixture.load("gp");
        GanNetworks nets = fixture.initialNetworks(DataType.FLOAT);
        UnsupportedGraphException e = assertThrows(UnsupportedGraphException.class,
                () -> new GraphEngine(nets).gradientPenalty(fixture.input("real1", DataType.FLOAT), 10));
        assertEquals(GraphEngine.PENALTY_NEEDS_FAST_ENGINE, e.getMessage());
        InputException refused = assertThrows(InputException.class, () -> EngineChoice.of(EngineKind.graph, nets, "--loss wgan-gp"));
        assertTrue(refused.getMessage().startsWith("--loss wgan-gp cannot run with --engine graph"), refused.getMessage());
    }

    private static INDArray input(GoldenFixture fixture, String name) {
        return fixture.input(name, DataType.DOUBLE);
    }

    private static void checkCritic(WganSteps.CriticResult actual, JsonNode expected, String when) {
        GoldenFixture.assertClose(expected.get("loss_d_real").asDouble(), actual.realMean(), when + " D(real)");
        GoldenFixture.assertClose(expected.get("loss_d_fake").asDouble(), actual.fakeMean(), when + " D(fake)");
        GoldenFixture.assertClose(expected.get("penalty").asDouble(), actual.penalty(), when + " penalty");
    }


}
