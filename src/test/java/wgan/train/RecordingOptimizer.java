package wgan.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import wgan.optim.Optimizer;

import java.util.Map;

/** Passes every step through to a real optimiser, keeping a copy of the last gradient it received. */
final class RecordingOptimizer implements Optimizer {
    private final Optimizer inner;
    /** The last gradient, copied before the optimiser turns it into the update. */
    INDArray lastGradient;

    RecordingOptimizer(Optimizer inner) {
        this.inner = inner;
    }

    @Override
    public void step(INDArray params, INDArray grad) {
        lastGradient = grad.dup();
        inner.step(params, grad);
    }

    @Override
    public Map<String, INDArray> state() {
        return inner.state();
    }

    @Override
    public long steps() {
        return inner.steps();
    }

    @Override
    public void setSteps(long steps) {
        inner.setSteps(steps);
    }
}
