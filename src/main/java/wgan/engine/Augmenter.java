package wgan.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A differentiable image transform applied to the fakes inside a generator pass (wgan.augment's
 * DiffAugment, with its random draws fixed for the pass): the engine runs the critic on
 * forward(fakes) and backpropagates backward(gradient) into the generator.
 */
public interface Augmenter {
    /** The transformed images; the array belongs to the augmenter until its next call. */
    INDArray forward(INDArray images);

    /** The gradient with respect to forward's input, given the gradient with respect to its output. */
    INDArray backward(INDArray outputGradient);
}
