package wgan.train;

/**
 * Set from a signal handler (Ctrl-C, SIGTERM); the training loop polls it between steps, writes a
 * checkpoint and returns, so the process can exit with the code the signal asks for.
 */
public final class StopRequest {
    private volatile int exitCode;

    /** @return true the first time, false if a stop was already requested */
    public boolean request(int code) {
        boolean first = exitCode == 0;
        if (first) {
            exitCode = code;
        }
        return first;
    }

    public boolean requested() {
        return exitCode != 0;
    }

    public int exitCode() {
        return exitCode;
    }
}
