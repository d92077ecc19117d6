package wgan.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a WGAN step needs computed on the networks of a {@link wgan.model.GanNetworks}: forward
 * and backward passes, gradients in flat arrays laid out like each graph's params(). The step
 * itself (clipping, summing the two critic passes, the optimiser updates) is the caller's, so
 * every engine runs the same algorithm.
 *
 * <p>Two engines implement it: {@link GraphEngine} (DL4J's own backprop on the graphs, any graph
 * DL4J can run) and wgan.engine.fast.FastEngine (libnd4j's ops driven directly, for the graphs
 * it can read). Both update BatchNorm running statistics at every training-mode forward, as
 * PyTorch does, and never write the running statistics' entries of the gradients (they stay 0,
 * so the optimisers leave those parameters alone).
 */
public interface Engine {

    /** One line for the console and options.json, e.g. "fast (libnd4j ops, Vector API kernels on)". */
    String description();

    /**
     * Forward and backward of sign * mean D(images) through the critic in training mode: every
     * learned critic parameter's gradient is written (overwritten) into {@link #criticGradient()}.
     * Returns sign * mean D(images).
     */
    double criticPass(INDArray images, int sign);

    /**
     * As {@link #criticPass(INDArray, int)} for a conditional critic: labels are the images'
     * classes, one-hot [n, K] (null for an unconditional critic).
     */
    double criticPass(INDArray images, INDArray labels, int sign);

    /**
     * The generator's output for noise [n, nz, 1, 1] in training mode (batch statistics; running
     * statistics updated), not backpropagated. The array belongs to the engine: valid until its
     * next call, never closed by the caller.
     */
    INDArray fakes(INDArray noise);

    /**
     * The generator step's gradient: forward of mean D(G(noise)) with both networks in training
     * mode, backward into {@link #generatorGradient()} (the critic's weights get no update).
     * Returns mean D(G(noise)).
     */
    double generatorPass(INDArray noise);

    /**
     * As {@link #generatorPass(INDArray)}, with the critic scoring augmenter.forward(G(noise)) and
     * the gradient going back through augmenter.backward into the generator.
     *
     * @throws UnsupportedGraphException where the engine cannot put a transform between the networks
     */
    double generatorPass(INDArray noise, Augmenter augmenter);

    /**
     * The generator pass of a conditional pair: input is the generator's [n, nz + K, 1, 1] (noise,
     * then the one-hot class code), labels the same classes one-hot [n, K] for the critic;
     * augmenter may be null.
     */
    double generatorPass(INDArray input, INDArray labels, Augmenter augmenter);

    /**
     * The gradient penalty of Gulrajani et al. on interpolated images (which it may overwrite):
     * returns weight * mean_n (||grad_x D(x_n)||_2 - 1)^2 and writes its gradient with respect to
     * the critic's weights (overwritten) into {@link #criticGradient()}.
     *
     * @throws UnsupportedGraphException where the engine cannot differentiate a gradient
     */
    double gradientPenalty(INDArray interpolates, double weight);

    /** As {@link #gradientPenalty(INDArray, double)} with the conditional critic scoring each interpolate as labels say. */
    double gradientPenalty(INDArray interpolates, INDArray labels, double weight);

    /** Flat gradient of the critic, laid out like the critic graph's params(). */
    INDArray criticGradient();

    /** Flat gradient of the generator, laid out like the generator graph's params(). */
    INDArray generatorGradient();
}
