package wgan.cli;

import picocli.CommandLine.Option;
import wgan.config.EngineKind;

/** --engine, for the commands that train (train, bench): @Mixin. */
final class EngineOption {
    @Option(names = "--engine", paramLabel = "NAME", defaultValue = "auto",
            description = "${COMPLETION-CANDIDATES}: fast drives libnd4j's ops directly and refuses networks it cannot"
                    + " run; graph is DL4J's own backprop on the graphs; auto takes fast when it runs the networks."
                    + " The startup line says which and why.")
    EngineKind engine;
}
