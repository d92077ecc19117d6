package wgan.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Map;

/**
 * torch.optim.Adam as the WGAN reference configures it (--adam): beta1 0.5, beta2 0.999, eps 1e-8
 * added after the bias-corrected root.
 */
final class Adam implements Optimizer {
    static final double BETA1 = 0.5;
    static final double BETA2 = 0.999;
    static final double EPS = 1e-8;

    private final double learningRate;
    private final INDArray firstMoment;
    private final INDArray secondMoment;
    private long steps;

    Adam(double learningRate, INDArray like) {
        this.learningRate = learningRate;
        this.firstMoment = like.ulike().assign(0);
        this.secondMoment = like.ulike().assign(0);
    }

    @Override
    public void step(INDArray params, INDArray grad) {
        steps++;
        firstMoment.muli(BETA1).addi(grad.mul(1 - BETA1));
        secondMoment.muli(BETA2).addi(grad.muli(grad).muli(1 - BETA2));
        double biasCorrection1 = 1 - Math.pow(BETA1, steps);
        double biasCorrection2 = 1 - Math.pow(BETA2, steps);
        INDArray denominator = Transforms.sqrt(secondMoment, true).divi(Math.sqrt(biasCorrection2)).addi(EPS);
        params.subi(firstMoment.div(denominator).muli(learningRate / biasCorrection1));
    }

    @Override
    public Map<String, INDArray> state() {
        return Map.of("exp_avg", firstMoment, "exp_avg_sq", secondMoment);
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
