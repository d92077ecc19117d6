package wgan.model;

/**
 * A counter-based random source (SplitMix64 over seed + counter): its whole state is two longs,
 * so it can be saved in a checkpoint and restored exactly, and it gives the same numbers on every
 * ND4J backend. Not thread-safe; one per purpose (initialisation, noise, data order).
 */
public final class Rng {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final long seed;
    private long counter;

    public Rng(long seed) {
        this(seed, 0);
    }

    public Rng(long seed, long counter) {
        this.seed = seed;
        this.counter = counter;
    }

    /** A generator for a sub-purpose, independent of this one and of other streams. */
    public static Rng derive(long seed, String purpose) {
        return new Rng(mix(seed ^ mix(purpose.hashCode() * GOLDEN_GAMMA)));
    }

    public long seed() {
        return seed;
    }

    public long counter() {
        return counter;
    }

    public long nextLong() {
        return mix(seed + (++counter) * GOLDEN_GAMMA);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform integer in [0, bound). */
    public int nextInt(int bound) {
        return (int) Math.floorMod(nextLong(), (long) bound);
    }

    /** Fills with independent N(mean, std) values (Box-Muller, both outputs used). */
    public void fillGaussian(float[] out, double mean, double std) {
        for (int i = 0; i < out.length; i += 2) {
            double u1 = 1.0 - nextDouble(); // (0, 1]: log is finite
            double u2 = nextDouble();
            double r = Math.sqrt(-2.0 * Math.log(u1));
            out[i] = (float) (mean + std * r * Math.cos(2 * Math.PI * u2));
            if (i + 1 < out.length) {
                out[i + 1] = (float) (mean + std * r * Math.sin(2 * Math.PI * u2));
            }
        }
    }

    /** Fisher-Yates permutation of 0..n-1. */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
