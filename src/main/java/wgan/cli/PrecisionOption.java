package wgan.cli;

import picocli.CommandLine.Option;
import wgan.config.Precision;

/** --precision, for the commands that train (train, bench): @Mixin. */
final class PrecisionOption {
    @Option(names = "--precision", paramLabel = "P", defaultValue = "fp32",
            description = "${COMPLETION-CANDIDATES}: what the convolutions compute in. bf16 runs them (forward and both"
                    + " backward passes) on oneDNN's bfloat16 kernels with float32 results; weights, optimiser state,"
                    + " BatchNorm, the loss and the penalty stay float32. bf16 needs the fast engine, the CPU backend"
                    + " and a CPU with AVX512-BF16 or AMX (exit 2 otherwise).")
    Precision precision;
}
