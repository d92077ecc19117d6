package wgan.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgan.data.ImageSet;
import wgan.model.Conditioning;
import wgan.model.GanNetworks;
import wgan.model.Generation;
import wgan.model.Rng;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The critic's Wasserstein estimate, mean D(fake) - mean D(real), on training images and on
 * images held out of training, against the same fakes. A critic that overfits scores the images
 * it trained on apart from the fakes better than unseen ones: the gap between the two grows.
 * The critic runs in training mode (batch statistics), as it does in training.
 */
final class CriticCheck {
    /** The held-out slice and the training images, by index into the image set. */
    record Split(int[] train, int[] heldOut) {
        static Split of(int count, int heldOut, long seed) {
            int[] order = Rng.derive(seed, "held-out").permutation(count);
            // random orders, so that "the first n" of either is a fair sample of it
            return new Split(Arrays.copyOfRange(order, heldOut, count), Arrays.copyOf(order, heldOut));
        }
    }

    record Estimate(int n, double train, double heldOut) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("n", n);
            m.put("wasserstein_train", train);
            m.put("wasserstein_held_out", heldOut);
            return m;
        }
    }

    private CriticCheck() {
    }

    static Estimate measure(GanNetworks nets, ImageSet data, Split split, int batch, long seed) {
        int n = split.heldOut().length;
        ComputationGraph critic = nets.critic();
        int classes = nets.config().classes();
        double fakes = 0;
        Rng noise = Rng.derive(seed, "critic-check-noise");
        for (int from = 0; from < n; from += batch) {
            int count = Math.min(batch, n - from);
            // a conditional critic scores fakes of the held-out images' classes, with those classes
            int[] labels = labels(data, split.heldOut(), from, count);
            try (INDArray z = Generation.noise(noise, count, nets.config().nz());
                 INDArray input = classes == 0 ? z.dup() : Conditioning.generatorInput(z, labels, classes);
                 INDArray images = nets.generator().outputSingle(true, input)) {
                fakes += sum(critic, images, labels, classes);
            }
        }
        double fakeMean = fakes / n;
        return new Estimate(n, fakeMean - realMean(critic, data, split.train(), n, batch, classes),
                fakeMean - realMean(critic, data, split.heldOut(), n, batch, classes));
    }

    private static int[] labels(ImageSet data, int[] indices, int from, int count) {
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = data.classOf(indices[from + i]);
        }
        return labels;
    }

    /** Mean critic score of the first n of the given images. */
    private static double realMean(ComputationGraph critic, ImageSet data, int[] indices, int n, int batch, int classes) {
        double total = 0;
        for (int from = 0; from < n; from += batch) {
            int count = Math.min(batch, n - from);
            float[] pixels = new float[count * data.pixelsPerImage()];
            data.fill(indices, from, count, pixels);
            try (INDArray images = Nd4j.create(pixels, new long[]{count, data.channels(), data.size(), data.size()}, 'c')) {
                total += sum(critic, images, labels(data, indices, from, count), classes);
            }
        }
        return total / n;
    }

    private static double sum(ComputationGraph critic, INDArray images, int[] labels, int classes) {
        if (classes == 0) {
            try (INDArray scores = critic.outputSingle(true, images)) {
                return scores.sumNumber().doubleValue();
            }
        }
        try (INDArray oneHot = Conditioning.oneHot(labels, classes, images.dataType());
             INDArray scores = critic.output(true, new INDArray[]{images, oneHot}, null)[0]) {
            return scores.sumNumber().doubleValue();
        }
    }
}
