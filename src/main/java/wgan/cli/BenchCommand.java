package wgan.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import wgan.config.InputException;
import wgan.config.ModelConfig;
import wgan.io.Json;
import wgan.bench.Benchmark;
import wgan.bench.Profile;
import wgan.config.EngineKind;
import wgan.config.LossKind;
import wgan.engine.UnsupportedGraphException;
import wgan.config.Precision;

import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false,
        description = {"Times steady-state generator iterations (K=5 critic steps + 1 generator step, all the real work)",
                "on random images, with the statefarm-64 networks by default. Compare with the PyTorch peer,",
                "scripts/bench/torch_wgan.py (see README, wgan bench)."})
final class BenchCommand implements Callable<Integer> {
    static final int N_CRITIC = 5;

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    BatchSizeOption batch;

    @Option(names = "--iters", paramLabel = "N", defaultValue = "3", description = "Timed generator iterations.")
    int iters;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "1", description = "Untimed iterations first.")
    int warmup;

    @Option(names = "--loss", paramLabel = "NAME", defaultValue = "wgan-clip", converter = LossConverter.class,
            completionCandidates = LossConverter.Names.class,
            description = "${COMPLETION-CANDIDATES}: time clipping's steps (RMSprop) or the gradient penalty's (a critic"
                    + " without BatchNorm, Adam), as wgan train runs them.")
    LossKind loss;

    @Option(names = "--json", description = "Print one JSON line instead of the summary.")
    boolean json;

    @Option(names = "--profile", description = "Also time each phase of the steps and each layer's forward and backward.")
    boolean profile;

    @Mixin
    EngineOption engine;

    @Mixin
    PrecisionOption precision;

    @Mixin
    BackendOption backend;

    @Override
    public Integer call() {
        backend.start();
        int batchSize = batch.batchSize;
        if (iters < 1 || warmup < 0 || batchSize < 1) {
            throw new InputException("--iters and --batch-size must be 1 or more and --warmup 0 or more");
        }
        ModelConfig model = modelOptions.toConfig();
        if (profile && engine.engine == EngineKind.graph) {
            throw new InputException("--profile times the fast engine's layers; it cannot be used with --engine graph");
        }
        if (profile && loss == LossKind.WGAN_GP) {
            throw new InputException("--profile times clipping's steps; leave out --loss wgan-gp");
        }
        Benchmark.Result r = Benchmark.run(model, batch.batchSize, N_CRITIC, warmup, iters, engine.engine, loss,
                precision.precision, line -> System.err.println("wgan: " + line));
        if (json) {
            System.out.println(Json.line(r.toMap()));
        } else {
            System.out.printf("%dx%dx%d batch %d: %.3f generator iterations/s (%.2f s each): critic step %.0f ms,"
                            + " generator step %.0f ms; backend %s, %s threads; engine %s; peak RSS %d MB%n",
                    model.imageSize(), model.imageSize(), model.channels(), batchSize, r.genItersPerS(), 1 / r.genItersPerS(),
                    r.criticStepMs(), r.generatorStepMs(), r.backend().get("name"), r.backend().get("threads"),
                    r.engine(), r.peakRssMb());
        }
        if (profile) {
            try {
                System.out.print(Profile.report(model, batchSize, precision.precision));
            } catch (UnsupportedGraphException e) {
                throw new InputException("--profile times the fast engine's layers, which cannot run these networks: "
                        + e.getMessage());
            }
        }
        return ExitCode.OK.code;
    }
}
