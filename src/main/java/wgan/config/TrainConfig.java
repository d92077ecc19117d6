package wgan.config;

import java.nio.file.Path;
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
 * @param keepEpochs   per-epoch checkpoints to keep, newest first; 0 keeps all
 * @param evalEvery    measure image quality (SWD) every this many epochs; 0 never
 * @param evalImages   images per set for SWD
 * @param holdout      real images kept out of training to check the critic; -1 picks
 *                     min(512, 5% of the data)
 * @param maxPixels    images with more pixels than this (by their header) are skipped, never decoded
 * @param classNames   readable names of class folders (--class-names), folder -> name; may be empty
 */
public record TrainConfig(ModelConfig model, Path data, int epochs, int batchSize, int nCritic, double clip,
                          double lrD, double lrG, OptimizerKind optimizer, long seed, Path outDir,
                          int checkpointEvery, int keepEpochs, int evalEvery, int evalImages, int holdout,
                          long maxPixels, Map<String, String> classNames) {

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
        if (checkpointEvery < 0 || keepEpochs < 0 || evalEvery < 0) {
            throw new InputException("--checkpoint-every, --keep and --eval-every must be 0 or more");
        }
        ModelConfig.requirePositive("--eval-n", evalImages);
        if (holdout < -1) {
            throw new InputException("--holdout must be 0 or more, got " + holdout);
        }
        if (maxPixels < 1) {
            throw new InputException("--max-pixels must be 1 or more, got " + maxPixels);
        }
        classNames = Map.copyOf(classNames);
    }

    /** The same run with the options that may change on --resume. */
    public TrainConfig withResumable(int newEpochs, int newCheckpointEvery, int newKeepEpochs) {
        return new TrainConfig(model, data, newEpochs, batchSize, nCritic, clip, lrD, lrG, optimizer, seed, outDir,
                newCheckpointEvery, newKeepEpochs, evalEvery, evalImages, holdout, maxPixels, classNames);
    }

    /** How many images the run holds out of training, for a data set of this size. */
    public int holdoutFor(int imageCount) {
        if (holdout >= 0) {
            return Math.min(holdout, imageCount - 1);
        }
        return imageCount >= 100 ? Math.min(512, imageCount / 20) : 0;
    }
}
