package wgan.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The class code of a conditional pair (see {@link Dcgan}): the generator takes its noise followed
 * by the one-hot class ([n, nz + K, 1, 1]), the critic's projection score the one-hot class [n, K].
 * The generator's first layer is a linear map of its input, so its weights on the K one-hot
 * channels are a learned class embedding: one [C, 4, 4] map per class added to its pre-activation.
 */
public final class Conditioning {
    private Conditioning() {
    }

    /** One-hot rows [n, K] for class indices in [0, K). */
    public static INDArray oneHot(int[] labels, int classes, DataType dataType) {
        double[] values = new double[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("class " + labels[i] + " of " + classes);
            }
            values[i * classes + labels[i]] = 1;
        }
        return Nd4j.createFromArray(values).reshape(labels.length, classes).castTo(dataType);
    }

    /** The generator's input for noise [n, nz, 1, 1] and one-hot classes [n, K]: [n, nz + K, 1, 1]. */
    public static INDArray generatorInput(INDArray noise, INDArray oneHot) {
        long n = noise.size(0);
        try (INDArray code = oneHot.castTo(noise.dataType()).reshape(n, oneHot.size(1), 1, 1)) {
            return Nd4j.concat(1, noise, code);
        }
    }

    /** For a pair conditioned on K classes (K = 0: unconditional, the noise itself). */
    public static INDArray generatorInput(INDArray noise, int[] labels, int classes) {
        if (classes == 0) {
            return noise;
        }
        try (INDArray oneHot = oneHot(labels, classes, noise.dataType())) {
            return generatorInput(noise, oneHot);
        }
    }
}
