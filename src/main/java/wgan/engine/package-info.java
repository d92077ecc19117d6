/**
 * What a WGAN step computes on the networks ({@link wgan.engine.Engine}: a critic pass, fakes, a
 * generator pass, gradients in flat arrays), and the engine that computes it with DL4J's own
 * backprop on the graphs ({@link wgan.engine.GraphEngine}), which runs any graph DL4J can run, in
 * float32 or float64. The fast engine is in {@link wgan.engine.fast}; wgan.train picks one.
 */
package wgan.engine;
