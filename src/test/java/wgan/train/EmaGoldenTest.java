package wgan.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgan.config.ModelConfig;
import wgan.model.GanNetworks;
import wgan.model.ParamBlock;
import wgan.model.ParamLayout;

import java.io.InputStream;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * wgan's EMA generator against StyleGAN2-ADA's update run by PyTorch (scripts/golden/ema_reference.py,
 * fixture golden/ema.json) on the same fixed weights: the decay of every step (ramp-up active, at
 * its end and inactive, and without a ramp-up) and every parameter and BatchNorm statistic of the
 * average after a few steps, on wgan's own generator graph (Dcgan's definition).
 *
 * <p>Tolerances. float64 (the engine-independent arithmetic): 1e-6 relative per element; what is
 * seen is below 1e-14, rounding only (float32: about 1e-7). float32 (what training runs): the fixture's inputs are float32
 * values, so the only error is float32 rounding of the update, at most about 3 roundings of
 * 2^-24 of the array's largest magnitude per step, damped by beta < 1; over these 3 to 5 steps
 * that is below 1e-6 of each array's largest element, the bound checked.
 */
class EmaGoldenTest {
    private static final JsonNode FIXTURE = load();

    @Test
    void decayMatchesStyleGan2AdaAtEveryStep() {
        for (JsonNode s : FIXTURE.get("scenarios")) {
            Double rampup = s.get("ema_rampup").isNull() ? null : s.get("ema_rampup").asDouble();
            for (JsonNode step : s.get("steps")) {
                double expected = step.get("beta").asDouble();
                double beta = EmaGenerator.beta(s.get("ema_kimg").asDouble(), rampup, step.get("cur_nimg").asLong(),
                        s.get("batch_size").asInt());
                assertEquals(expected, beta, 1e-12 * expected, s.get("name") + " at cur_nimg " + step.get("cur_nimg"));
            }
        }
        assertEquals(0.0, FIXTURE.get("scenarios").get(0).get("steps").get(0).get("beta").asDouble(),
                "the fixture starts at cur_nimg 0, where the update copies");
    }

    @Test
    void averageMatchesPyTorchInFloat64() {
        for (JsonNode s : FIXTURE.get("scenarios")) {
            double worst = replay(s, DataType.DOUBLE, false);
            assertTrue(worst <= 1e-6, s.get("name") + ": largest relative error " + worst);
        }
    }

    @Test
    void averageMatchesPyTorchInFloat32() {
        for (JsonNode s : FIXTURE.get("scenarios")) {
            double worst = replay(s, DataType.FLOAT, true);
            assertTrue(worst <= 1e-6, s.get("name") + ": largest error relative to its array " + worst);
        }
    }

    /**
     * Runs the scenario's steps through EmaGenerator.update(generator steps before), as the
     * trainer calls it, and returns the largest error of the final average against PyTorch's:
     * per element relative, or relative to each array's largest magnitude.
     */
    private static double replay(JsonNode s, DataType dataType, boolean relativeToArray) {
        GanNetworks nets = GanNetworks.initialised(model(), dataType, 1);
        Double rampup = s.get("ema_rampup").isNull() ? null : s.get("ema_rampup").asDouble();
        EmaGenerator ema = new EmaGenerator(nets.generator(), nets.generatorLayout(), s.get("ema_kimg").asDouble(),
                rampup, s.get("batch_size").asInt());
        ParamLayout layout = nets.generatorLayout();
        assign(ema.graph().params(), layout, s.get("ema_initial"));
        long generatorSteps = s.get("first_step").asLong();
        for (JsonNode step : s.get("steps")) {
            assign(nets.generator().params(), layout, step.get("raw"));
            ema.update(generatorSteps++);
        }
        JsonNode expected = s.get("ema_final");
        double worst = 0;
        Set<String> seen = new HashSet<>();
        for (ParamBlock b : layout.blocks()) {
            String name = b.layer() + "_" + b.key();
            seen.add(name);
            double[] want = doubles(expected.get(name));
            double[] got = ParamLayout.view(ema.graph().params(), b).castTo(DataType.DOUBLE).toDoubleVector();
            double scale = 0;
            for (double w : want) {
                scale = Math.max(scale, Math.abs(w));
            }
            for (int i = 0; i < want.length; i++) {
                double denominator = relativeToArray ? scale : Math.abs(want[i]);
                double error = Math.abs(got[i] - want[i]);
                worst = Math.max(worst, error == 0 ? 0 : error / denominator);
            }
        }
        Set<String> fixtureNames = new HashSet<>();
        expected.fieldNames().forEachRemaining(fixtureNames::add);
        assertEquals(fixtureNames, seen, "every parameter and statistic of the generator is in the fixture");
        return worst;
    }

    private static void assign(INDArray flat, ParamLayout layout, JsonNode values) {
        for (ParamBlock b : layout.blocks()) {
            JsonNode v = values.get(b.layer() + "_" + b.key());
            if (v == null) {
                throw new IllegalStateException("the fixture has no " + b.layer() + "_" + b.key());
            }
            ParamLayout.view(flat, b).assign(Nd4j.createFromArray(doubles(v)).castTo(flat.dataType()));
        }
    }

    private static ModelConfig model() {
        JsonNode m = FIXTURE.get("model");
        return new ModelConfig(m.get("image_size").asInt(), m.get("channels").asInt(), m.get("nz").asInt(),
                m.get("ngf").asInt(), m.get("ndf").asInt(), m.get("extra_layers").asInt());
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    private static JsonNode load() {
        try (InputStream in = EmaGoldenTest.class.getResourceAsStream("/golden/ema.json")) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /golden/ema.json"
                        + " (made by scripts/golden/ema_reference.py)");
            }
            return new ObjectMapper().readTree(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
