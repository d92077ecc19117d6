package wgan.metrics;

/**
 * Sorts floats as order-preserving int keys with an LSD radix sort (4 passes of 8 bits).
 * SWD sorts 4 x 128 projections of 262,144 patches per set and level; this is several times
 * faster than Arrays.sort there, and the sort is most of SWD's time.
 */
final class FloatRadixSort {
    private static final int RADIX = 256;

    private FloatRadixSort() {
    }

    /** keys[0..n) = the sorted keys of values[from .. from+n); scratch has room for n. */
    static void sortedKeys(float[] values, int from, int n, int[] keys, int[] scratch) {
        for (int i = 0; i < n; i++) {
            keys[i] = key(values[from + i]);
        }
        int[] src = keys;
        int[] dst = scratch;
        int[] counts = new int[RADIX];
        for (int shift = 0; shift < 32; shift += 8) {
            java.util.Arrays.fill(counts, 0);
            for (int i = 0; i < n; i++) {
                counts[(src[i] >>> shift) & 0xFF]++;
            }
            int position = 0;
            for (int b = 0; b < RADIX; b++) {
                int c = counts[b];
                counts[b] = position;
                position += c;
            }
            for (int i = 0; i < n; i++) {
                dst[counts[(src[i] >>> shift) & 0xFF]++] = src[i];
            }
            int[] t = src;
            src = dst;
            dst = t;
        }
        // four passes end in `keys` again
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
