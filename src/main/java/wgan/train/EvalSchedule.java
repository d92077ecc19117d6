package wgan.train;

/**
 * When the end of an epoch runs the quality check (SWD and the critic check). A fixed
 * --eval-every N checks every N epochs; 0 never. The default, auto (-1), spends at most a tenth
 * of the run's wall time on it, whatever the data size and the machine: the check runs when
 *
 * <pre>  9 x (time spent on checks so far + the cost of one more) <= training time so far</pre>
 *
 * taking the last check's measured cost (the report's too) for the next one, so checks stay
 * within 1/10 of checks + training at every epoch. An earlier epoch also leaves room for one more
 * check at the last epoch (its training time projected from the epochs so far), so that a run
 * ends measured whenever it can afford a check at all: the final SWD is the one users read. Before the first check its cost is estimated
 * ({@link #needsEstimate}: QualityProbe.estimateSeconds, a few percent of a check, counted too),
 * with the floor's third image set that later checks reuse. A run whose epochs are short beside
 * a check waits several epochs for its first one, or has none (wgan eval then scores any epoch's
 * generator). A resumed run starts its budget afresh, as its process does.
 *
 * <p>The schedule depends on wall time, so it is not reproducible; it need not be, since the
 * check reads the networks and draws from random streams of its own (a test holds it to that).
 */
final class EvalSchedule {
    public static final int AUTO = -1;
    /** Training seconds per check second: 9 gives checks at most 10% of the wall time. */
    static final double TRAINING_PER_CHECK = 9.0;

    private final int every;
    private final int firstEpoch;
    private final int lastEpoch;
    private double trainingSeconds;
    private double checkSeconds;
    private double lastCheckSeconds = Double.NaN;

    /**
     * @param every      --eval-every: N > 0 every N epochs, 0 never, {@link #AUTO} by time
     * @param firstEpoch the first epoch this process trains (after a resume, the one after the checkpoint's)
     * @param lastEpoch  the run's last epoch (--epochs)
     */
    EvalSchedule(int every, int firstEpoch, int lastEpoch) {
        if (every < AUTO || firstEpoch < 1 || lastEpoch < firstEpoch) {
            throw new IllegalArgumentException("--eval-every " + every + ", epochs " + firstEpoch + ".." + lastEpoch);
        }
        this.every = every;
        this.firstEpoch = firstEpoch;
        this.lastEpoch = lastEpoch;
    }

    /** Wall time of training (everything but the checks and the report), added as it passes. */
    void trained(double seconds) {
        trainingSeconds += seconds;
    }

    /** Whether the end of this epoch runs the check. */
    boolean due(int epoch) {
        if (every == 0) {
            return false;
        }
        if (every > 0) {
            return epoch % every == 0;
        }
        if (Double.isNaN(lastCheckSeconds)) {
            return false; // not estimated yet
        }
        boolean affordable = TRAINING_PER_CHECK * (checkSeconds + lastCheckSeconds) <= trainingSeconds;
        if (epoch >= lastEpoch || !affordable) {
            return affordable;
        }
        double projectedTraining = trainingSeconds * (lastEpoch - firstEpoch + 1) / (epoch - firstEpoch + 1);
        return TRAINING_PER_CHECK * (checkSeconds + 2 * lastCheckSeconds) <= projectedTraining;
    }

    /** Whether auto still lacks a cost for the next check: give it {@link #estimated} first. */
    boolean needsEstimate() {
        return every == AUTO && Double.isNaN(lastCheckSeconds);
    }

    /** An estimate of the first check's cost; its own time goes to {@link #spent}. */
    void estimated(double seconds) {
        lastCheckSeconds = seconds;
    }

    /** What one check (and the report written with it) cost. */
    void checked(double seconds) {
        checkSeconds += seconds;
        lastCheckSeconds = seconds;
    }

    /** Time on the report alone, in an epoch without a check: it shares the check's budget. */
    void spent(double seconds) {
        checkSeconds += seconds;
    }

    /** Checks and reports so far. */
    double checkSeconds() {
        return checkSeconds;
    }

    double trainingSeconds() {
        return trainingSeconds;
    }
}
