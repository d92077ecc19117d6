package wgan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgan.TestImages;
import wgan.engine.fast.DnnlConvolution;
import wgan.engine.fast.FastEngine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * --precision on train and bench: bf16 runs the fast engine on oneDNN's bf16 convolutions and is
 * recorded in options.json; it is refused (exit 2, one line) with --engine graph and on a CPU
 * without native bf16, which a child process shows by capping oneDNN's ISA at AVX-512 without
 * BF16 (DNNL_MAX_CPU_ISA, oneDNN's own switch, as on a CPU that lacks it).
 */
class PrecisionCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] TINY = {"--image-size", "16", "--batch-size", "4", "--nz", "8", "--ngf", "8", "--ndf", "8"};

    @Test
    void bf16TrainsOnOneDnnAndIsRecorded(@TempDir Path tmp) throws Exception {
        String why = DnnlConvolution.bf16Unsupported();
        Assumptions.assumeTrue(why == null, why);
        Path data = tmp.resolve("imgs");
        TestImages.writeTree(data, 8, 2, 40, 30, 3);
        Path run = tmp.resolve("run");
        CliRunner.Run r = CliRunner.run(concat(new String[]{"train", "--data", data.toString(), "--epochs", "1",
                "--eval-every", "0", "--precision", "bf16", "--out", run.toString(), "--cache-dir",
                tmp.resolve("cache").toString()}, TINY));
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("engine: fast (oneDNN bf16 convolutions"), r.out());
        JsonNode options = JSON.readTree(run.resolve("options.json").toFile());
        assertEquals("bf16", options.get("precision").asText());

        CliRunner.Run bench = CliRunner.run(concat(new String[]{"bench", "--json", "--precision", "bf16", "--iters", "1",
                "--warmup", "0"}, TINY));
        assertEquals(0, bench.exitCode(), bench.out() + bench.err());
        assertTrue(bench.out().contains("oneDNN bf16 convolutions"), bench.out());
    }

    @Test
    void fp32RunsOnOneDnnFp32PrimitivesWhereTheyLoadAndLibnd4jOnRequest() {
        CliRunner.Run bench = CliRunner.run(concat(new String[]{"bench", "--json", "--iters", "1", "--warmup", "0"}, TINY));
        assertEquals(0, bench.exitCode(), bench.out() + bench.err());
        String expected = DnnlConvolution.unavailable() == null ? "\"engine\":\"fast (oneDNN fp32 convolutions and libnd4j ops"
                : "\"engine\":\"fast (libnd4j ops on the graphs' arrays";
        assertTrue(bench.out().contains(expected), bench.out());
        try {
            System.setProperty(FastEngine.FP32_CONVOLUTIONS, "libnd4j");
            CliRunner.Run libnd4j = CliRunner.run(concat(new String[]{"bench", "--json", "--iters", "1", "--warmup", "0"}, TINY));
            assertEquals(0, libnd4j.exitCode(), libnd4j.out() + libnd4j.err());
            assertTrue(libnd4j.out().contains("\"engine\":\"fast (libnd4j ops on the graphs' arrays"), libnd4j.out());
            System.setProperty(FastEngine.FP32_CONVOLUTIONS, "mkl");
            CliRunner.Run bad = CliRunner.run(concat(new String[]{"bench", "--iters", "1", "--warmup", "0"}, TINY));
            assertEquals(2, bad.exitCode(), bad.out() + bad.err());
            assertTrue(bad.err().contains("-Dwgan.fp32.convolutions=mkl: use auto, dnnl or libnd4j"), bad.err());
        } finally {
            System.clearProperty(FastEngine.FP32_CONVOLUTIONS);
        }
    }

    @Test
    void bf16IsRefusedWithTheGraphEngine() {
        CliRunner.Run r = CliRunner.run(concat(new String[]{"bench", "--precision", "bf16", "--engine", "graph",
                "--iters", "1", "--warmup", "0"}, TINY));
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("--precision bf16 cannot run with --engine graph"), r.err());
        CliRunner.Run p = CliRunner.run(concat(new String[]{"bench", "--precision", "fp16"}, TINY));
        assertEquals(2, p.exitCode(), p.out() + p.err());
    }

    @Test
    void bf16IsRefusedInOneLineOnACpuWithoutBf16(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("imgs");
        TestImages.writeTree(data, 8, 2, 40, 30, 3);
        Map<String, String> noBf16 = Map.of("DNNL_MAX_CPU_ISA", "AVX512_CORE", "ONEDNN_MAX_CPU_ISA", "AVX512_CORE");
        Path run = tmp.resolve("run");
        WganProcess train = WganProcess.start(tmp.resolve("train.log"), noBf16, concat(new String[]{"train", "--data",
                data.toString(), "--epochs", "1", "--precision", "bf16", "--out", run.toString(), "--cache-dir",
                tmp.resolve("cache").toString()}, TINY));
        assertEquals(2, train.waitFor(Duration.ofMinutes(2)), train.output());
        String line = "wgan: --precision bf16: this CPU has no native bfloat16 arithmetic";
        assertTrue(train.output().contains(line), train.output());
        assertEquals(1, train.output().lines().filter(l -> l.startsWith("wgan: --precision")).count(), train.output());
        assertFalse(Files.exists(run), "refused before a run folder is made");

        WganProcess bench = WganProcess.start(tmp.resolve("bench.log"), noBf16, concat(new String[]{"bench",
                "--precision", "bf16", "--iters", "1", "--warmup", "0"}, TINY));
        assertEquals(2, bench.waitFor(Duration.ofMinutes(2)), bench.output());
        assertTrue(bench.output().contains(line), bench.output());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
