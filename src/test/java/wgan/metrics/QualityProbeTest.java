package wgan.metrics;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import wgan.config.ModelConfig;
import wgan.data.ImageSet;
import wgan.model.GanNetworks;
import wgan.model.Rng;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real-vs-real floor: averaged over disjoint real sets, and reused by the training loop without changing anything. */
class QualityProbeTest {
    @Test
    void reusingTheFloorGivesTheSameDistances() {
        ImageSet reals = noiseImages(40);
        GanNetworks nets = GanNetworks.initialised(new ModelConfig(16, 3, 8, 8, 8, 0), DataType.FLOAT, 2);

        QualityProbe.Result full = QualityProbe.evaluate(nets.generator(), 8, reals, 16, 9);
        QualityProbe.Result reused = QualityProbe.evaluate(nets.generator(), 8, reals, 16, 9, full);

        assertArrayEquals(full.swd(), reused.swd(), 0.0);
        assertArrayEquals(full.floor(), reused.floor(), 0.0);
    }

    /**
     * 40 reals at n = 8: the fakes' reference is the first 8 of the seed's order, and the floor
     * the mean SWD over the six pairs of that set and the next three disjoint sets of 8. A floor
     * of one pair, of overlapping sets or of fewer pairs fails this.
     */
    @Test
    void theFloorIsTheMeanOverPairsOfDisjointRealSets() {
        // each set of 8 in the seed's order gets noise of its own grain (blocks of 1, 2, 4, 8 pixels): every
        // pair differs, which the per-set normalisation of the patches does not undo
        int[] order = Rng.derive(9, "swd-reals").permutation(40);
        int[] grain = {0, 1, 2, 3, 3};
        Random random = new Random(4);
        byte[][] images = new byte[40][3 * 16 * 16];
        for (int p = 0; p < 40; p++) {
            byte[] blocks = new byte[3 * 16 * 16];
            random.nextBytes(blocks);
            int g = grain[p / 8];
            for (int i = 0; i < blocks.length; i++) {
                int c = i / 256, y = i / 16 % 16, x = i % 16;
                images[order[p]][i] = blocks[c * 256 + (y >> g) * 16 + (x >> g)];
            }
        }
        ImageSet reals = ImageSet.of(List.of(images), 16, 3);
        GanNetworks nets = GanNetworks.initialised(new ModelConfig(16, 3, 8, 8, 8, 0), DataType.FLOAT, 2);
        QualityProbe.Result r = QualityProbe.evaluate(nets.generator(), 8, reals, 8, 9);
        assertEquals(4, r.floorSets());

        List<SwdImages> sets = new ArrayList<>();
        for (int j = 0; j < 4; j++) {
            sets.add(SwdImages.of(reals, order, 8 * j, 8));
        }
        // pair (a, b) as distances computes it: its reference gets set 0's patch places, its other set set 1's
        double[] expected = new double[r.resolutions().length];
        double[] single = null;
        for (int a = 0; a < 4; a++) {
            for (int b = a + 1; b < 4; b++) {
                double[] pair = SlicedWasserstein.meanPairwiseDistance(List.of(sets.get(a), sets.get(b)),
                        SlicedWasserstein.Params.PROGAN, 9);
                single = single == null ? pair : single;
                for (int l = 0; l < expected.length; l++) {
                    expected[l] += pair[l] / 6;
                }
            }
        }
        // the pairs' patch places differ from the four-set call's (set j has stream j), so not bit-equal: the
        // mean over the six pairs is within 5% of it, the first pair alone is not
        for (int l = 0; l < expected.length; l++) {
            assertEquals(expected[l], r.floor()[l], 0.05 * expected[l], "level " + l);
            assertTrue(Math.abs(single[l] - expected[l]) > 0.2 * expected[l], "the pairs differ: level " + l);
        }
        assertTrue(r.floorSeconds() > 0 && r.floorSeconds() < r.seconds());
    }

    /** With two sets, the pairwise mean is distances' one comparison, bit for bit (same patches, same directions). */
    @Test
    void twoSetsPairwiseIsOneDistance() {
        ImageSet reals = noiseImages(16);
        int[] order = Rng.derive(3, "swd-reals").permutation(16);
        SwdImages a = SwdImages.of(reals, order, 0, 8);
        SwdImages b = SwdImages.of(reals, order, 8, 8);
        assertArrayEquals(SlicedWasserstein.distances(a, List.of(b), SlicedWasserstein.Params.PROGAN, 3)[0],
                SlicedWasserstein.meanPairwiseDistance(List.of(a, b), SlicedWasserstein.Params.PROGAN, 3), 0.0);
    }

    @Test
    void aSmallDataSetGetsTheFloorSetsItHasRoomFor() {
        assertEquals(2, QualityProbe.floorSets(1000, 500)); // imagesPerSet leaves room for two
        assertEquals(3, QualityProbe.floorSets(1600, 500));
        assertEquals(4, QualityProbe.floorSets(2000, 500));
        assertEquals(4, QualityProbe.floorSets(22424, 500));
    }

    private static ImageSet noiseImages(int count) {
        Random random = new Random(4);
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] image = new byte[3 * 16 * 16];
            random.nextBytes(image);
            images.add(image);
        }
        return ImageSet.of(images, 16, 3);
    }
}
