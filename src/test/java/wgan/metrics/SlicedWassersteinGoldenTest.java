package wgan.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import wgan.data.ImageSet;

import javax.imageio.ImageIO;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * wgan's SWD against an independent numpy/scipy implementation (scripts/golden/swd_reference.py)
 * on committed PNG fixtures, with the fixture's patch centres and directions: checks the pyramid,
 * the patches, the normalisation, the projections and the sorting.
 */
class SlicedWassersteinGoldenTest {
    private static final String ROOT = "/golden/swd/";

    @Test
    void matchesTheNumpyReference() throws IOException {
        JsonNode fixture;
        try (InputStream in = getClass().getResourceAsStream(ROOT + "swd.json")) {
            fixture = new ObjectMapper().readTree(in);
        }
        for (JsonNode c : fixture.get("cases")) {
            String name = c.get("name").asText();
            int levels = c.get("resolutions").size();
            SwdImages a = load(c, "a");
            SwdImages b = load(c, "b");
            double mean = 0;
            for (int level = 0; level < levels; level++) {
                int perImage = c.get("patches_per_image").asInt();
                float[] da = PatchDescriptors.extract(a, level, levels, ints(c.get("centres").get("a").get(level)), perImage);
                float[] db = PatchDescriptors.extract(b, level, levels, ints(c.get("centres").get("b").get(level)), perImage);
                JsonNode repeats = c.get("directions").get(level);
                float[][] directions = new float[repeats.size()][];
                for (int r = 0; r < directions.length; r++) {
                    directions[r] = floats(repeats.get(r));
                }
                double swd = SlicedWasserstein.distancesAtLevel(List.of(da, db), new int[][]{{0, 1}}, directions)[0] * 1000;
                double expected = c.get("expected").get(level).asDouble();
                assertEquals(expected, swd, 1e-4 * expected, name + " level " + level);
                mean += swd / levels;
            }
            assertEquals(c.get("expected_mean").asDouble(), mean, 1e-4 * mean, name + " mean");
        }
    }

    @Test
    void levelsRunDownTo16Pixels() {
        assertEquals(List.of(64, 32, 16), IntStream.of(SlicedWasserstein.resolutions(64)).boxed().toList());
        assertEquals(List.of(16), IntStream.of(SlicedWasserstein.resolutions(16)).boxed().toList());
    }

    @Test
    void floatKeysSortLikeFloats() {
        float[] values = {3.5f, -0.0f, -7f, 0f, Float.MIN_VALUE, -Float.MAX_VALUE, 1e-30f, 2f};
        int[] keys = new int[values.length];
        FloatRadixSort.sortedKeys(values, 0, values.length, keys, new int[values.length]);
        float[] expected = values.clone();
        java.util.Arrays.sort(expected);
        for (int i = 0; i < values.length; i++) {
            assertEquals(Math.abs(expected[i]), Math.abs(FloatRadixSort.value(keys[i])), 0f, "rank " + i);
        }
    }

    /** Every bit of the keys takes part: random bit patterns (NaNs aside) at an offset, against the JDK's sort. */
    @Test
    void manyRandomFloatsSortLikeArraysSort() {
        java.util.Random random = new java.util.Random(11);
        int n = 100_003;
        float[] values = new float[n + 5];
        for (int i = 0; i < values.length; i++) {
            float v;
            do {
                v = Float.intBitsToFloat(random.nextInt());
            } while (Float.isNaN(v));
            values[i] = i % 3 == 0 ? (float) random.nextGaussian() : v;
        }
        int[] keys = new int[n];
        FloatRadixSort.sortedKeys(values, 5, n, keys, new int[n]);
        float[] expected = java.util.Arrays.copyOfRange(values, 5, 5 + n);
        java.util.Arrays.sort(expected);
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(FloatRadixSort.value(keys[i])), "rank " + i);
        }
    }

    /** The set's PNGs as an ImageSet (uint8 planar, as wgan.data makes), through wgan's conversion. */
    private SwdImages load(JsonNode c, String set) throws IOException {
        int size = c.get("size").asInt();
        int channels = c.get("channels").asInt();
        List<byte[]> images = new ArrayList<>();
        for (JsonNode file : c.get("files").get(set)) {
            try (InputStream in = getClass().getResourceAsStream(ROOT + file.asText())) {
                Raster raster = ImageIO.read(in).getRaster(); // raw samples: no colour conversion of gray PNGs
                byte[] pixels = new byte[channels * size * size];
                for (int ch = 0; ch < channels; ch++) {
                    for (int y = 0; y < size; y++) {
                        for (int x = 0; x < size; x++) {
                            pixels[(ch * size + y) * size + x] = (byte) raster.getSample(x, y, ch);
                        }
                    }
                }
                images.add(pixels);
            }
        }
        ImageSet imageSet = ImageSet.of(images, size, channels);
        return SwdImages.of(imageSet, IntStream.range(0, images.size()).toArray(), 0, images.size());
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }
}
