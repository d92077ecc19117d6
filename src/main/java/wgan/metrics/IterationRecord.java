package wgan.metrics;

/**
 * One line of metrics.jsonl: one generator iteration and the critic steps before it. Losses are
 * in the reference's sign: loss_d = D(real) - D(fake) (its negative is the Wasserstein
 * estimate), loss_g = D(G(z)). images_per_s counts real images the critic saw per wall second.
 * penalty is lambda * the gradient penalty of the last critic step, NaN (not written) with clipping.
 */
public record IterationRecord(int epoch, long genIter, int criticSteps, double lossD, double lossG,
                              double lossDReal, double lossDFake, double seconds, double imagesPerS,
                              double penalty) {
}
