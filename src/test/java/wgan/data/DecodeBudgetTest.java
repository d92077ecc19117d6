package wgan.data;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The decoders' shared memory budget: what the threads hold together never exceeds it. */
class DecodeBudgetTest {

    @Test
    void secondDecodeWaitsWhileTheFirstHoldsTooMuch() throws Exception {
        DecodeBudget budget = new DecodeBudget(10 << 20);
        DecodeBudget.Reservation first = budget.reserve(8 << 20);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread second = new Thread(() -> {
            started.countDown();
            try (DecodeBudget.Reservation r = budget.reserve(8 << 20)) {
                done.countDown();
            }
        });
        second.start();
        started.await();
        assertFalse(done.await(300, TimeUnit.MILLISECONDS), "8 + 8 MB do not fit in 10 MB");
        first.close();
        assertTrue(done.await(5, TimeUnit.SECONDS), "runs once the first is done");
        second.join();
    }

    @Test
    void imageLargerThanTheBudgetRunsAlone() throws Exception {
        DecodeBudget budget = new DecodeBudget(1 << 20);
        try (DecodeBudget.Reservation huge = budget.reserve(50L << 20)) {
            // it got the whole budget instead of waiting for more than exists
            Thread small = new Thread(() -> budget.reserve(1024).close());
            small.start();
            small.join(300);
            assertTrue(small.isAlive(), "nothing else runs beside it");
            huge.close();
            small.join(5000);
            assertFalse(small.isAlive());
        }
    }

    @Test
    void manyThreadsNeverHoldMoreThanTheBudget() throws Exception {
        DecodeBudget budget = new DecodeBudget(4 << 20);
        AtomicLong held = new AtomicLong();
        AtomicLong peak = new AtomicLong();
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            long need = (1 + t % 3) << 20;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 50; i++) {
                    try (DecodeBudget.Reservation r = budget.reserve(need)) {
                        peak.accumulateAndGet(held.addAndGet(need), Math::max);
                        Thread.onSpinWait();
                        held.addAndGet(-need);
                    }
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertTrue(peak.get() <= budget.bytes(), "peak " + peak.get());
        assertEquals(0, held.get());
    }

    @Test
    void decodeEstimateFollowsTheHeader() {
        // a 640x480 baseline JPEG bound for 64x64 is decoded at 160x120
        assertEquals(160 * 120 * 3, new ImageHeader(ImageHeader.Format.JPEG, 640, 480, 3, false).decodeBytes(64));
        // a progressive one also holds libjpeg's full-size coefficients
        assertEquals(160 * 120 * 3 + 640 * 480 * 3 * 2,
                new ImageHeader(ImageHeader.Format.JPEG, 640, 480, 3, true).decodeBytes(64));
        // the 32,000 x 32,000 PNG bomb: 3 GB as 8-bit BGR
        assertEquals(3L * 32_000 * 32_000, new ImageHeader(ImageHeader.Format.PNG, 32_000, 32_000, 0, false).decodeBytes(64));
    }
}
