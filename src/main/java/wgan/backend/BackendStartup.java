package wgan.backend;

import org.nd4j.linalg.api.environment.Nd4jEnvironment;
import org.nd4j.linalg.factory.Nd4j;
import wgan.config.InputException;
import wgan.config.Versions;
import wgan.model.NativeHelpers;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;

/**
 * Gathers the facts, lets {@link BackendDecision} judge them, starts ND4J and says in one line what
 * it runs on. Every command that computes calls {@link #start} before it touches ND4J.
 */
public final class BackendStartup {
    private static final String CUDA_BACKEND_CLASS = "org.nd4j.linalg.jcublas.JCublasBackend";

    private BackendStartup() {
    }

    /** Starts ND4J on the backend --backend allows and returns the startup line; InputException when it cannot run. */
    public static String start(BackendRequest requested) {
        NativePlatform.requireMatches(Versions.nd4jPlatform(), System.getProperty("os.name"),
                System.getProperty("os.arch"));
        Backend jar = jarBackend();
        BackendFacts facts = jar == Backend.CPU ? BackendFacts.cpuJar() : cudaFacts();
        Backend backend = use(BackendDecision.decide(requested, facts)).backend();
        if (backend == Backend.CUDA) {
            use(BackendDecision.decide(requested, facts.withLibraryError(CudaLibraries.loadError())));
            // DL4J M2.1 looks for its cuDNN layer helpers in deeplearning4j-cuda, which exists for no CUDA
            // 11.x: with helpers on, every layer logs a warning and falls back all the same.
            NativeHelpers.keepOff();
        }
        startNd4j();
        if (backend == Backend.CUDA) {
            // ND4J's own device figures: they honour CUDA_VISIBLE_DEVICES and cover a missing nvidia-smi.
            List<Gpu> devices = nd4jDevices();
            BackendFacts seen = new BackendFacts(Backend.CUDA, true, facts.driverVersion(), devices, null, null);
            use(BackendDecision.decide(requested, seen));
            return cudaLine(devices.get(currentDevice()), facts.driverVersion());
        }
        return cpuLine();
    }

    /** What the jar carries: ND4J's CUDA backend class is on the classpath only in the -Pcuda build. */
    static Backend jarBackend() {
        try {
            Class.forName(CUDA_BACKEND_CLASS, false, BackendStartup.class.getClassLoader());
            return Backend.CUDA;
        } catch (ClassNotFoundException e) {
            return Backend.CPU;
        }
    }

    private static BackendFacts cudaFacts() {
        String visible = System.getenv("CUDA_VISIBLE_DEVICES");
        return NvidiaSmi.query()
                .map(r -> new BackendFacts(Backend.CUDA, true, r.driverVersion(), r.gpus(), visible, null))
                .orElseGet(() -> new BackendFacts(Backend.CUDA, false, null, List.of(), visible, null));
    }

    private static BackendDecision.Use use(BackendDecision.Choice choice) {
        if (choice instanceof BackendDecision.Refuse refuse) {
            throw new InputException(refuse.message());
        }
        return (BackendDecision.Use) choice;
    }

    /**
     * Loads ND4J's backend. ND4J prints a stack trace of its own when a backend fails to load; that
     * goes to a buffer, shown only with WGAN_DEBUG, and the failure becomes one line.
     */
    private static void startNd4j() {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (PrintStream quiet = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setErr(quiet);
            Nd4j.getBackend();
        } catch (RuntimeException | LinkageError e) {
            System.setErr(err);
            if (System.getenv("WGAN_DEBUG") != null) {
                err.print(captured.toString(StandardCharsets.UTF_8));
            }
            throw new InputException("ND4J could not start its " + Versions.nd4jBackend() + " backend ("
                    + CudaLibraries.reason(e) + "): see README \"GPU\"; WGAN_DEBUG=1 shows ND4J's output", e);
        } finally {
            System.setErr(err);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Gpu> nd4jDevices() {
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        List<Map<String, Object>> devices = (List<Map<String, Object>>) env.getOrDefault(
                Nd4jEnvironment.CUDA_DEVICE_INFORMATION_KEY, List.of());
        return IntStream.range(0, devices.size()).mapToObj(i -> {
            Map<String, Object> d = devices.get(i);
            return new Gpu(i, String.valueOf(d.get(Nd4jEnvironment.CUDA_DEVICE_NAME_KEY)),
                    asInt(d.get(Nd4jEnvironment.CUDA_DEVICE_MAJOR_VERSION_KEY)),
                    asInt(d.get(Nd4jEnvironment.CUDA_DEVICE_MINOR_VERSION_KEY)),
                    asLong(d.get(Nd4jEnvironment.CUDA_TOTAL_MEMORY_KEY)) / (1024 * 1024));
        }).toList();
    }

    private static int currentDevice() {
        return Nd4j.getAffinityManager().getDeviceForCurrentThread();
    }

    private static int asInt(Object value) {
        return (int) asLong(value);
    }

    private static long asLong(Object value) {
        return value instanceof Number n ? n.longValue() : -1;
    }

    private static String cudaLine(Gpu gpu, String driver) {
        return "backend cuda: GPU " + gpu.index() + " " + gpu.describe() + "; " + nativeBuild()
                + (driver != null ? ", driver " + driver : "");
    }

    private static String cpuLine() {
        return "backend cpu: " + nativeBuild() + ", " + Nd4j.getEnvironment().maxMasterThreads() + " threads on "
                + Runtime.getRuntime().availableProcessors() + " cores; Vector API kernels "
                + (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() ? "on" : "off");
    }

    /** The native build the jar carries, as Maven named it: "nd4j-native linux-x86_64-onednn". */
    private static String nativeBuild() {
        return Versions.nd4jBackend() + " " + Versions.nd4jClassifier();
    }
}
