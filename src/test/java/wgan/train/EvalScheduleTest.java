package wgan.train;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When epochs run the quality check: fixed intervals, never, and the time budget of auto. */
class EvalScheduleTest {

    @Test
    void fixedIntervalAndNever() {
        EvalSchedule every3 = new EvalSchedule(3, 1, 30);
        List<Integer> due = new ArrayList<>();
        for (int epoch = 1; epoch <= 10; epoch++) {
            if (every3.due(epoch)) {
                due.add(epoch);
            }
        }
        assertEquals(List.of(3, 6, 9), due);
        EvalSchedule never = new EvalSchedule(0, 1, 30);
        for (int epoch = 1; epoch <= 10; epoch++) {
            assertFalse(never.due(epoch));
        }
    }

    /** A run: epochs of `epochSeconds` of training, checks costing `checkSeconds`, a report each epoch. */
    private record Run(int checks, double share, List<Integer> checkedEpochs) {
    }

    private static Run simulate(int epochs, double epochSeconds, double checkSeconds, double reportSeconds) {
        EvalSchedule s = new EvalSchedule(EvalSchedule.AUTO, 1, epochs);
        List<Integer> checked = new ArrayList<>();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            s.trained(epochSeconds);
            if (s.needsEstimate()) {
                s.estimated(checkSeconds * 1.2); // estimates err high
                s.spent(checkSeconds * 0.05);
            }
            if (s.due(epoch)) {
                checked.add(epoch);
                s.checked(checkSeconds + reportSeconds);
            } else {
                s.spent(reportSeconds);
            }
        }
        return new Run(checked.size(), s.checkSeconds() / (s.checkSeconds() + s.trainingSeconds()), checked);
    }

    @Test
    void autoKeepsChecksToATenthOfTheWallTimeAtAnyRunLength() {
        // State Farm-sized: 3-minute epochs, a 40 s check: the first at epoch 3, then every other epoch or so.
        Run statefarm = simulate(20, 180, 40, 0.05);
        assertEquals(3, statefarm.checkedEpochs().get(0), statefarm.checkedEpochs().toString());
        assertTrue(statefarm.share() <= 0.10, "share " + statefarm.share());
        assertTrue(statefarm.checks() >= 6, "checks are not starved: " + statefarm.checkedEpochs());

        // The sample today: 25 epochs of 4 s, a check of 12 s: the run cannot afford one.
        Run sample = simulate(25, 4, 12, 0.02);
        assertEquals(0, sample.checks(), sample.checkedEpochs().toString());
        assertTrue(sample.share() <= 0.10, "share " + sample.share());
        // The same run, longer: rare checks, the same bound.
        Run longSample = simulate(1000, 4, 12, 0.02);
        assertTrue(longSample.share() <= 0.10, "share " + longSample.share());
        assertTrue(longSample.checks() >= 25, "about one check per 9 check-costs of training: " + longSample.checks());

        // Checks far cheaper than epochs: every epoch.
        Run cheap = simulate(50, 60, 1, 0.01);
        assertEquals(50, cheap.checks());
    }

    @Test
    void aRunThatAffordsOneCheckSpendsItOnItsLastEpoch() {
        // 30 epochs of 10 s, a 25 s check: without the reservation the one check fell at epoch 27.
        Run run = simulate(30, 10, 25, 0.01);
        assertEquals(List.of(30), run.checkedEpochs());
        assertTrue(run.share() <= 0.10, "share " + run.share());
        // One that affords several still ends with one.
        Run longer = simulate(200, 10, 25, 0.01);
        assertEquals(200, longer.checkedEpochs().get(longer.checks() - 1), longer.checkedEpochs().toString());
        assertTrue(longer.checks() >= 5 && longer.share() <= 0.10, longer.toString());
    }

    @Test
    void autoBoundHoldsAtEveryCheck() {
        EvalSchedule s = new EvalSchedule(EvalSchedule.AUTO, 1, 500);
        double cost = 5;
        for (int epoch = 1; epoch <= 500; epoch++) {
            s.trained(3 + epoch % 4); // epochs of varying length
            if (s.needsEstimate()) {
                s.estimated(cost);
            }
            if (s.due(epoch)) {
                s.checked(cost);
                assertTrue(s.checkSeconds() <= s.trainingSeconds() / EvalSchedule.TRAINING_PER_CHECK + 1e-9,
                        "epoch " + epoch + ": " + s.checkSeconds() + " s of checks on " + s.trainingSeconds());
            }
        }
    }
}
