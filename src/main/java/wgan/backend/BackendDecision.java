package wgan.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Picks the backend for --backend, or the one-line reason wgan cannot run, from {@link BackendFacts}.
 *
 * <p>The limits are those of ND4J 1.0.0-M2.1's CUDA build (nd4j-cuda-11.6): machine code for compute
 * capability 3.7 up to 8.6 and no PTX, so 8.9 (Ada) runs the 8.6 code by binary compatibility and
 * 9.0 (Hopper) or newer cannot run it at all; CUDA 11.6 needs an NVIDIA driver 450.80.02 or newer.
 */
public final class BackendDecision {
    static final int MIN_CAPABILITY = 37;
    /** First capability with a new major version: no 8.x machine code runs there. */
    static final int FIRST_UNSUPPORTED_CAPABILITY = 90;
    static final int[] MIN_DRIVER = {450, 80, 2};

    static final String CPU_RUN = "scripts/wgan without WGAN_BACKEND=cuda (target/wgan.jar)";
    static final String CUDA_BUILD = "WGAN_BACKEND=cuda scripts/wgan (builds target/cuda/wgan-cuda.jar"
            + " with mvn -Pcuda -DskipTests package)";

    private BackendDecision() {
    }

    /** The outcome: a backend to run on, or a message for the user. */
    public sealed interface Choice permits Use, Refuse {
    }

    /** Run on this backend; devices are the GPUs CUDA will see (empty on the CPU or when unknown). */
    public record Use(Backend backend, List<Gpu> devices) implements Choice {
    }

    /** Do not start: the message says what is wrong and what to do. */
    public record Refuse(String message) implements Choice {
    }

    public static Choice decide(BackendRequest requested, BackendFacts facts) {
        if (facts.jar() == Backend.CPU) {
            return requested == BackendRequest.cuda
                    ? new Refuse("--backend cuda needs the CUDA build of wgan; this one is built for the CPU:"
                    + " run " + CUDA_BUILD + ", see README \"GPU\"")
                    : new Use(Backend.CPU, List.of());
        }
        if (requested == BackendRequest.cpu) {
            return new Refuse("this is the CUDA build of wgan, and ND4J takes its backend from the classpath,"
                    + " so it cannot run on the CPU: run " + CPU_RUN + " for --backend cpu");
        }
        return decideCuda(facts);
    }

    private static Choice decideCuda(BackendFacts facts) {
        if (facts.driverVersion() != null && olderThan(facts.driverVersion(), MIN_DRIVER)) {
            return new Refuse("NVIDIA driver " + facts.driverVersion() + " is too old for CUDA 11.6:"
                    + " install driver 450.80.02 or newer, or run " + CPU_RUN);
        }
        if (facts.gpusListed()) {
            Choice byDevice = checkDevices(facts);
            if (byDevice instanceof Refuse) {
                return byDevice;
            }
        }
        if (facts.libraryError() != null) {
            return new Refuse(libraryMessage(facts.libraryError()));
        }
        return new Use(Backend.CUDA, facts.gpusListed() ? visible(facts) : List.of());
    }

    private static Choice checkDevices(BackendFacts facts) {
        if (facts.gpus().isEmpty()) {
            return new Refuse("no NVIDIA GPU found: check nvidia-smi, or run " + CPU_RUN);
        }
        List<Gpu> visible = visible(facts);
        if (visible.isEmpty()) {
            return new Refuse("CUDA_VISIBLE_DEVICES=" + facts.cudaVisibleDevices() + " hides every GPU: unset it"
                    + " or list GPU indices from nvidia-smi");
        }
        List<Gpu> unsupported = visible.stream().filter(g -> !runnable(g)).toList();
        if (unsupported.isEmpty()) {
            return new Use(Backend.CUDA, visible);
        }
        Gpu bad = unsupported.get(0);
        List<Gpu> usable = facts.gpus().stream().filter(BackendDecision::runnable).toList();
        return new Refuse("GPU " + bad.index() + " (" + bad.name() + ", compute capability " + bad.capability()
                + ") cannot run ND4J 1.0.0-M2.1's CUDA 11.6 build, which runs compute capability 3.7 to 8.9: "
                + (usable.isEmpty() ? "run " + CPU_RUN
                : "pick another GPU with CUDA_VISIBLE_DEVICES=" + indices(usable) + ", or run " + CPU_RUN));
    }

    /** Unknown capabilities pass here; ND4J's own figures are checked again once it has loaded. */
    static boolean runnable(Gpu gpu) {
        return !gpu.capabilityKnown()
                || gpu.capabilityCode() >= MIN_CAPABILITY && gpu.capabilityCode() < FIRST_UNSUPPORTED_CAPABILITY;
    }

    /**
     * The GPUs CUDA will show, in its order. nvidia-smi ignores CUDA_VISIBLE_DEVICES; CUDA reads it as a
     * comma list and stops at the first entry that is not a valid index. UUID or MIG entries cannot be
     * matched to nvidia-smi's list here, so they leave the list as it is.
     */
    static List<Gpu> visible(BackendFacts facts) {
        String env = facts.cudaVisibleDevices();
        if (env == null || env.strip().matches(".*(GPU-|MIG-).*")) {
            return facts.gpus();
        }
        List<Gpu> shown = new ArrayList<>();
        for (String entry : env.split(",", -1)) {
            Gpu gpu = byIndex(facts.gpus(), entry.strip());
            if (gpu == null || shown.contains(gpu)) {
                break;
            }
            shown.add(gpu);
        }
        return shown;
    }

    private static Gpu byIndex(List<Gpu> gpus, String entry) {
        if (!entry.matches("\\d{1,4}")) {
            return null;
        }
        int index = Integer.parseInt(entry);
        return gpus.stream().filter(g -> g.index() == index).findFirst().orElse(null);
    }

    private static String libraryMessage(String error) {
        if (error.contains("libcuda.so")) {
            return "no NVIDIA driver found (libcuda.so.1 does not load): install the NVIDIA driver (450.80.02 or"
                    + " newer), or run " + CPU_RUN;
        }
        return "the CUDA 11.6 / cuDNN 8.3 libraries do not load (" + error + "): install them and put their"
                + " lib folders on LD_LIBRARY_PATH, or bundle them with WGAN_CUDA_REDIST=1 " + CUDA_BUILD
                + "; see README \"GPU\"";
    }

    /** Compares dotted versions number by number ("450.80.02" against {450, 80, 2}). */
    static boolean olderThan(String version, int[] minimum) {
        String[] parts = version.strip().split("\\.");
        for (int i = 0; i < minimum.length; i++) {
            int part = i < parts.length && parts[i].matches("\\d{1,9}") ? Integer.parseInt(parts[i]) : 0;
            if (part != minimum[i]) {
                return part < minimum[i];
            }
        }
        return false;
    }

    private static String indices(List<Gpu> gpus) {
        return gpus.stream().map(g -> String.valueOf(g.index())).collect(Collectors.joining(","));
    }
}
