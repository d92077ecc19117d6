package wgan.kernels;

import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Splits a loop over the batch into one fixed range per thread: the caller runs the first, daemon
 * threads the others. Fixed ranges and in-order combination keep sums reproducible.
 */
public final class Parallel {
    interface RangeTask {
        void run(int from, int to);
    }

    interface SumTask {
        /** Adds this range's contributions into acc. */
        void run(int from, int to, double[] acc);
    }

    private static Parallel shared;

    private final int threads;
    private final ExecutorService helpers;

    /** One set of worker threads for every fused kernel: as many threads as ND4J's own ops use. */
    public static synchronized Parallel shared() {
        if (shared == null) {
            shared = new Parallel(Nd4j.getEnvironment().maxMasterThreads());
        }
        return shared;
    }

    public Parallel(int threads) {
        this.threads = Math.max(1, threads);
        this.helpers = this.threads == 1 ? null : Executors.newFixedThreadPool(this.threads - 1, r -> {
            Thread t = new Thread(r, "wgan-kernels");
            t.setDaemon(true);
            return t;
        });
    }

    void forRanges(int n, RangeTask task) {
        int parts = Math.min(threads, n);
        List<Future<?>> others = new ArrayList<>(parts - 1);
        for (int p = 1; p < parts; p++) {
            int from = bound(n, parts, p);
            int to = bound(n, parts, p + 1);
            others.add(helpers.submit(() -> task.run(from, to)));
        }
        task.run(0, bound(n, parts, 1));
        await(others);
    }

    /** Runs the task per range, each into its own accumulator, and adds those in range order. */
    double[] sumOverRanges(int n, int width, SumTask task) {
        int parts = Math.min(threads, n);
        double[][] acc = new double[parts][width];
        forRanges(parts, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                task.run(bound(n, parts, p), bound(n, parts, p + 1), acc[p]);
            }
        });
        double[] total = acc[0];
        for (int p = 1; p < parts; p++) {
            for (int i = 0; i < width; i++) {
                total[i] += acc[p][i];
            }
        }
        return total;
    }

    private static int bound(int n, int parts, int p) {
        return (int) ((long) n * p / parts);
    }

    private static void await(List<Future<?>> futures) {
        try {
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
