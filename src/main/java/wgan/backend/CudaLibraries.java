package wgan.backend;

/**
 * Loads the CUDA libraries ND4J's CUDA build needs, before ND4J does. ND4J prints a stack trace and
 * leaves its Nd4j class unusable when they are missing; loading JavaCPP's CUDA bindings first turns
 * that into one message. The classes exist only in the CUDA jar, hence the look-up by name.
 */
final class CudaLibraries {
    /** Driver + runtime (libcuda.so.1, libcudart.so.11.0), cuBLAS, and cuDNN 8 for the -cudnn build. */
    private static final String[] BINDINGS = {
            "org.bytedeco.cuda.global.cudart", "org.bytedeco.cuda.global.cublas", "org.bytedeco.cuda.global.cudnn"};

    private CudaLibraries() {
    }

    /** Null when every library loaded; else the loader's reason, e.g. "libcudnn.so.8: cannot open ...". */
    static String loadError() {
        for (String binding : BINDINGS) {
            try {
                Class.forName(binding, true, CudaLibraries.class.getClassLoader());
            } catch (ReflectiveOperationException | LinkageError e) {
                return reason(e);
            }
        }
        return null;
    }

    /** The innermost cause's first line, without the JavaCPP cache path before the library name. */
    static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = String.valueOf(root.getMessage()).lines().findFirst().orElse("");
        int lastPath = message.lastIndexOf(".so: ");
        return lastPath >= 0 ? message.substring(lastPath + ".so: ".length()) : message;
    }
}
