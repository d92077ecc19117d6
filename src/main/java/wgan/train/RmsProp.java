package wgan.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Map;

/**
 * torch.optim.RMSprop with its defaults: alpha 0.99, eps 1e-8, square average starting at zero,
 * update lr * g / (sqrt(avg) + eps). ND4J's RmsProp differs on all three counts (decay 0.95,
 * average initialised to eps, eps inside the root), which changes the first WGAN updates by a
 * large factor because critic gradients are tiny.
 */
final class RmsProp implements Optimizer {
    static final double ALPHA = 0.99;
    static final double EPS = 1e-8;

    private final double learningRate;
    private final INDArray squareAverage;
    private long steps;

    RmsProp(double learningRate, INDArray like) {
        this.learningRate = learningRate;
        this.squareAverage = like.ulike().assign(0);
    }

    @Override
    public void step(INDArray params, INDArray grad) {
        squareAverage.muli(ALPHA).addi(grad.mul(grad).muli(1 - ALPHA));
        INDArray denominator = Transforms.sqrt(squareAverage, true).addi(EPS);
        params.subi(grad.muli(learningRate).divi(denominator));
        steps++;
    }

    @Override
    public Map<String, INDArray> state() {
        return Map.of("square_avg", squareAverage);
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public void setSteps(long steps) {
        this.steps = steps;
    }
}
