package wgan.train;

import wgan.config.EngineKind;
import wgan.config.InputException;
import wgan.engine.Engine;
import wgan.engine.GraphEngine;
import wgan.engine.UnsupportedGraphException;
import wgan.engine.fast.FastEngine;
import wgan.model.GanNetworks;

/**
 * The engine for --engine and the networks, with the reason for the choice: the startup line
 * says "engine: fast (...)" or "engine: dl4j graph (... ; layer d2: DropoutLayer is not in the
 * fast engine)".
 */
public record EngineChoice(Engine engine, String line) {

    public static EngineChoice of(EngineKind kind, GanNetworks nets) {
        return of(kind, nets, false);
    }

    /** @param penalty whether the steps need the gradient penalty, which only the fast engine computes */
    public static EngineChoice of(EngineKind kind, GanNetworks nets, boolean penalty) {
        if (kind == EngineKind.graph) {
            if (penalty) {
                throw new InputException("--loss wgan-gp cannot run with --engine graph: " + GraphEngine.PENALTY_NEEDS_FAST_ENGINE
                        + "; use --engine auto or fast");
            }
            return graph(nets, "chosen with --engine graph");
        }
        try {
            Engine fast = FastEngine.create(nets);
            return new EngineChoice(fast, "engine: " + fast.description());
        } catch (UnsupportedGraphException e) {
            if (penalty) {
                throw new InputException("--loss wgan-gp needs the fast engine, which cannot run these networks: "
                        + e.getMessage());
            }
            if (kind == EngineKind.fast) {
                throw new InputException("--engine fast cannot run these networks: " + e.getMessage()
                        + "; use --engine graph (or auto)");
            }
            return graph(nets, e.getMessage());
        }
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
