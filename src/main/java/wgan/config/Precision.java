package wgan.config;

/**
 * What the convolutions compute in (--precision). fp32: float32 throughout (libnd4j's ops). bf16:
 * the convolutions' forward and both backward passes on oneDNN's bfloat16 kernels, with bfloat16
 * inputs and float32 results; master weights, clipping, optimiser state, BatchNorm and its
 * statistics, activations, the loss and the penalty stay float32. Needs the fast engine, the CPU
 * backend and a CPU with AVX512-BF16 or AMX-BF16.
 */
public enum Precision {
    fp32, bf16
}
