package wgan.optim;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

/**
 * torch.optim.Adam: eps 1e-8 added after the bias-corrected root; betas as the caller's loss
 * wants them (the WGAN reference's --adam: 0.5, 0.999; WGAN-GP's: 0, 0.9). In place, with one
 * scratch buffer: no garbage.
 */
final class Adam implements Optimizer {
    static final double EPS = 1e-8;

    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final INDArray firstMoment;
    private final INDArray secondMoment;
    private final INDArray scratch;
    private long steps;

    Adam(double learningRate, double beta1, double beta2, INDArray like) {
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.firstMoment = like.ulike().assign(0);
        this.secondMoment = like.ulike().assign(0);
        this.scratch = like.ulike();
    }

    @Override
    public void step(INDArray params, INDArray grad) {
        steps++;
        Nd4j.exec(new MulOp(grad, grad, scratch));
        secondMoment.muli(beta2).addi(scratch.muli(1 - beta2));
        firstMoment.muli(beta1).addi(grad.muli(1 - beta1));
        double biasCorrection1 = 1 - Math.pow(beta1, steps);
        double biasCorrection2 = 1 - Math.pow(beta2, steps);
        Nd4j.exec(new Sqrt(secondMoment, scratch));
        scratch.divi(Math.sqrt(biasCorrection2)).addi(EPS);
        // grad is free now: reuse it for the update
        params.subi(grad.assign(firstMoment).divi(scratch).muli(learningRate / biasCorrection1));
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
