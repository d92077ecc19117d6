package wgan.train;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import wgan.augment.Augmentation;
import wgan.augment.DiffAugment;
import wgan.config.AugmentOp;
import wgan.engine.fast.FastEngine;
import wgan.model.GanNetworks;
import wgan.model.ParamBlock;
import wgan.model.ParamLayout;
import wgan.optim.Optimizer;

import java.util.ArrayDeque;
import java.util.Deque;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DiffAugment in the training steps against PyTorch (scripts/golden/make_augment_fixture.py):
 * the reference's critic step with color, translation and cutout on its real and fake images,
 * then a generator step through the augmentation, where autograd backpropagates through it; the
 * same recorded draws on both sides. float64 on the fast engine: 1e-4 relative.
 */
class GoldenAugmentTest {
    private static final double RELATIVE = 1e-4;
    private static final double ABSOLUTE_FLOOR = 1e-12;

    @Test
    void augmentedStepsMatchPyTorch() {
        GoldenFixture fixture = GoldenFixture.load("augment");
        GanNetworks nets = fixture.initialNetworks(DataType.DOUBLE);
        Deque<DiffAugment.Draws> recorded = new ArrayDeque<>();
        for (JsonNode d : fixture.json.get("draws")) {
            recorded.add(new DiffAugment.Draws(GoldenFixture.doubles(d.get("brightness")),
                    GoldenFixture.doubles(d.get("saturation")), GoldenFixture.doubles(d.get("contrast")),
                    ints(d.get("shift_x")), ints(d.get("shift_y")), ints(d.get("cut_x")), ints(d.get("cut_y"))));
        }
        DiffAugment augment = new DiffAugment(AugmentOp.parse(fixture.json.get("augment").asText()));
        double lr = fixture.json.get("lr").asDouble();
        WganSteps steps = new WganSteps(nets, FastEngine.create(nets), fixture.loss, fixture.json.get("clip").asDouble(), 0,
                new Augmentation(augment, n -> recorded.removeFirst()),
                Optimizer.create(fixture.optimizer, lr, nets.critic().params()),
                Optimizer.create(fixture.optimizer, lr, nets.generator().params()));
        JsonNode expected = fixture.json.get("steps");

        WganSteps.CriticResult critic = steps.criticStep(fixture.input("real1", DataType.DOUBLE),
                fixture.input("noise1", DataType.DOUBLE));
        assertClose(expected.get(0).get("loss_d_real").asDouble(), critic.realMean(), "D(augmented real)");
        assertClose(expected.get(0).get("loss_d_fake").asDouble(), critic.fakeMean(), "D(augmented fake)");
        checkParams(nets, fixture.json.get("after_first_critic_step"), "after the critic step");
        assertClose(expected.get(1).get("loss_g").asDouble(), steps.generatorStep(fixture.input("noise2", DataType.DOUBLE)),
                "loss_g");
        checkParams(nets, fixture.json.get("final"), "after the generator step");
        assertTrue(recorded.isEmpty(), "every recorded draw was used, in order");
    }

    private static int[] ints(JsonNode values) {
        int[] out = new int[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).asInt();
        }
        return out;
    }

    private static void checkParams(GanNetworks nets, JsonNode expected, String when) {
        INDArray flat = nets.allParams();
        int checked = 0;
        for (ParamBlock b : nets.chainedLayout().blocks()) {
            if (b.key().equals("var")) {
                continue; // PyTorch's running variance is unbiased, DL4J's layer's is not
            }
            double[] actual = ParamLayout.view(flat, b).toDoubleVector();
            JsonNode values = expected.get(GoldenFixture.name(b));
            for (int i = 0; i < actual.length; i++) {
                assertClose(values.get(i).asDouble(), actual[i], GoldenFixture.name(b) + "[" + i + "] " + when);
            }
            checked++;
        }
        assertEquals(expected.size(), checked, "every fixture array was compared");
    }

    private static void assertClose(double expected, double actual, String what) {
        assertTrue(Math.abs(expected - actual) <= RELATIVE * Math.abs(expected) + ABSOLUTE_FLOOR,
                what + ": expected " + expected + " but was " + actual);
    }
}
