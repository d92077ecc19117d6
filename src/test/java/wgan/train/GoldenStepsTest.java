package wgan.train;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import wgan.engine.Engine;
import wgan.engine.GraphEngine;
import wgan.engine.fast.FastEngine;
import wgan.model.GanNetworks;


/**
 * The training steps against PyTorch running the WGAN reference's steps on the same weights and
 * inputs (fixtures from scripts/golden/make_golden_fixtures.py). Run in float64 on both sides, so
 * a 1e-4 relative tolerance leaves room only for summation order, not for a wrong formula.
 * Both engines run it: DL4J's own layer code and backprop (the graph engine), and the fast
 * engine on libnd4j's float64 ops; {@link GoldenGradientsFloatTest} covers the fast engine in
 * float32, as training runs it.
 */
class GoldenStepsTest {

    @ParameterizedTest(name = "{0} on the {1} engine")
    @CsvSource({"rmsprop, graph", "adam, graph", "rmsprop, fast", "adam, fast"})
    void stepsMatchPyTorchReference(String optimizer, String engine) {
        GoldenFixture fixture = GoldenFixture.load(optimizer);
        GanNetworks nets = fixture.initialNetworks(DataType.DOUBLE);
        Engine computing = engine.equals("fast") ? FastEngine.create(nets) : new GraphEngine(nets);
        WganSteps steps = fixture.steps(nets, computing, o -> o);
        JsonNode expected = fixture.json.get("steps");

        checkCritic(steps.criticStep(input(fixture, "real1"), input(fixture, "noise1")), expected.get(0));
        GoldenFixture.checkParams(nets, fixture.json.get("after_first_critic_step"), "after the first critic step");
        checkCritic(steps.criticStep(input(fixture, "real2"), input(fixture, "noise2")), expected.get(1));
        GoldenFixture.assertClose(expected.get(2).get("loss_g").asDouble(), steps.generatorStep(input(fixture, "noise3")), "loss_g 1");
        checkCritic(steps.criticStep(input(fixture, "real4"), input(fixture, "noise4")), expected.get(3));
        GoldenFixture.assertClose(expected.get(4).get("loss_g").asDouble(), steps.generatorStep(input(fixture, "noise5")), "loss_g 2");
        GoldenFixture.checkParams(nets, fixture.json.get("final"), "after all five steps");
    }

    private static INDArray input(GoldenFixture fixture, String name) {
        return fixture.input(name, DataType.DOUBLE);
    }

    private static void checkCritic(WganSteps.CriticResult actual, JsonNode expected) {
        GoldenFixture.assertClose(expected.get("loss_d_real").asDouble(), actual.realMean(), "D(real)");
        GoldenFixture.assertClose(expected.get("loss_d_fake").asDouble(), actual.fakeMean(), "D(fake)");
        GoldenFixture.assertClose(expected.get("loss_d").asDouble(), actual.lossD(), "loss_d");
    }


}
