package wgan.kernels;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Whether the Java Vector API kernels ({@link VectorKernels}) can run in this JVM: the incubating
 * jdk.incubator.vector module is loaded (scripts/wgan adds it for train and bench) and ND4J's
 * arrays live in CPU memory (not on a GPU). Kept apart from VectorKernels, whose class cannot
 * even load without the module. The system property wgan.vector=false turns them off (tests use it
 * to run the libnd4j op path, which CUDA and a JVM without the module take).
 */
public final class VectorApi {
    public static final String OFF_PROPERTY = "wgan.vector";
    private static final boolean PRESENT = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && Nd4j.getBackend().getClass().getSimpleName().startsWith("Cpu");

    private VectorApi() {
    }

    /** Decided when a pass or optimiser is built; it keeps its choice. */
    public static boolean usable() {
        return PRESENT && !"false".equals(System.getProperty(OFF_PROPERTY));
    }
}
