package wgan.metrics;

/**
 * Sorts floats as order-preserving int keys with an LSD radix sort: three passes of 11, 11 and 10
 * bits, their three histograms counted in one read of the keys. SWD sorts 4 x 128 projections of
 * every patch per set and level; this is several times faster than Arrays.sort there, and the
 * sort is most of SWD's time. (Four passes of 8 bits, each with its own counting pass, took
 * about twice as long: the 2,048-entry histograms still fit in the L1 cache.)
 */
final class FloatRadixSort {
    private static final int[] SHIFTS = {0, 11, 22};
    private static final int[] MASKS = {0x7FF, 0x7FF, 0x3FF};
    private static final int BUCKETS = 2048;

    private FloatRadixSort() {
    }

    /** keys[0..n) = the sorted keys of values[from .. from+n); scratch has room for n. */
    static void sortedKeys(float[] values, int from, int n, int[] keys, int[] scratch) {
        int[] counts = new int[3 * BUCKETS];
        for (int i = 0; i < n; i++) {
            int k = key(values[from + i]);
            scratch[i] = k;
            counts[k & 0x7FF]++;
            counts[BUCKETS + ((k >>> 11) & 0x7FF)]++;
            counts[2 * BUCKETS + (k >>> 22)]++;
        }
        // odd number of passes: start from scratch so that the last pass writes keys
        int[] src = scratch;
        int[] dst = keys;
        for (int pass = 0; pass < 3; pass++) {
            int base = pass * BUCKETS;
            int position = 0;
            for (int b = base; b < base + BUCKETS; b++) {
                int c = counts[b];
                counts[b] = position;
                position += c;
            }
            int shift = SHIFTS[pass];
            int mask = MASKS[pass];
            for (int i = 0; i < n; i++) {
                int k = src[i];
                dst[counts[base + ((k >>> shift) & mask)]++] = k;
            }
            int[] t = src;
            src = dst;
            dst = t;
        }
    }

    /** Float bits mapped so that unsigned int order is float order: negatives flipped, positives get the top bit. */
    static int key(float v) {
        int bits = Float.floatToRawIntBits(v);
        return bits ^ ((bits >> 31) | 0x80000000);
    }

    static float value(int key) {
        return Float.intBitsToFloat(key ^ ((~key >> 31) | 0x80000000));
    }
}
