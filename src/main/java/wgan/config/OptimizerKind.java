package wgan.config;

/** The optimisers of the WGAN reference: RMSprop by default, Adam(beta1 0.5, beta2 0.999) with --adam. */
public enum OptimizerKind {
    rmsprop, adam
}
