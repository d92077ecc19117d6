package wgan.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import wgan.augment.Augmentation;
import wgan.config.LossKind;
import wgan.engine.Engine;
import wgan.model.Conditioning;
import wgan.model.GanNetworks;
import wgan.model.ParamBlock;
import wgan.model.ParamLayout;
import wgan.optim.Optimizer;

/**
 * One critic step and one generator step, exactly as the WGAN reference (main.py) does them, on
 * whichever {@link Engine} computes the passes; with {@link LossKind#WGAN_GP}, the critic step of
 * Gulrajani et al. (igul222/improved_wgan_training) instead: no clipping, and lambda times the
 * gradient penalty on interpolates of real and fake images added to the critic's loss. The inputs
 * (real images, noise, interpolation weights) come from the caller, so tests can feed fixed values.
 *
 * <p>The steps allocate no large array: ND4J frees native memory only when Java's garbage
 * collector runs, so per-step garbage made resident memory grow by ~0.7 GB per generator
 * iteration. The engines reuse their buffers and the gradients are used in place.
 */
public final class WganSteps {
    private final GanNetworks nets;
    private final Engine engine;
    private final LossKind loss;
    private final double clip;
    private final double gpWeight;
    private final Optimizer criticOptimizer;
    private final Optimizer generatorOptimizer;
    private final INDArray criticGradientSum;
    /** DiffAugment on every critic input and between the networks in the generator step; null for none. */
    private final Augmentation augmentation;
    private INDArray interpolates;

    /**
     * Losses of one critic step, in the reference's sign: lossD = D(real) - D(fake) (minus the
     * Wasserstein estimate); penalty is lambda * GP (0 with clipping): the critic minimises
     * lossD + penalty.
     */
    public record CriticResult(double lossD, double realMean, double fakeMean, double penalty) {
    }

    /** The WGAN paper's steps: weight clipping to [-clip, clip]. */
    public WganSteps(GanNetworks nets, Engine engine, double clip, Optimizer criticOptimizer,
                     Optimizer generatorOptimizer) {
        this(nets, engine, LossKind.WGAN_CLIP, clip, 0, null, criticOptimizer, generatorOptimizer);
    }

    /**
     * @param gpWeight     lambda of the gradient penalty (with {@link LossKind#WGAN_GP}; clip is then unused)
     * @param augmentation DiffAugment for every critic input and the generator step, or null
     */
    public WganSteps(GanNetworks nets, Engine engine, LossKind loss, double clip, double gpWeight,
                     Augmentation augmentation, Optimizer criticOptimizer, Optimizer generatorOptimizer) {
        this.nets = nets;
        this.augmentation = augmentation == null || augmentation.augment().isEmpty() ? null : augmentation;
        this.engine = engine;
        this.loss = loss;
        this.clip = clip;
        this.gpWeight = gpWeight;
        this.criticOptimizer = criticOptimizer;
        this.generatorOptimizer = generatorOptimizer;
        this.criticGradientSum = engine.criticGradient().ulike();
    }

    /**
     * Clamp, then one update of the critic from the gradient of mean D(real) - mean D(fake),
     * computed as two passes so each batch gets its own BatchNorm statistics. The fakes come from
     * the generator in training mode and are not backpropagated into it.
     */
    public CriticResult criticStep(INDArray realImages, INDArray noise) {
        return criticStep(realImages, null, noise, null);
    }

    /**
     * The conditional critic step (labels null for an unconditional pair): the reals scored with
     * their classes, fakes made for fakeLabels and scored with them.
     */
    public CriticResult criticStep(INDArray realImages, int[] realLabels, INDArray noise, int[] fakeLabels) {
        if (loss != LossKind.WGAN_CLIP) {
            throw new IllegalStateException("the gradient penalty's critic step needs interpolation weights");
        }
        clampCritic();
        return criticUpdate(realImages, realLabels, noise, fakeLabels, null);
    }

    /**
     * The gradient penalty's critic step: no clipping; the gradient of mean D(real) - mean D(fake)
     * + lambda * mean_n (||grad D(x_n)|| - 1)^2 on x_n = alpha_n * real_n + (1 - alpha_n) * fake_n.
     * A short real batch of n images is interpolated with the first n fakes.
     *
     * @param alpha one weight per real image, uniform in [0, 1], shape [n, 1, 1, 1]
     */
    public CriticResult criticStep(INDArray realImages, INDArray noise, INDArray alpha) {
        return criticStep(realImages, null, noise, null, alpha);
    }

    /**
     * The gradient penalty's conditional critic step: each interpolate is scored with its real
     * image's class (as StudioGAN's cal_grad_penalty does).
     */
    public CriticResult criticStep(INDArray realImages, int[] realLabels, INDArray noise, int[] fakeLabels,
                                   INDArray alpha) {
        if (loss != LossKind.WGAN_GP) {
            throw new IllegalStateException("interpolation weights are for the gradient penalty");
        }
        return criticUpdate(realImages, realLabels, noise, fakeLabels, alpha);
    }

