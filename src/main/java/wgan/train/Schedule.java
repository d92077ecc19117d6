package wgan.train;

import wgan.config.LossKind;

/**
 * How many critic steps precede each generator step. With clipping as main.py does: 100 for the
 * first 25 generator iterations and at every 500th, so the critic is near optimal when the
 * generator moves; otherwise K (--n-critic). With the gradient penalty a constant K, as
 * Gulrajani et al.'s reference (CRITIC_ITERS) does.
 */
public final class Schedule {
    static final int BURST_ITERATIONS = 25;
    static final int BURST_EVERY = 500;
    static final int BURST_CRITIC_STEPS = 100;

    private Schedule() {
    }

    public static int criticStepsBefore(long generatorIteration, int nCritic, LossKind loss) {
        return loss == LossKind.WGAN_GP ? nCritic : criticStepsBefore(generatorIteration, nCritic);
    }

    /** @param generatorIteration generator iterations done so far, counted across epochs */
    public static int criticStepsBefore(long generatorIteration, int nCritic) {
        boolean burst = generatorIteration < BURST_ITERATIONS || generatorIteration % BURST_EVERY == 0;
        return burst ? BURST_CRITIC_STEPS : nCritic;
    }
}
