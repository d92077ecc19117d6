package wgan.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import wgan.backend.BackendRequest;
import wgan.backend.BackendStartup;

/** --backend, for every command that computes: include with @Mixin and call {@link #start} first. */
final class BackendOption {
    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "auto",
            description = "${COMPLETION-CANDIDATES}: auto is what this jar carries (CPU, or CUDA when built with"
                    + " WGAN_BACKEND=cuda / mvn -Pcuda).")
    BackendRequest backend;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** Checks the backend can run, starts ND4J on it and prints one line on stderr saying what it runs on. */
    void start() {
        command.commandLine().getErr().println("wgan: " + BackendStartup.start(backend));
    }
}
