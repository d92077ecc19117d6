package wgan.optim;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.RmsPropUpdater;
import org.nd4j.linalg.factory.Nd4j;
import wgan.config.ModelConfig;
import wgan.model.GanNetworks;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one-pass Vector API RMSprop against libnd4j's rms_prop_updater, on the parameter views
 * training really updates: the critic's parameters start in the middle of [generator | critic].
 */
class RmsPropTest {

    @Test
    void vectorKernelMatchesTheUpdaterOpOnTheNetworksOwnViews() {
        GanNetworks nets = GanNetworks.initialised(new ModelConfig(32, 3, 16, 8, 8, 0), DataType.FLOAT, 5);
        for (INDArray params : new INDArray[]{nets.generator().params(), nets.critic().params()}) {
            Nd4j.getRandom().setSeed(9);
            INDArray expectedParams = params.dup();
            INDArray expectedAverage = params.ulike().assign(0);
            RmsProp optimizer = new RmsProp(5e-5, params);
            INDArray all = nets.allParams().dup();
            for (int step = 0; step < 3; step++) {
                INDArray grad = Nd4j.randn(DataType.FLOAT, params.shape()).muli(1e-3);
                INDArray update = grad.dup();
                Nd4j.exec(new RmsPropUpdater(update, expectedAverage, update, expectedAverage, 5e-5, RmsProp.ALPHA,
                        RmsProp.EPS));
                expectedParams.subi(update);
                INDArray gradBefore = grad.dup();
                optimizer.step(params, grad);
                // The op path turns the gradient into the update; the Vector API pass leaves it.
                assertTrue(gradBefore.equals(grad), "the Vector API pass ran on the networks' own views");
            }
            double worst = expectedParams.sub(params).amaxNumber().doubleValue();
            assertTrue(worst <= 1e-7, "largest difference " + worst);
            assertTrue(expectedAverage.equalsWithEps(optimizer.state().get("square_avg"), 1e-12), "square averages");
            // Nothing outside the view moved.
            INDArray after = nets.allParams();
            long from = params.offset() - after.offset();
            for (long i : new long[]{from - 1, from + params.length()}) {
                if (i >= 0 && i < after.length()) {
                    assertTrue(after.getFloat(i) == all.getFloat(i), "parameter " + i + " outside the view");
                }
            }
            nets.allParams().assign(all); // undo for the next view's check
        }
    }
}
