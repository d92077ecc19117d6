package wgan.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Every resolved option of one training run. Immutable; built once by the CLI and passed down.
 *
 * @param model        the network shapes
 * @param data         folder of images, searched recursively
 * @param epochs       passes over the data, counted in critic batches as in the reference
 * @param batchSize    images per critic batch (and noise vectors per generator step)
 * @param nCritic      critic steps per generator step outside the warm-up bursts
 * @param clip         critic weights, gammas and betas are clamped to [-clip, clip]
 * @param lrD          critic learning rate
 * @param lrG          generator learning rate
 * @param optimizer    RMSprop (the paper's) or Adam
 * @param seed         drives initialisation, noise and data order
 * @param outDir       the run folder
 * @param checkpointEvery checkpoint every this many generator iterations; 0: every ~10 minutes
 * @param keepEpochs   per-epoch states to keep, newest first; 0 keeps all (every epoch's generator is kept)
 * @param evalEvery    measure image quality (SWD) every this many epochs; 0 never; -1 (auto): when
 *                     9x the checks' time so far and one more stays within the training time
 *                     (checks and report at most ~10% of the wall time)
 * @param evalImages   images per set for SWD
 * @param holdout      real images kept out of training to check the critic; -1 picks
 *                     min(512, 5% of the data)
 * @param engine       which engine computes the steps (auto, fast, graph)
 * @param loss         weight clipping (the paper's) or the gradient penalty
 * @param gpWeight     the gradient penalty's lambda (used with {@link LossKind#WGAN_GP})
 * @param augment      DiffAugment's policies for every critic input, in order; empty for none
 * @param emaKimg      half-life of the EMA generator's average in thousands of generator-step images
 *                     (StyleGAN2-ADA's ema_kimg); 0 keeps no EMA generator
 * @param maxPixels    images with more pixels than this (by their header) are skipped, never decoded
 * @param classNames   readable names of class folders (--class-names), folder -> name; may be empty
 * @param conditional  class-conditional training on the data's classes (--conditional); the model's
 *                     class count is set once the data is read ({@link #withClasses})
 * @param precision    what the convolutions compute in (--precision): fp32, or bf16 on oneDNN's kernels
 */
public record TrainConfig(ModelConfig model, Path data, int epochs, int batchSize, int nCritic, double clip,
                          double lrD, double lrG, OptimizerKind optimizer, long seed, Path outDir,
                          int checkpointEvery, int keepEpochs, int evalEvery, int evalImages, int holdout,
                          EngineKind engine, LossKind loss, double gpWeight, List<AugmentOp> augment,
                          double emaKimg, long maxPixels, Map<String, String> classNames, boolean conditional,
                          Precision precision) {

    /** A run in float32 (--precision fp32, the default). */
    public TrainConfig(ModelConfig model, Path data, int epochs, int batchSize, int nCritic, double clip,
                       double lrD, double lrG, OptimizerKind optimizer, long seed, Path outDir,
                       int checkpointEvery, int keepEpochs, int evalEvery, int evalImages, int holdout,
                       EngineKind engine, LossKind loss, double gpWeight, List<AugmentOp> augment,
                       double emaKimg, long maxPixels, Map<String, String> classNames, boolean conditional) {
        this(model, data, epochs, batchSize, nCritic, clip, lrD, lrG, optimizer, seed, outDir, checkpointEvery, keepEpochs,
                evalEvery, evalImages, holdout, engine, loss, gpWeight, augment, emaKimg, maxPixels, classNames, conditional,
                Precision.fp32);
    }

    public TrainConfig {
        ModelConfig.requirePositive("--epochs", epochs);
        ModelConfig.requirePositive("--batch-size", batchSize);
        ModelConfig.requirePositive("--n-critic", nCritic);
        if (!(clip > 0) || Double.isInfinite(clip)) {
            throw new InputException("--clip must be a positive number, got " + clip);
        }
        if (!(lrD > 0) || !(lrG > 0) || Double.isInfinite(lrD) || Double.isInfinite(lrG)) {
            throw new InputException("--lr-d and --lr-g must be positive numbers, got " + lrD + " and " + lrG);
        }
        if (checkpointEvery < 0 || keepEpochs < 0) {
            throw new InputException("--checkpoint-every and --keep must be 0 or more");
        }
        if (evalEvery < -1) {
            throw new InputException("--eval-every must be auto or a number of epochs (0 never), got " + evalEvery);
        }
        ModelConfig.requirePositive("--eval-n", evalImages);
        if (!(gpWeight >= 0) || Double.isInfinite(gpWeight)) {
            throw new InputException("--gp-weight must be 0 or more, got " + gpWeight);
        }
        if (loss == LossKind.WGAN_GP && model.criticBatchNorm()) {
            throw new IllegalArgumentException("the gradient penalty's critic has no BatchNorm");
        }
        if (engine == null) {
            throw new InputException("--engine must be auto, fast or graph");
        }
        augment = List.copyOf(augment);
        if (loss == LossKind.WGAN_GP && engine == EngineKind.graph) {
            throw new InputException("--loss wgan-gp cannot run with --engine graph: the gradient penalty needs the fast"
                    + " engine (DL4J 1.0.0-M2.1 cannot differentiate a gradient); use --engine auto or fast");
        }
        if (!augment.isEmpty() && engine == EngineKind.graph) {
            throw new InputException("--augment cannot run with --engine graph: the augmentation's backward sits between"
                    + " the networks, which only the fast engine runs apart; use --engine auto or fast");
        }
        if (holdout < -1) {
            throw new InputException("--holdout must be 0 or more, got " + holdout);
        }
        if (!(emaKimg >= 0) || Double.isInfinite(emaKimg)) {
            throw new InputException("--ema-kimg must be 0 (no EMA generator) or a positive number, got " + emaKimg);
        }
        if (maxPixels < 1) {
            throw new InputException("--max-pixels must be 1 or more, got " + maxPixels);
        }
        classNames = Map.copyOf(classNames);
        if (!conditional && model.conditional()) {
            throw new IllegalArgumentException("a model with classes in an unconditional run");
        }
        if (precision == null) {
            throw new InputException("--precision must be fp32 or bf16");
        }
        if (precision == Precision.bf16 && engine == EngineKind.graph) {
            throw new InputException("--precision bf16 cannot run with --engine graph: the bf16 convolutions are the fast"
                    + " engine's; use --engine auto or fast");
        }
        if (conditional && engine == EngineKind.graph) {
            throw new InputException("--conditional cannot run with --engine graph: the projection critic takes each"
                    + " image's class as a second input, which only the fast engine trains; use --engine auto or fast");
        }
    }

    /**
     * The run on data of these classes: a conditional run's networks get one class code per class.
     * Refuses (exit 2) --conditional on data of fewer than two classes.
     */
    public TrainConfig withClasses(List<String> classes) {
        if (!conditional) {
            return this;
        }
        if (classes.size() < 2) {
            throw new InputException("--conditional needs at least two classes (one subfolder of --data per class);"
                    + " the data has " + (classes.isEmpty() ? "none" : "one: " + classes.get(0)));
        }
        return new TrainConfig(model.withClasses(classes.size()), data, epochs, batchSize, nCritic, clip, lrD, lrG,
                optimizer, seed, outDir, checkpointEvery, keepEpochs, evalEvery, evalImages, holdout, engine, loss,
                gpWeight, augment, emaKimg, maxPixels, classNames, true, precision);
    }

    /** The same run with the options that may change on --resume. */
    public TrainConfig withResumable(int newEpochs, int newCheckpointEvery, int newKeepEpochs) {
        return new TrainConfig(model, data, newEpochs, batchSize, nCritic, clip, lrD, lrG, optimizer, seed, outDir,
                newCheckpointEvery, newKeepEpochs, evalEvery, evalImages, holdout, engine, loss, gpWeight, augment,
                emaKimg, maxPixels, classNames, conditional, precision);
    }

    /** Adam's betas: the WGAN reference's (0.5, 0.999) with clipping, Gulrajani et al.'s (0, 0.9) with the penalty. */
    public double[] adamBetas() {
        return loss == LossKind.WGAN_GP ? new double[]{0.0, 0.9} : new double[]{0.5, 0.999};
    }

    /** How many images the run holds out of training, for a data set of this size. */
    public int holdoutFor(int imageCount) {
        if (holdout >= 0) {
            return Math.min(holdout, imageCount - 1);
        }
        return imageCount >= 100 ? Math.min(512, imageCount / 20) : 0;
    }
}
