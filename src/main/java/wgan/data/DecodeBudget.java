package wgan.data;

import java.util.concurrent.Semaphore;

/**
 * The memory the decoder threads may hold together. Before a decode starts it reserves what
 * {@link ImageHeader#decodeBytes} and the file's size say it will hold at its peak, and waits
 * while the other threads hold too much; an image that needs more than the whole budget runs
 * alone. So however many cores decode, a folder of 100-megapixel PNGs cannot take more than the
 * budget (or one image's need, if larger).
 */
final class DecodeBudget {
    /** 1 GiB: room for both decoders of a 2-core machine on any photo, and for a 100-megapixel PNG (300 MB decoded). */
    static final long DEFAULT_BYTES = 1L << 30;
    private static final int UNIT = 1 << 10; // permits count KiB: a budget of up to 2 TiB fits an int

    private final Semaphore permits;
    private final int total;

    DecodeBudget(long bytes) {
        this.total = (int) Math.min(Integer.MAX_VALUE, Math.max(1, bytes / UNIT));
        this.permits = new Semaphore(total, true);
    }

    long bytes() {
        return (long) total * UNIT;
    }

    /** Held memory, given back on (the first) close. */
    final class Reservation implements AutoCloseable {
        private final int n;
        private boolean released;

        private Reservation(int n) {
            this.n = n;
        }

        @Override
        public synchronized void close() {
            if (!released) {
                released = true;
                permits.release(n);
            }
        }
    }

    /** Waits until the bytes fit beside what the other decodes hold; at most the whole budget is taken. */
    Reservation reserve(long bytes) {
        int n = (int) Math.max(1, Math.min(total, (bytes + UNIT - 1) / UNIT));
        permits.acquireUninterruptibly(n);
        return new Reservation(n);
    }
}
