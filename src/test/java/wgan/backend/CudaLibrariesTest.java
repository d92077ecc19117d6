package wgan.backend;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CudaLibrariesTest {
    @Test
    void loaderErrorsKeepTheMissingLibrary() {
        UnsatisfiedLinkError e = new UnsatisfiedLinkError("/root/.javacpp/cache/cuda.jar/org/bytedeco/cuda/"
                + "linux-x86_64/libjnicudart.so: libcuda.so.1: cannot open shared object file: No such file or directory");
        assertEquals("libcuda.so.1: cannot open shared object file: No such file or directory",
                CudaLibraries.reason(new RuntimeException(e)));
    }
}
