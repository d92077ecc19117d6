package wgan.config;

/**
 * Which engine computes the training steps (--engine): auto takes the fast engine when it runs the
 * graphs and DL4J's own backprop otherwise; fast refuses graphs it cannot run; graph always uses
 * DL4J's backprop.
 */
public enum EngineKind {
    auto, fast, graph
}
