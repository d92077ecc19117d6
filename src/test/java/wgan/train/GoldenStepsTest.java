package wgan.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgan.config.ModelConfig;
import wgan.config.OptimizerKind;
import wgan.model.GanNetworks;
import wgan.model.ParamBlock;
import wgan.model.ParamLayout;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The training steps against PyTorch running the WGAN reference's steps on the same weights and
 * inputs (fixtures from scripts/golden/make_golden_fixtures.py). Run in float64 on both sides, so
 * a 1e-4 relative tolerance leaves room only for summation order, not for a wrong formula.
 */
class GoldenStepsTest {
    private static final double RELATIVE = 1e-4;
    /** Absolute floor for values that are zero in the reference (betas right after init). */
    private static final double ABSOLUTE_FLOOR = 1e-12;

    @ParameterizedTest
    @ValueSource(strings = {"rmsprop", "adam"})
    void stepsMatchPyTorchReference(String optimizer) throws IOException {
        JsonNode fixture = load("/golden/wgan-steps-" + optimizer + ".json");
        JsonNode m = fixture.get("model");
        ModelConfig config = new ModelConfig(m.get("image_size").asInt(), m.get("channels").asInt(),
                m.get("nz").asInt(), m.get("ngf").asInt(), m.get("ndf").asInt(), m.get("extra_layers").asInt());
        GanNetworks nets = GanNetworks.initialised(config, DataType.DOUBLE, 1);
        setParams(nets, fixture.get("initial"));
        double lr = fixture.get("lr").asDouble();
        OptimizerKind kind = OptimizerKind.valueOf(optimizer);
        WganSteps steps = new WganSteps(nets, fixture.get("clip").asDouble(),
                Optimizer.create(kind, lr, nets.critic().params()),
                Optimizer.create(kind, lr, nets.generator().params()));
        JsonNode inputs = fixture.get("inputs");
        JsonNode expected = fixture.get("steps");

        checkCritic(steps.criticStep(array(inputs, "real1"), array(inputs, "noise1")), expected.get(0));
        checkParams(nets, fixture.get("after_first_critic_step"), "after the first critic step");
        checkCritic(steps.criticStep(array(inputs, "real2"), array(inputs, "noise2")), expected.get(1));
        assertClose(expected.get(2).get("loss_g").asDouble(), steps.generatorStep(array(inputs, "noise3")), "loss_g 1");
        checkCritic(steps.criticStep(array(inputs, "real4"), array(inputs, "noise4")), expected.get(3));
        assertClose(expected.get(4).get("loss_g").asDouble(), steps.generatorStep(array(inputs, "noise5")), "loss_g 2");
        checkParams(nets, fixture.get("final"), "after all five steps");
    }

    private static void checkCritic(WganSteps.CriticResult actual, JsonNode expected) {
        assertClose(expected.get("loss_d_real").asDouble(), actual.realMean(), "D(real)");
        assertClose(expected.get("loss_d_fake").asDouble(), actual.fakeMean(), "D(fake)");
        assertClose(expected.get("loss_d").asDouble(), actual.lossD(), "loss_d");
    }

    /** Every learned parameter and running mean; PyTorch's running variance is unbiased, DL4J's is not. */
    private static void checkParams(GanNetworks nets, JsonNode expected, String when) {
        INDArray flat = nets.allParams();
        int checked = 0;
        for (ParamBlock b : nets.chainedLayout().blocks()) {
            JsonNode values = expected.get(b.layer() + "_" + b.key());
            if (b.key().equals("var")) {
                continue;
            }
            assertTrue(values != null, "fixture lacks " + b.layer() + "_" + b.key());
            double[] actual = ParamLayout.view(flat, b).toDoubleVector();
            assertEquals(values.size(), actual.length, b + " length");
            for (int i = 0; i < actual.length; i++) {
                assertClose(values.get(i).asDouble(), actual[i], b.layer() + "_" + b.key() + "[" + i + "] " + when);
            }
            checked++;
        }
        assertEquals(expected.size(), checked, "every fixture array was compared");
    }

    private static void setParams(GanNetworks nets, JsonNode initial) {
        INDArray flat = nets.allParams();
        for (ParamBlock b : nets.chainedLayout().blocks()) {
            INDArray view = ParamLayout.view(flat, b);
            if (b.key().equals("var")) {
                view.assign(1); // PyTorch's initial running variance
                continue;
            }
            view.assign(Nd4j.createFromArray(doubles(initial.get(b.layer() + "_" + b.key()))));
        }
    }

    private static INDArray array(JsonNode inputs, String name) {
        JsonNode node = inputs.get(name);
        List<Long> shape = new ArrayList<>();
        node.get("shape").forEach(s -> shape.add(s.asLong()));
        return Nd4j.createFromArray(doubles(node.get("values")))
                .reshape(shape.stream().mapToLong(Long::longValue).toArray());
    }

    private static double[] doubles(JsonNode values) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).asDouble();
        }
        return out;
    }

    private static void assertClose(double expected, double actual, String what) {
        double tolerance = RELATIVE * Math.abs(expected) + ABSOLUTE_FLOOR;
        assertTrue(Math.abs(expected - actual) <= tolerance,
                what + ": expected " + expected + " but was " + actual);
    }

    private static JsonNode load(String resource) throws IOException {
        try (InputStream in = GoldenStepsTest.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing test resource " + resource);
            }
            return new ObjectMapper().readTree(in);
        }
    }
}
