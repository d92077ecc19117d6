package wgan.cli;

/** wgan's exit codes, listed in every command's --help and in README.md. */
public enum ExitCode {
    OK(0, "done"),
    INTERNAL(1, "internal error (a bug; WGAN_DEBUG=1 prints the stack trace)"),
    USAGE(2, "bad flags or input (missing or empty data folder, no usable image, bad checkpoint, an --out"
            + " folder wgan did not create or that holds a run, run folder in use, a backend or GPU this build"
            + " cannot use)"),
    DIVERGED(3, "training diverged (NaN or infinity)"),
    IO(4, "cannot write output (disk full, folder not writable, a run folder that cannot be created)"),
    INTERRUPTED(130, "interrupted (Ctrl-C)"),
    TERMINATED(143, "terminated (SIGTERM)");

    public final int code;
    public final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** For picocli's "Exit codes:" section of every command's --help. */
    static java.util.Map<String, String> helpList() {
        java.util.Map<String, String> list = new java.util.LinkedHashMap<>();
        for (ExitCode e : values()) {
            list.put(String.valueOf(e.code), e.meaning);
        }
        return list;
    }
}
