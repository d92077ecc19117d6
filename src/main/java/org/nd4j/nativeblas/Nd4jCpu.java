package org.nd4j.nativeblas;

/**
 * Compatibility shim for a DL4J 1.0.0-M2.1 bug; not part of ND4J.
 *
 * <p>DL4J's {@code BaseMKLDNNHelper.mklDnnEnabled()} decides whether its layers may hand
 * convolution and BatchNorm to libnd4j's native ops (which use oneDNN when the native build has
 * it) by calling {@code org.nd4j.nativeblas.Nd4jCpu$Environment.getInstance().isUseMKLDNN()}
 * through reflection. In M2.1 that class moved to
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu} and lost the method, so the look-up
 * fails and every ConvolutionLayer falls back to DL4J's Java im2col + gemm path (measured 3-4x
 * slower here). This class answers the look-up. It only says "helpers may be used": DL4J still
 * honours {@code Nd4j.getEnvironment().helpersAllowed()} before asking, and the native ops are
 * the same ones DL4J's Deconvolution2D layer always uses.
 */
public final class Nd4jCpu {
    private Nd4jCpu() {
    }

    /** The one method DL4J reflects on. */
    public static final class Environment {
        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        public boolean isUseMKLDNN() {
            return !"false".equalsIgnoreCase(System.getProperty("wgan.nativeConvolution", "true"));
        }
    }
}
