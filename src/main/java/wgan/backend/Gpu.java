package wgan.backend;

/**
 * One GPU as nvidia-smi or ND4J reports it. The compute capability is -1.-1 when unknown (drivers
 * older than 510 have no compute_cap field in nvidia-smi).
 */
public record Gpu(int index, String name, int ccMajor, int ccMinor, long memoryMiB) {

    public boolean capabilityKnown() {
        return ccMajor >= 0;
    }

    public String capability() {
        return capabilityKnown() ? ccMajor + "." + ccMinor : "unknown";
    }

    /** Capability as major*10+minor, to compare with the build's range. */
    int capabilityCode() {
        return ccMajor * 10 + ccMinor;
    }

    public String describe() {
        return name + ", compute capability " + capability() + ", " + memoryMiB + " MiB";
    }
}
