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
        EvalSchedule every3 = new EvalSchedule(3);
        List<Integer> due = new ArrayList<>();
        for (int epoch = 1; epoch <= 10; epoch++) {
            if (every3.due(epoch)) {
                due.add(epoch);
            }
        }
        assertEquals(List.of(3, 6, 9), due);
        EvalSchedule never = new EvalSchedule(0);
        for (int epoch = 1; epoch <= 10; epoch++) {
            assertFalse(never.due(epoch));
        }
    }

    /** A run: epochs of `epochSeconds` of training, checks costing `checkSeconds`, a report each epoch. */
    private record Run(int checks, double share, List<Integer> checkedEpochs) {
    }

    private static Run simulate(int epochs, double epochSeconds, double checkSeconds, double reportSeconds) {
        EvalSchedule s = new EvalSchedule(EvalSchedule.AUTO);
        List<Integer> checked = new ArrayList<>();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            s.trained(epochSeconds);
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
    void autoChecksTheFirstEpochThenKeepsChecksToATenthOfTheWallTime() {
        // State Farm-sized: 3-minute epochs, a 40 s check: about one check every other epoch.
        Run statefarm = simulate(20, 180, 40, 0.05);
        assertEquals(1, statefarm.checkedEpochs().get(0), "the first epoch is checked");
        assertTrue(statefarm.share() <= 0.10, "share " + statefarm.share());
        assertTrue(statefarm.checks() >= 7, "checks are not starved: " + statefarm.checkedEpochs());

        // The sample: 4 s epochs and a check as long as an epoch: rare checks, same bound once amortised.
        Run sample = simulate(1000, 4, 4, 0.02);
        assertTrue(sample.share() <= 0.10, "share " + sample.share());
        assertTrue(sample.checks() >= 90, "about one check per 9 check-costs of training: " + sample.checks());

        // Checks far cheaper than epochs: every epoch.
        Run cheap = simulate(50, 60, 1, 0.01);
        assertEquals(50, cheap.checks());
    }

    @Test
    void autoBoundHoldsAtEveryCheckAfterTheFirst() {
        EvalSchedule s = new EvalSchedule(EvalSchedule.AUTO);
        double cost = 5;
        for (int epoch = 1; epoch <= 500; epoch++) {
            s.trained(3 + epoch % 4); // epochs of varying length
            if (s.due(epoch)) {
                s.checked(cost);
                if (epoch > 1) {
                    assertTrue(s.checkSeconds() <= s.trainingSeconds() / EvalSchedule.TRAINING_PER_CHECK + 1e-9,
                            "epoch " + epoch + ": " + s.checkSeconds() + " s of checks on " + s.trainingSeconds());
                }
            }
        }
    }
}
