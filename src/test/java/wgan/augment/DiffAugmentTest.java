package wgan.augment;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgan.config.AugmentOp;
import wgan.config.InputException;
import wgan.model.Rng;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backward is the forward's transpose, draws stay in DiffAugment's ranges, bad policies are refused. */
class DiffAugmentTest {
    @Test
    void backwardIsTheTransposeOfTheForward() {
        DiffAugment augment = new DiffAugment(List.of(AugmentOp.color, AugmentOp.translation, AugmentOp.cutout));
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 3, 16, 12).subi(0.5);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 5, 3, 16, 12).subi(0.5);
        DiffAugment.Draws d = augment.draw(new Rng(9), 5, 16, 12);
        // brightness makes the forward affine: its linear part is T(x) - T(0)
        INDArray linear = augment.forward(x, d).sub(augment.forward(x.mul(0), d));
        double left = linear.mul(y).sumNumber().doubleValue();
        double right = x.mul(augment.backward(y, d)).sumNumber().doubleValue();
        assertEquals(left, right, 1e-9 * Math.abs(left), "<T x, y> = <x, T^T y>");
    }

    @Test
    void drawsStayInDiffAugmentsRanges() {
        DiffAugment augment = new DiffAugment(AugmentOp.parse("translation,cutout,color"));
        DiffAugment.Draws d = augment.draw(new Rng(3), 2000, 64, 32);
        for (int i = 0; i < 2000; i++) {
            assertTrue(Math.abs(d.shiftX()[i]) <= 8 && Math.abs(d.shiftY()[i]) <= 4, "shift " + i);
            assertTrue(d.cutX()[i] >= 0 && d.cutX()[i] <= 64 && d.cutY()[i] >= 0 && d.cutY()[i] <= 32, "cutout " + i);
            assertTrue(d.brightness()[i] >= -0.5 && d.brightness()[i] < 0.5 && d.saturation()[i] >= 0
                    && d.saturation()[i] < 2 && d.contrast()[i] >= 0.5 && d.contrast()[i] < 1.5, "color " + i);
        }
        assertEquals(8, java.util.Arrays.stream(d.shiftX()).max().orElseThrow(), "the largest shift is drawn");
    }

    @Test
    void unknownOrRepeatedPoliciesAreRefused() {
        assertEquals(List.of(), AugmentOp.parse("none"));
        assertTrue(assertThrows(InputException.class, () -> AugmentOp.parse("color,flip")).getMessage().contains("'flip'"));
        assertTrue(assertThrows(InputException.class, () -> AugmentOp.parse("color,color")).getMessage().contains("twice"));
    }
}
