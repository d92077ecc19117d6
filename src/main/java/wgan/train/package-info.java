/**
 * The training loop of the WGAN reference ({@link wgan.train.Trainer}, reading top to bottom), its
 * steps ({@link wgan.train.WganSteps}, the same on either engine), the critic schedule, stops,
 * rollbacks and checkpoints, the choice of engine ({@link wgan.train.EngineChoice}) and the EMA
 * generator that grids, the quality check and sampling use ({@link wgan.train.EmaGenerator}).
 */
package wgan.train;