    /**
     * With augmentation the critic sees augmented reals and fakes (fresh draws for each), and the
     * penalty interpolates between those: the critic's input space is the augmented one.
     */
    private CriticResult criticUpdate(INDArray realImages, int[] realLabels, INDArray noise, int[] fakeLabels,
                                      INDArray alpha) {
        INDArray gradient = engine.criticGradient();
        INDArray real = augmented(realImages);
        INDArray realCode = oneHot(realLabels, realImages);
        INDArray fakeCode = oneHot(fakeLabels, noise);
        double realMean = engine.criticPass(real, realCode, +1);
        criticGradientSum.assign(gradient);
        INDArray input = fakeCode == null ? noise : Conditioning.generatorInput(noise, fakeCode);
        INDArray fakes = augmented(engine.fakes(input));
        if (fakeCode != null) {
            input.close();
        }
        if (alpha != null) {
            interpolate(real, fakes, alpha);
        }
        double fakeMean = -engine.criticPass(fakes, fakeCode, -1);
        gradient.addi(criticGradientSum);
        if (augmentation != null) {
            real.close();
            fakes.close();
        }
        double penalty = 0;
        if (alpha != null) {
            criticGradientSum.assign(gradient);
            penalty = engine.gradientPenalty(interpolates, realCode, gpWeight);
            gradient.addi(criticGradientSum);
        }
        close(realCode);
        close(fakeCode);
        criticOptimizer.step(nets.critic().params(), gradient);
        return new CriticResult(realMean - fakeMean, realMean, fakeMean, penalty);
    }

    /** The images through DiffAugment with fresh draws (a new array), or the images themselves without it. */
    private INDArray augmented(INDArray images) {
        return augmentation == null ? images
                : augmentation.augment().forward(images, augmentation.draws().apply((int) images.size(0)));
    }

    /** interpolates := fake + alpha * (real - fake), per image, over the first n fakes. */
    private void interpolate(INDArray real, INDArray fakes, INDArray alpha) {
        long n = real.size(0);
        if (interpolates == null || interpolates.size(0) != n) {
            if (interpolates != null) {
                interpolates.close();
            }
            interpolates = Nd4j.createUninitialized(real.dataType(), real.shape()).detach();
        }
        INDArray fake = n == fakes.size(0) ? fakes : fakes.get(NDArrayIndex.interval(0, n));
        INDArray flat = interpolates.reshape(n, real.length() / n);
        interpolates.assign(real).subi(fake);
        flat.muliColumnVector(alpha.reshape(n, 1));
        interpolates.addi(fake);
    }

    /**
     * One update of the generator from the gradient of mean D(G(z)) through the critic (in
     * training mode, not updated). Returns loss_g = mean D(G(z)).
     */
    public double generatorStep(INDArray noise) {
        return generatorStep(noise, null);
    }

    /** The conditional generator step: fakes made for labels and scored with them (null: unconditional). */
    public double generatorStep(INDArray noise, int[] labels) {
        INDArray code = oneHot(labels, noise);
        INDArray input = code == null ? noise : Conditioning.generatorInput(noise, code);
        double lossG = engine.generatorPass(input, code, augmentation == null ? null
                : augmentation.augment().with(augmentation.draws().apply((int) noise.size(0))));
        if (code != null) {
            input.close();
            code.close();
        }
        generatorOptimizer.step(nets.generator().params(), engine.generatorGradient());
        return lossG;
    }

    /** One-hot [n, K] of a conditional pair's labels; null (and no labels allowed) for an unconditional one. */
    private INDArray oneHot(int[] labels, INDArray like) {
        int classes = nets.config().classes();
        if ((labels == null) != (classes == 0)) {
            throw new IllegalArgumentException(classes == 0 ? "class labels given to an unconditional pair"
                    : "a conditional pair needs class labels");
        }
        if (labels == null) {
            return null;
        }
        if (labels.length != like.size(0)) {
            throw new IllegalArgumentException(labels.length + " labels for " + like.size(0) + " images");
        }
        return Conditioning.oneHot(labels, classes, nets.critic().params().dataType());
    }

    private static void close(INDArray a) {
        if (a != null) {
            a.close();
        }
    }

    /** Clamps every learned critic parameter to [-clip, clip]; running statistics are left alone. */
    public void clampCritic() {
        INDArray params = nets.critic().params();
        for (ParamBlock run : nets.criticLayout().learnedRuns()) {
            INDArray view = ParamLayout.view(params, run);
            Transforms.min(view, clip, false);
            Transforms.max(view, -clip, false);
        }
    }

    public Engine engine() {
        return engine;
    }

    public Optimizer criticOptimizer() {
        return criticOptimizer;
    }

    public Optimizer generatorOptimizer() {
        return generatorOptimizer;
    }
}
