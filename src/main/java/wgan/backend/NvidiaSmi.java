package wgan.backend;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Asks nvidia-smi, the NVIDIA driver's own tool, which GPUs and driver this machine has. */
final class NvidiaSmi {
    private static final String WITH_CAPABILITY = "index,name,compute_cap,memory.total,driver_version";
    /** Drivers before 510 do not know compute_cap and reject the whole query. */
    private static final String WITHOUT_CAPABILITY = "index,name,memory.total,driver_version";
    private static final long TIMEOUT_SECONDS = 20;

    record Report(String driverVersion, List<Gpu> gpus) {
    }

    private NvidiaSmi() {
    }

    /** Empty when nvidia-smi is not installed or fails (no driver loaded). */
    static Optional<Report> query() {
        Optional<String> csv = run(WITH_CAPABILITY);
        if (csv.isPresent()) {
            return Optional.of(parse(csv.get(), true));
        }
        return run(WITHOUT_CAPABILITY).map(text -> parse(text, false));
    }

    /** Parses "--format=csv,noheader,nounits" lines: index, name, [compute_cap,] memory MiB, driver. */
    static Report parse(String csv, boolean withCapability) {
        List<Gpu> gpus = new ArrayList<>();
        String driver = null;
        int tail = withCapability ? 3 : 2;
        for (String line : csv.strip().split("\n")) {
            String[] f = Arrays.stream(line.split(",")).map(String::strip).toArray(String[]::new);
            if (f.length < tail + 2) {
                continue;
            }
            int n = f.length;
            String name = String.join(",", Arrays.copyOfRange(f, 1, n - tail));
            int[] cc = withCapability ? capability(f[n - 3]) : new int[]{-1, -1};
            gpus.add(new Gpu(parseInt(f[0]), name, cc[0], cc[1], parseInt(f[n - 2])));
            driver = f[n - 1];
        }
        return new Report(driver, gpus);
    }

    private static int[] capability(String text) {
        String[] p = text.split("\\.");
        return p.length == 2 && p[0].matches("\\d+") && p[1].matches("\\d+")
                ? new int[]{Integer.parseInt(p[0]), Integer.parseInt(p[1])} : new int[]{-1, -1};
    }

    private static int parseInt(String text) {
        return text.matches("\\d{1,9}") ? Integer.parseInt(text) : -1;
    }

    private static Optional<String> run(String fields) {
        try {
            Process p = new ProcessBuilder("nvidia-smi", "--query-gpu=" + fields, "--format=csv,noheader,nounits")
                    .redirectErrorStream(true).start();
            // A hung driver can stall nvidia-smi; its few lines of output fit in the pipe meanwhile.
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            try (InputStream in = p.getInputStream()) {
                String out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return p.exitValue() == 0 ? Optional.of(out) : Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty(); // not installed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
