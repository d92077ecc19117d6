/**
 * The fast engine: the WGAN steps' forward and backward passes on libnd4j's native ops, driven
 * directly on the DL4J graphs' own parameter and gradient arrays. Where oneDNN's natives load
 * on the CPU backend, the convolutions run on oneDNN primitives the engine makes once per shape
 * ({@link wgan.engine.fast.DnnlConvolution}: fp32 by default, bf16 with --precision bf16).
 *
 * <p>It replaces DL4J's {@code computeGradientAndScore} on the critic and chained graphs (the
 * graph engine, {@link wgan.engine.GraphEngine}) for training, because that path does more than
 * the reference: it computes the critic's weight gradients in every generator step and the image
 * gradient in every critic step, allocates through workspaces at every layer, and runs BatchNorm
 * and LeakyReLU as a dozen small ops. Doing only the reference's work, with buffers reused and
 * BatchNorm fused with its activation on Java's Vector API ({@link wgan.kernels}), made a
 * statefarm-64 generator iteration several times faster (docs/PERFORMANCE.md).
 *
 * <p>It never defines a network: {@link wgan.engine.fast.FastEngine#create} reads the graphs it is
 * given ({@code Stages}), checks every layer and setting its passes rely on, and refuses the rest
 * in one line naming the layer, so that the network trained is always the one saved and sampled.
 * {@code EngineEquivalenceTest} holds it to float64 within float rounding.
 */
package wgan.engine.fast;
