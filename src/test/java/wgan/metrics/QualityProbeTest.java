package wgan.metrics;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import wgan.config.ModelConfig;
import wgan.data.ImageSet;
import wgan.model.GanNetworks;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The training loop reuses the real-vs-real floor; that must not change the generated-vs-real distance. */
class QualityProbeTest {
    @Test
    void reusingTheFloorGivesTheSameDistances() {
        Random random = new Random(4);
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] image = new byte[3 * 16 * 16];
            random.nextBytes(image);
            images.add(image);
        }
        ImageSet reals = ImageSet.of(images, 16, 3);
        GanNetworks nets = GanNetworks.initialised(new ModelConfig(16, 3, 8, 8, 8, 0), DataType.FLOAT, 2);

        QualityProbe.Result full = QualityProbe.evaluate(nets.generator(), 8, reals, 16, 9);
        QualityProbe.Result reused = QualityProbe.evaluate(nets.generator(), 8, reals, 16, 9, full);

        assertArrayEquals(full.swd(), reused.swd(), 0.0);
        assertArrayEquals(full.floor(), reused.floor(), 0.0);
    }
}
