/**
 * The training loop of the WGAN reference ({@link wgan.train.Trainer}, reading top to bottom), its
 * steps ({@link wgan.train.WganSteps}, the same on either engine), the critic schedule, stops,
 * rollbacks and checkpoints, and the choice of engine ({@link wgan.train.EngineChoice}).
 */
package wgan.train;
