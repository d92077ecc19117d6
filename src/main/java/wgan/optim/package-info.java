/**
 * The optimisers of the PyTorch reference (RMSprop alpha 0.99, eps 1e-8 with its average starting
 * at zero; Adam), applied to a whole flat parameter vector. DL4J's own updaters differ in their
 * first steps, which matters for a WGAN's tiny clipped weights.
 */
package wgan.optim;
