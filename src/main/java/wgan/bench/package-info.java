/**
 * {@code wgan bench}: steady-state timing of the real training steps on random images, and its
 * per-phase and per-layer profile of the fast engine. Compared with scripts/bench/torch_wgan.py.
 */
package wgan.bench;
