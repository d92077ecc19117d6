/**
 * Float32 loops on Java's incubating Vector API for the memory-bound work around the
 * convolutions (BatchNorm moments and normalisation fused with the activation, their backward,
 * RMSprop), split over the cores. {@link wgan.kernels.VectorApi#usable} says whether they can run
 * (module loaded, CPU backend); callers keep libnd4j's ops otherwise.
 */
package wgan.kernels;
