package wgan.backend;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backend choice on made-up machines: no GPU needed. */
class BackendDecisionTest {
    private static final Gpu RTX_3090 = new Gpu(0, "NVIDIA GeForce RTX 3090", 8, 6, 24576);
    private static final Gpu RTX_4090 = new Gpu(1, "NVIDIA GeForce RTX 4090", 8, 9, 24564);
    private static final Gpu H100 = new Gpu(0, "NVIDIA H100 PCIe", 9, 0, 81559);
    private static final Gpu K80 = new Gpu(0, "Tesla K80", 3, 7, 11441);
    private static final Gpu K40 = new Gpu(0, "Tesla K40m", 3, 5, 11441);
    private static final String DRIVER = "535.54.03";

    private static BackendFacts cuda(List<Gpu> gpus) {
        return new BackendFacts(Backend.CUDA, true, DRIVER, gpus, null, null);
    }

    private static BackendDecision.Use use(BackendRequest request, BackendFacts facts) {
        return assertInstanceOf(BackendDecision.Use.class, BackendDecision.decide(request, facts));
    }

    private static String refusal(BackendRequest request, BackendFacts facts) {
        String message = assertInstanceOf(BackendDecision.Refuse.class, BackendDecision.decide(request, facts))
                .message();
        assertFalse(message.contains("\n"), "one line: " + message);
        return message;
    }

    @Test
    void cpuJarRunsOnCpuForAutoAndCpu() {
        assertEquals(Backend.CPU, use(BackendRequest.auto, BackendFacts.cpuJar()).backend());
        assertEquals(Backend.CPU, use(BackendRequest.cpu, BackendFacts.cpuJar()).backend());
    }

    @Test
    void cudaFromCpuJarTellsHowToBuildTheCudaJar() {
        String m = refusal(BackendRequest.cuda, BackendFacts.cpuJar());
        assertTrue(m.contains("WGAN_BACKEND=cuda") && m.contains("mvn -Pcuda"), m);
    }

    @Test
    void cpuFromCudaJarExplainsTheClasspath() {
        String m = refusal(BackendRequest.cpu, cuda(List.of(RTX_3090)));
        assertTrue(m.contains("classpath") && m.contains("without WGAN_BACKEND=cuda"), m);
    }

    @Test
    void supportedGpusRunForAutoAndCuda() {
        assertEquals(List.of(RTX_3090), use(BackendRequest.auto, cuda(List.of(RTX_3090))).devices());
        assertEquals(Backend.CUDA, use(BackendRequest.cuda, cuda(List.of(RTX_3090))).backend());
        assertEquals(Backend.CUDA, use(BackendRequest.cuda, cuda(List.of(K80))).backend());
        // Ada runs the 8.6 machine code: same major version.
        assertEquals(Backend.CUDA, use(BackendRequest.cuda, cuda(List.of(RTX_4090))).backend());
    }

    @Test
    void hopperAndNewerAreRefusedWithTheCpuWayOut() {
        String m = refusal(BackendRequest.auto, cuda(List.of(H100)));
        assertTrue(m.contains("H100") && m.contains("9.0") && m.contains("3.7 to 8.9"), m);
        assertTrue(m.contains("without WGAN_BACKEND=cuda"), m);
        refusal(BackendRequest.cuda, cuda(List.of(new Gpu(0, "NVIDIA B200", 10, 0, 183359))));
    }

    @Test
    void tooOldGpuIsRefused() {
        assertTrue(refusal(BackendRequest.cuda, cuda(List.of(K40))).contains("3.5"));
    }

    @Test
    void mixedMachineSuggestsTheGpusThatWork() {
        Gpu ampere = new Gpu(1, "NVIDIA A100", 8, 0, 40960);
        String m = refusal(BackendRequest.auto, cuda(List.of(H100, ampere)));
        assertTrue(m.contains("CUDA_VISIBLE_DEVICES=1"), m);
        BackendFacts onlyAmpere = new BackendFacts(Backend.CUDA, true, DRIVER, List.of(H100, ampere), "1", null);
        assertEquals(List.of(ampere), use(BackendRequest.auto, onlyAmpere).devices());
    }

    @Test
    void visibleDevicesFollowCudaRules() {
        List<Gpu> two = List.of(RTX_3090, RTX_4090);
        assertEquals(List.of(RTX_4090, RTX_3090), visible(two, "1,0"));
        assertEquals(List.of(RTX_4090), visible(two, "1,7,0")); // CUDA stops at the first invalid entry
        assertEquals(List.of(), visible(two, "-1"));
        assertEquals(List.of(), visible(two, ""));
        assertEquals(two, visible(two, "GPU-8c1a0f7e-1234"));
        assertEquals(two, visible(two, null));
    }

    private static List<Gpu> visible(List<Gpu> gpus, String env) {
        return BackendDecision.visible(new BackendFacts(Backend.CUDA, true, DRIVER, gpus, env, null));
    }

    @Test
    void allGpusHiddenIsRefused() {
        BackendFacts hidden = new BackendFacts(Backend.CUDA, true, DRIVER, List.of(RTX_3090), "-1", null);
        assertTrue(refusal(BackendRequest.auto, hidden).contains("CUDA_VISIBLE_DEVICES=-1"));
    }

    @Test
    void noGpuListedIsRefused() {
        assertTrue(refusal(BackendRequest.cuda, cuda(List.of())).contains("no NVIDIA GPU"));
    }

    @Test
    void oldDriverIsRefused() {
        BackendFacts old = new BackendFacts(Backend.CUDA, true, "440.33.01", List.of(RTX_3090), null, null);
        String m = refusal(BackendRequest.auto, old);
        assertTrue(m.contains("440.33.01") && m.contains("450.80.02"), m);
        assertTrue(BackendDecision.olderThan("450.80.01", BackendDecision.MIN_DRIVER));
        assertFalse(BackendDecision.olderThan("450.80.02", BackendDecision.MIN_DRIVER));
        assertFalse(BackendDecision.olderThan("510.39", BackendDecision.MIN_DRIVER));
    }

    @Test
    void noDriverAtAll() {
        BackendFacts none = new BackendFacts(Backend.CUDA, false, null, List.of(), null,
                "libcuda.so.1: cannot open shared object file: No such file or directory");
        String m = refusal(BackendRequest.auto, none);
        assertTrue(m.contains("no NVIDIA driver") && m.contains("without WGAN_BACKEND=cuda"), m);
    }

    @Test
    void missingCudaLibrariesPointAtLdLibraryPathAndTheRedist() {
        BackendFacts missing = cuda(List.of(RTX_3090))
                .withLibraryError("libcudnn.so.8: cannot open shared object file: No such file or directory");
        String m = refusal(BackendRequest.cuda, missing);
        assertTrue(m.contains("libcudnn.so.8") && m.contains("LD_LIBRARY_PATH") && m.contains("WGAN_CUDA_REDIST=1"), m);
    }

    @Test
    void withoutNvidiaSmiTheLibrariesDecide() {
        BackendFacts unknown = new BackendFacts(Backend.CUDA, false, null, List.of(), null, null);
        assertEquals(List.of(), use(BackendRequest.auto, unknown).devices());
    }

    @Test
    void unknownCapabilityIsLeftToNd4jsOwnFigures() {
        Gpu oldDriverView = new Gpu(0, "Tesla V100", -1, -1, 16160);
        assertEquals(Backend.CUDA, use(BackendRequest.auto, cuda(List.of(oldDriverView))).backend());
    }
}
