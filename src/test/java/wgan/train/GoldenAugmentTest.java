package wgan.train;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import wgan.augment.Augmentation;
import wgan.augment.DiffAugment;
import wgan.config.AugmentOp;
import wgan.engine.fast.FastEngine;
import wgan.model.GanNetworks;
import wgan.optim.Optimizer;

import java.util.ArrayDeque;
import java.util.Deque;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DiffAugment in the training steps against PyTorch (scripts/golden/make_augment_fixture.py):
 * the reference's critic step with color, translation and cutout on its real and fake images,
 * then a generator step through the augmentation, where autograd backpropagates through it; the
 * same recorded draws on both sides. float64 on the fast engine: 1e-4 relative.
 */
class GoldenAugmentTest {

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
        GoldenFixture.assertClose(expected.get(0).get("loss_d_real").asDouble(), critic.realMean(), "D(augmented real)");
        GoldenFixture.assertClose(expected.get(0).get("loss_d_fake").asDouble(), critic.fakeMean(), "D(augmented fake)");
        GoldenFixture.checkParams(nets, fixture.json.get("after_first_critic_step"), "after the critic step");
        GoldenFixture.assertClose(expected.get(1).get("loss_g").asDouble(), steps.generatorStep(fixture.input("noise2", DataType.DOUBLE)),
                "loss_g");
        GoldenFixture.checkParams(nets, fixture.json.get("final"), "after the generator step");
        assertTrue(recorded.isEmpty(), "every recorded draw was used, in order");
    }

    private static int[] ints(JsonNode values) {
        int[] out = new int[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).asInt();
        }
        return out;
    }


}
