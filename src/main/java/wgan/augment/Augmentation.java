package wgan.augment;

import java.util.function.IntFunction;

/**
 * DiffAugment as the training steps use it: the transform and where each application's draws
 * come from (for n images). Training draws from the run's noise generator; tests give fixed draws.
 */
public record Augmentation(DiffAugment augment, IntFunction<DiffAugment.Draws> draws) {
}
