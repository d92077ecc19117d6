package wgan.backend;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NvidiaSmiTest {
    @Test
    void parsesOneLinePerGpu() {
        NvidiaSmi.Report r = NvidiaSmi.parse("""
                0, NVIDIA GeForce RTX 3090, 8.6, 24576, 535.54.03
                1, NVIDIA H100 80GB HBM3, 9.0, 81559, 535.54.03
                """, true);
        assertEquals("535.54.03", r.driverVersion());
        assertEquals(List.of(new Gpu(0, "NVIDIA GeForce RTX 3090", 8, 6, 24576),
                new Gpu(1, "NVIDIA H100 80GB HBM3", 9, 0, 81559)), r.gpus());
    }

    @Test
    void olderDriversGiveNoCapability() {
        NvidiaSmi.Report r = NvidiaSmi.parse("0, Tesla V100-SXM2-16GB, 16160, 470.82.01\n", false);
        assertEquals(List.of(new Gpu(0, "Tesla V100-SXM2-16GB", -1, -1, 16160)), r.gpus());
        assertEquals("unknown", r.gpus().get(0).capability());
    }

    @Test
    void noGpuLinesNoGpus() {
        assertEquals(List.of(), NvidiaSmi.parse("No devices were found\n", true).gpus());
    }
}
