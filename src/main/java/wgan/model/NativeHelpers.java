package wgan.model;

/**
 * Lets DL4J's layers run convolution and BatchNorm through libnd4j's native (oneDNN) ops.
 *
 * <p>DL4J 1.0.0-M2.1 turns these "helpers" off by default (system property
 * {@value #DISABLE_PROPERTY} defaults to true), and then its ConvolutionLayer and BatchNormalization
 * fall back to Java im2col + gemm and many small ops: the critic's forward and backward took
 * ~3 s instead of ~0.3 s per batch of 64 here. See also org.nd4j.nativeblas.Nd4jCpu, the shim
 * that answers DL4J's second, broken check. A user can still force them off with
 * -Dorg.eclipse.deeplearning4j.helpers.disable=true.
 */
public final class NativeHelpers {
    static final String DISABLE_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";

    private NativeHelpers() {
    }

    /** Must run before the first layer is built: layers pick their helper in their constructor. */
    public static void enable() {
        if (System.getProperty(DISABLE_PROPERTY) == null) {
            System.setProperty(DISABLE_PROPERTY, "false");
        }
    }

    /**
     * Leaves DL4J's helpers off unless the user chose: on CUDA, DL4J M2.1 looks for them only in
     * deeplearning4j-cuda (which exists for no CUDA 11.x), logs a warning per layer and falls back.
     * Must run before {@link #enable}.
     */
    public static void keepOff() {
        if (System.getProperty(DISABLE_PROPERTY) == null) {
            System.setProperty(DISABLE_PROPERTY, "true");
        }
    }

    public static boolean enabled() {
        return "false".equalsIgnoreCase(System.getProperty(DISABLE_PROPERTY));
    }
}
