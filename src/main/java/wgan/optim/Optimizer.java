package wgan.optim;

import org.nd4j.linalg.api.ndarray.INDArray;
import wgan.config.OptimizerKind;

import java.util.Map;

/**
 * A first-order optimiser over one flat parameter vector, with PyTorch's exact semantics (the
 * WGAN reference is PyTorch). Entries whose gradient is always zero (BatchNorm running statistics,
 * masked out by the caller) keep zero state and never move.
 */
public interface Optimizer {

    /** params -= update(grad). Both are flat vectors of the same length; grad may be overwritten. */
    void step(INDArray params, INDArray grad);

    /** The state arrays, by name, for checkpoints. Views: restoring writes into them. */
    Map<String, INDArray> state();

    /** Steps taken so far (Adam's bias correction needs it). */
    long steps();

    void setSteps(long steps);

    /** With Adam's betas as the WGAN reference's --adam sets them (0.5, 0.999). */
    static Optimizer create(OptimizerKind kind, double learningRate, INDArray like) {
        return create(kind, learningRate, like, new double[]{0.5, 0.999});
    }

    /** @param adamBetas beta1, beta2 (RMSprop ignores them) */
    static Optimizer create(OptimizerKind kind, double learningRate, INDArray like, double[] adamBetas) {
        return switch (kind) {
            case rmsprop -> new RmsProp(learningRate, like);
            case adam -> new Adam(learningRate, adamBetas[0], adamBetas[1], like);
        };
    }
}
