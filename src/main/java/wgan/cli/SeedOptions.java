package wgan.cli;

import picocli.CommandLine.Option;

import java.security.SecureRandom;

/**
 * The two kinds of --seed, as @Mixin. A picocli mixin cannot vary its default per command, and the
 * commands need different ones: train and sample pick a random seed and print it (a new run or a
 * new batch of images each time), eval defaults to 0 so that checkpoints are compared on the same
 * reals, noise and patches unless asked otherwise.
 */
final class SeedOptions {
    private SeedOptions() {
    }

    /** --seed S, default random and printed (train, sample). */
    static final class Random {
        @Option(names = "--seed", paramLabel = "S",
                description = "Seeds everything random; the same seed gives the same result (default: random, printed).")
        Long seed;

        /** The given seed, or a fresh non-negative one. */
        long resolve() {
            return seed != null ? seed : new SecureRandom().nextLong() & Long.MAX_VALUE;
        }
    }

    /** --seed S, default 0 (eval). */
    static final class Fixed {
        @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
                description = "Picks the reals, the noise, the patches and the directions; keep it to compare checkpoints.")
        long seed;
    }
}
