package wgan.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

/**
 * torch.optim.RMSprop with its defaults: alpha 0.99, eps 1e-8, square average starting at zero,
 * update lr * g / (sqrt(avg) + eps). ND4J's RmsProp differs on all three counts (decay 0.95,
 * average initialised to eps, eps inside the root), which changes the first WGAN updates by a
 * large factor because critic gradients are tiny. In place, with one scratch buffer: no garbage.
 */
final class RmsProp implements Optimizer {
    static final double ALPHA = 0.99;
    static final double EPS = 1e-8;

    private final double learningRate;
    private final INDArray squareAverage;
    private final INDArray scratch;
    private long steps;

    RmsProp(double learningRate, INDArray like) {
        this.learningRate = learningRate;
        this.squareAverage = like.ulike().assign(0);
        this.scratch = like.ulike();
    }

    @Override
    public void step(INDArray params, INDArray grad) {
        Nd4j.exec(new MulOp(grad, grad, scratch));
        squareAverage.muli(ALPHA).addi(scratch.muli(1 - ALPHA));
        Nd4j.exec(new Sqrt(squareAverage, scratch));
        params.subi(grad.muli(learningRate).divi(scratch.addi(EPS)));
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
