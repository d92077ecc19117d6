package wgan.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ScheduleTest {
    @Test
    void burstsOfHundredAtStartAndEveryFiveHundredth() {
        for (int i = 0; i < 25; i++) {
            assertEquals(100, Schedule.criticStepsBefore(i, 5), "iteration " + i);
        }
        assertEquals(5, Schedule.criticStepsBefore(25, 5));
        assertEquals(5, Schedule.criticStepsBefore(499, 5));
        assertEquals(100, Schedule.criticStepsBefore(500, 5));
        assertEquals(5, Schedule.criticStepsBefore(501, 5));
        assertEquals(100, Schedule.criticStepsBefore(1000, 5));
        assertEquals(3, Schedule.criticStepsBefore(1001, 3));
    }
}
