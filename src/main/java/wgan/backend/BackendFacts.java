package wgan.backend;

import java.util.List;

/**
 * What wgan knows about the machine when it picks a backend. Gathered by {@link BackendStartup};
 * a plain value so that {@link BackendDecision} can be tested without a GPU.
 *
 * @param jar                what the running jar carries
 * @param gpusListed         whether gpus is a real list (nvidia-smi ran, or ND4J reported its devices)
 * @param driverVersion      the NVIDIA driver version nvidia-smi reported, or null
 * @param gpus               every GPU nvidia-smi lists (it ignores CUDA_VISIBLE_DEVICES)
 * @param cudaVisibleDevices the CUDA_VISIBLE_DEVICES variable, or null when unset
 * @param libraryError       why the CUDA libraries did not load, null when they loaded or were not tried
 */
public record BackendFacts(Backend jar, boolean gpusListed, String driverVersion, List<Gpu> gpus,
                           String cudaVisibleDevices, String libraryError) {

    public BackendFacts {
        gpus = List.copyOf(gpus);
    }

    /** The facts of a CPU jar: nothing about GPUs matters there. */
    public static BackendFacts cpuJar() {
        return new BackendFacts(Backend.CPU, false, null, List.of(), null, null);
    }

    public BackendFacts withLibraryError(String error) {
        return new BackendFacts(jar, gpusListed, driverVersion, gpus, cudaVisibleDevices, error);
    }
}
