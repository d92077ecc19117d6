package wgan.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/** Noise vectors and images made from them. */
public final class Generation {
    /**
     * Images are generated in chunks of this many with BatchNorm in training mode (batch
     * statistics), as the reference makes its samples; a fixed chunk keeps an image's pixels
     * independent of how many are asked for.
     */
    public static final int CHUNK = 64;
    /** A conditional run's epoch grids show this many classes at most, one row each (report.html names them). */
    public static final int CLASS_GRID_ROWS = 10;

    private Generation() {
    }

    /** n noise vectors N(0, 1), shaped [n, nz, 1, 1] for the generator's input. */
    public static INDArray noise(Rng rng, int n, int nz) {
        float[] values = new float[n * nz];
        rng.fillGaussian(values, 0, 1);
        return Nd4j.create(values, new long[]{n, nz, 1, 1}, 'c');
    }

    /** n weights uniform in [0, 1), shaped [n, 1, 1, 1]: the gradient penalty's interpolation, one per image. */
    public static INDArray uniform(Rng rng, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) rng.nextDouble();
        }
        return Nd4j.create(values, new long[]{n, 1, 1, 1}, 'c');
    }

    /**
     * A conditional generator's grid: one row per class of classIndices, each row the same noise
     * vectors (so a column shows one "individual" in every class), generated as one batch so that
     * every row sees the same BatchNorm statistics. Rows of noise.size(0) images.
     */
    public static INDArray classGrid(ComputationGraph generator, INDArray noise, int classes, int[] classIndices) {
        int columns = (int) noise.size(0);
        INDArray[] rows = new INDArray[classIndices.length];
        int[] labels = new int[columns];
        for (int r = 0; r < classIndices.length; r++) {
            java.util.Arrays.fill(labels, classIndices[r]);
            rows[r] = Conditioning.generatorInput(noise, labels, classes);
        }
        try (INDArray input = Nd4j.concat(0, rows)) {
            for (INDArray row : rows) {
                row.close();
            }
            return generator.outputSingle(true, input);
        }
    }

    /** Images for the given noise, [n, C, S, S] in [-1, 1]. */
    public static INDArray generate(ComputationGraph generator, INDArray noise) {
        long n = noise.size(0);
        List<INDArray> parts = new ArrayList<>();
        for (long from = 0; from < n; from += CHUNK) {
            long to = Math.min(n, from + CHUNK);
            INDArray chunk = noise.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to));
            parts.add(generator.outputSingle(true, chunk.dup()));
        }
        return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(new INDArray[0]));
    }
}
