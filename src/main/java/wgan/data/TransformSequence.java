package wgan.data;

import org.datavec.image.data.ImageWritable;
import org.datavec.image.transform.BaseImageTransform;
import org.datavec.image.transform.ImageTransform;

import java.util.List;
import java.util.Random;

/**
 * DataVec image transforms applied one after another, every time. DataVec's own
 * {@code PipelineImageTransform} does this too, but its constructor reseeds ND4J's global random
 * generator (which starts ND4J, a second of start-up for {@code wgan prepare}) and it draws a
 * random number per step even when every step's probability is 1.
 */
final class TransformSequence extends BaseImageTransform<Object> {
    private final List<ImageTransform> steps;

    TransformSequence(ImageTransform... steps) {
        super(null);
        this.steps = List.of(steps);
    }

    @Override
    protected ImageWritable doTransform(ImageWritable image, Random random) {
        for (ImageTransform step : steps) {
            image = step.transform(image, random);
        }
        return image;
    }

    @Override
    public float[] query(float... coordinates) {
        for (ImageTransform step : steps) {
            coordinates = step.query(coordinates);
        }
        return coordinates;
    }
}
