package wgan.train;

import wgan.config.AugmentOp;
import wgan.config.EngineKind;
import wgan.config.LossKind;
import wgan.config.Precision;
import org.nd4j.linalg.factory.Nd4j;
import wgan.engine.fast.DnnlConvolution;
import wgan.config.InputException;
import wgan.engine.Engine;
import wgan.engine.GraphEngine;
import wgan.engine.UnsupportedGraphException;
import wgan.engine.fast.FastEngine;
import wgan.model.GanNetworks;

import java.util.ArrayList;
import java.util.List;

/**
 * The engine for --engine and the networks, with the reason for the choice: the startup line
 * says "engine: fast (...)" or "engine: dl4j graph (... ; layer d2: DropoutLayer is not in the
 * fast engine)".
 */
public record EngineChoice(Engine engine, String line) {

    public static EngineChoice of(EngineKind kind, GanNetworks nets) {
        return of(kind, nets, null);
    }

    /**
     * @param fastOnly the option that needs the fast engine (the gradient penalty, augmentation),
     *                 or null: with it, the graph engine is never a fallback
     */
    public static EngineChoice of(EngineKind kind, GanNetworks nets, String fastOnly) {
        return of(kind, nets, fastOnly, Precision.fp32);
    }

    /**
     * With {@link Precision#bf16}: the fast engine on oneDNN's bf16 convolutions, never the graph
     * engine; refused (exit 2, one line) on the CUDA backend and on a CPU without native bf16.
     */
    public static EngineChoice of(EngineKind kind, GanNetworks nets, String fastOnly, Precision precision) {
        if (precision == Precision.bf16) {
            return bf16(kind, nets);
        }
        if (kind == EngineKind.graph) {
            if (fastOnly != null) {
                throw new InputException(fastOnly + " cannot run with --engine graph; use --engine auto or fast");
            }
            return graph(nets, "chosen with --engine graph");
        }
        try {
            Engine fast = FastEngine.create(nets);
            return new EngineChoice(fast, "engine: " + fast.description());
        } catch (UnsupportedGraphException e) {
            if (fastOnly != null) {
                throw new InputException(fastOnly + " needs the fast engine, which cannot run these networks: "
                        + e.getMessage());
            }
            if (kind == EngineKind.fast) {
                throw new InputException("--engine fast cannot run these networks: " + e.getMessage()
                        + "; use --engine graph (or auto)");
            }
            return graph(nets, e.getMessage());
        }
    }

    private static EngineChoice bf16(EngineKind kind, GanNetworks nets) {
        if (kind == EngineKind.graph) {
            throw new InputException("--precision bf16 cannot run with --engine graph; use --engine auto or fast");
        }
        requireBf16();
        try {
            Engine fast = FastEngine.create(nets, Precision.bf16);
            return new EngineChoice(fast, "engine: " + fast.description());
        } catch (UnsupportedGraphException e) {
            throw new InputException("--precision bf16 needs the fast engine, which cannot run these networks: "
                    + e.getMessage());
        }
    }

    /**
     * Refuses --precision bf16 (exit 2, one line) where it cannot run: the CUDA backend, a CPU
     * without AVX512-BF16 or AMX, a platform without oneDNN's natives.
     */
    public static void requireBf16() {
        if (!Nd4j.getEnvironment().isCPU()) {
            throw new InputException("--precision bf16 runs on the CPU backend (oneDNN's bf16 kernels); on a GPU use"
                    + " --precision fp32");
        }
        String unsupported = DnnlConvolution.bf16Unsupported();
        if (unsupported != null) {
            throw new InputException("--precision bf16: " + unsupported + "; use --precision fp32");
        }
    }

    /** The options of a run that only the fast engine computes, for {@link #of}; null if none. */
    public static String fastOnly(LossKind loss, List<AugmentOp> augment) {
        List<String> options = new ArrayList<>();
        if (loss == LossKind.WGAN_GP) {
            options.add("--loss wgan-gp");
        }
        if (!augment.isEmpty()) {
            options.add("--augment");
        }
        return options.isEmpty() ? null : String.join(" and ", options);
    }

    private static EngineChoice graph(GanNetworks nets, String why) {
        try {
            GraphEngine graph = new GraphEngine(nets);
            return new EngineChoice(graph, "engine: " + graph.description() + " (" + why + ")");
        } catch (UnsupportedGraphException e) {
            throw new InputException("no engine can train these networks: " + e.getMessage());
        }
    }
}
