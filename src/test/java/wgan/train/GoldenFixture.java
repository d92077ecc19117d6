package wgan.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgan.config.LossKind;
import wgan.config.ModelConfig;
import wgan.config.OptimizerKind;
import wgan.engine.Engine;
import wgan.model.GanNetworks;
import wgan.optim.Optimizer;
import wgan.model.ParamBlock;
import wgan.model.ParamLayout;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** A PyTorch reference run (scripts/golden/make_golden_fixtures.py) and ways to replay it here. */
final class GoldenFixture {
    final JsonNode json;
    final OptimizerKind optimizer;

    final LossKind loss;

    private GoldenFixture(JsonNode json) {
        this.json = json;
        this.optimizer = OptimizerKind.valueOf(json.get("optimizer").asText());
        this.loss = LossKind.fromFlag(json.path("loss").asText("wgan-clip"));
    }

    /** @param name rmsprop, adam (clipping) or gp (the gradient penalty, with Adam) */
    static GoldenFixture load(String name) {
        String resource = "/golden/wgan-steps-" + name + ".json";
        try (InputStream in = GoldenFixture.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing test resource " + resource);
            }
            return new GoldenFixture(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ModelConfig model() {
        JsonNode m = json.get("model");
        return new ModelConfig(m.get("image_size").asInt(), m.get("channels").asInt(), m.get("nz").asInt(),
                m.get("ngf").asInt(), m.get("ndf").asInt(), m.get("extra_layers").asInt(), loss != LossKind.WGAN_GP,
                m.path("classes").asInt(0));
    }

    /** Networks of the given precision holding the reference's initial parameters. */
    GanNetworks initialNetworks(DataType dataType) {
        GanNetworks nets = GanNetworks.initialised(model(), dataType, 1);
        JsonNode initial = json.get("initial");
        INDArray flat = nets.allParams();
        for (ParamBlock b : nets.chainedLayout().blocks()) {
            INDArray view = ParamLayout.view(flat, b);
            if (b.key().equals("var")) {
                view.assign(1); // PyTorch's initial running variance
            } else {
                view.assign(Nd4j.createFromArray(doubles(initial.get(name(b)))));
            }
        }
        return nets;
    }

    /** Training steps with the fixture's settings on an engine, the optimisers optionally wrapped. */
    WganSteps steps(GanNetworks nets, Engine engine, java.util.function.UnaryOperator<Optimizer> wrap) {
        double lr = json.get("lr").asDouble();
        double[] betas = GoldenFixture.doubles(json.get("betas"));
        return new WganSteps(nets, engine, loss, json.get("clip").asDouble(), json.get("gp_weight").asDouble(), null,
                wrap.apply(Optimizer.create(optimizer, lr, nets.critic().params(), betas)),
                wrap.apply(Optimizer.create(optimizer, lr, nets.generator().params(), betas)));
    }

    /** A conditional fixture's class labels (make_conditional_fixtures.py). */
    int[] labels(String name) {
        JsonNode node = json.get("labels").get(name);
        int[] out = new int[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = node.get(i).asInt();
        }
        return out;
    }

    INDArray input(String name, DataType dataType) {
        JsonNode node = json.get("inputs").get(name);
        List<Long> shape = new ArrayList<>();
        node.get("shape").forEach(s -> shape.add(s.asLong()));
        return Nd4j.createFromArray(doubles(node.get("values")))
                .reshape(shape.stream().mapToLong(Long::longValue).toArray()).castTo(dataType);
    }

    /** Relative tolerance of the float64 golden tests: room for summation order only, not a wrong formula. */
    static final double RELATIVE = 1e-4;
    /** Absolute floor for values that are zero in the reference (betas right after init). */
    static final double ABSOLUTE_FLOOR = 1e-12;

    static void assertClose(double expected, double actual, String what) {
        double tolerance = RELATIVE * Math.abs(expected) + ABSOLUTE_FLOOR;
        org.junit.jupiter.api.Assertions.assertTrue(Math.abs(expected - actual) <= tolerance,
                what + ": expected " + expected + " but was " + actual);
    }

    /** Every learned parameter and running mean; PyTorch's running variance is unbiased, DL4J's layer's is not. */
    static void checkParams(GanNetworks nets, JsonNode expected, String when) {
        INDArray flat = nets.allParams();
        int checked = 0;
        for (ParamBlock b : nets.chainedLayout().blocks()) {
            if (b.key().equals("var")) {
                continue;
            }
            JsonNode values = expected.get(name(b));
            org.junit.jupiter.api.Assertions.assertNotNull(values, "fixture lacks " + name(b));
            double[] actual = ParamLayout.view(flat, b).toDoubleVector();
            org.junit.jupiter.api.Assertions.assertEquals(values.size(), actual.length, b + " length");
            for (int i = 0; i < actual.length; i++) {
                assertClose(values.get(i).asDouble(), actual[i], name(b) + "[" + i + "] " + when);
            }
            checked++;
        }
        org.junit.jupiter.api.Assertions.assertEquals(expected.size(), checked, "every fixture array was compared");
    }

    static String name(ParamBlock b) {
        return b.layer() + "_" + b.key();
    }

    static double[] doubles(JsonNode values) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).asDouble();
        }
        return out;
    }
}
