package wgan.train;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Whether the Java Vector API kernels ({@link VectorKernels}) can run in this JVM: the incubating
 * jdk.incubator.vector module is loaded (scripts/wgan adds it for train and bench) and ND4J's
 * arrays live in CPU memory (not on a GPU). Kept apart from VectorKernels, whose class cannot
 * even load without the module.
 */
final class VectorApi {
    private static final boolean USABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && Nd4j.getBackend().getClass().getSimpleName().startsWith("Cpu");

    private VectorApi() {
    }

    static boolean usable() {
        return USABLE;
    }
}
