package wgan.metrics;

import java.io.PrintStream;

/**
 * The live training status: on a terminal one line rewritten in place (twice a second at most);
 * elsewhere (a log file, a batch job) a plain line every 30 seconds. Shows the epoch and its
 * progress, generator iterations, critic steps/s, images/s, the run's ETA, the smoothed
 * Wasserstein estimate (-loss_d) and loss_g.
 */
public final class StatusLine {
    private static final long TERMINAL_EVERY_NANOS = 500_000_000L;
    private static final long PLAIN_EVERY_NANOS = 30_000_000_000L;
    /** Weight of the newest critic step in the smoothed estimate. */
    private static final double SMOOTHING = 0.05;

    private final PrintStream out;
    private final boolean terminal;
    private final int epochs;
    private final long batchesPerEpoch;
    private final long startNanos = System.nanoTime();
    private final long batchesAtStart;
    private long lastPrintNanos = System.nanoTime();
    private long stepsSincePrint;
    private long imagesSincePrint;
    private double wasserstein = Double.NaN;
    private double lossG = Double.NaN;
    private int shownLength;

    /** @param batchesDone critic batches already done by the run (a resumed run starts above 0) */
    public StatusLine(PrintStream out, boolean terminal, int epochs, long batchesPerEpoch, long batchesDone) {
        this.out = out;
        this.terminal = terminal;
        this.epochs = epochs;
        this.batchesPerEpoch = batchesPerEpoch;
        this.batchesAtStart = batchesDone;
    }

    /** After each critic step; prints when it is time. */
    public void criticStep(double lossD, long images, int epoch, long batchInEpoch, long generatorIterations) {
        wasserstein = Double.isNaN(wasserstein) ? -lossD : (1 - SMOOTHING) * wasserstein - SMOOTHING * lossD;
        stepsSincePrint++;
        imagesSincePrint += images;
        long now = System.nanoTime();
        if (now - lastPrintNanos >= (terminal ? TERMINAL_EVERY_NANOS : PLAIN_EVERY_NANOS)) {
            show(format(epoch, batchInEpoch, generatorIterations, (now - lastPrintNanos) / 1e9, now));
            lastPrintNanos = now;
            stepsSincePrint = 0;
            imagesSincePrint = 0;
        }
    }

    public void generatorStep(double lossG) {
        this.lossG = lossG;
    }

    /** Prints a line of its own (an epoch summary), keeping the status line below it on a terminal. */
    public void println(String line) {
        clear();
        out.println(line);
    }

    /** Removes the status line from a terminal, before the program prints its last words. */
    public void clear() {
        if (terminal && shownLength > 0) {
            out.print("\r" + " ".repeat(shownLength) + "\r");
            out.flush();
            shownLength = 0;
        }
    }

    private String format(int epoch, long batchInEpoch, long generatorIterations, double seconds, long now) {
        long done = (epoch - 1L) * batchesPerEpoch + batchInEpoch;
        long total = epochs * batchesPerEpoch;
        double rate = (done - batchesAtStart) / ((now - startNanos) / 1e9);
        String eta = rate > 0 ? duration((total - done) / rate) : "?";
        return String.format("epoch %d/%d %3.0f%%  gen_iter %d  %.2f critic steps/s  %.0f images/s  ETA %s"
                        + "  W %.5f  loss_g %.5f", epoch, epochs, 100.0 * batchInEpoch / batchesPerEpoch,
                generatorIterations, stepsSincePrint / seconds, imagesSincePrint / seconds, eta, wasserstein, lossG);
    }

    private void show(String line) {
        if (terminal) {
            String padded = line.length() < shownLength ? line + " ".repeat(shownLength - line.length()) : line;
            out.print("\r" + padded);
            out.flush();
            shownLength = line.length();
        } else {
            out.println(line);
        }
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
