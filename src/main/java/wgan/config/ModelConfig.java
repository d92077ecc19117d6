package wgan.config;

/**
 * The shape of the DCGAN pair, as in the WGAN reference (martinarjovsky/WassersteinGAN,
 * models/dcgan.py). Stored inside every checkpoint so that a generator can be rebuilt from the
 * checkpoint alone.
 *
 * @param imageSize   square image side, a power of two from 16 to 128
 * @param channels    1 (grayscale) or 3 (RGB)
 * @param nz          length of the noise vector
 * @param ngf         generator width: the generator's last hidden layer has ngf channels
 * @param ndf         critic width: the critic's first layer has ndf channels
 * @param extraLayers extra 3x3 conv + BatchNorm layers in each network
 * @param criticBatchNorm whether the critic's hidden layers have BatchNorm (the reference's); the
 *                    gradient penalty's critic has none (Gulrajani et al. 2017)
 * @param classes     0 for an unconditional pair; K >= 2 for a class-conditional one (--conditional):
 *                    the generator takes the noise followed by a one-hot class code (nz + K inputs),
 *                    the critic is a projection discriminator with a learned class embedding
 */
public record ModelConfig(int imageSize, int channels, int nz, int ngf, int ndf, int extraLayers,
                          boolean criticBatchNorm, int classes) {

    public static final int MIN_IMAGE_SIZE = 16;
    public static final int MAX_IMAGE_SIZE = 128;

    public ModelConfig {
        checkImageShape(imageSize, channels);
        requirePositive("--nz", nz);
        requirePositive("--ngf", ngf);
        requirePositive("--ndf", ndf);
        if (extraLayers < 0) {
            throw new InputException("--extra-layers must be 0 or more, got " + extraLayers);
        }
        if (classes < 0 || classes == 1) {
            throw new InputException("a conditional model needs at least 2 classes, got " + classes);
        }
    }

    public ModelConfig(int imageSize, int channels, int nz, int ngf, int ndf, int extraLayers,
                       boolean criticBatchNorm) {
        this(imageSize, channels, nz, ngf, ndf, extraLayers, criticBatchNorm, 0);
    }

    /** The reference's networks, with BatchNorm in the critic. */
    public ModelConfig(int imageSize, int channels, int nz, int ngf, int ndf, int extraLayers) {
        this(imageSize, channels, nz, ngf, ndf, extraLayers, true);
    }

    public ModelConfig withCriticBatchNorm(boolean batchNorm) {
        return new ModelConfig(imageSize, channels, nz, ngf, ndf, extraLayers, batchNorm, classes);
    }

    /** The same networks conditioned on K classes (0: unconditional). */
    public ModelConfig withClasses(int k) {
        return new ModelConfig(imageSize, channels, nz, ngf, ndf, extraLayers, criticBatchNorm, k);
    }

    public boolean conditional() {
        return classes > 0;
    }

    /** The generator's input channels: the noise, then the one-hot class code of a conditional model. */
    public int generatorInputs() {
        return nz + classes;
    }

    /** The image shapes the networks take; wgan prepare checks them too, before decoding anything. */
    public static void checkImageShape(int imageSize, int channels) {
        if (imageSize < MIN_IMAGE_SIZE || imageSize > MAX_IMAGE_SIZE || Integer.bitCount(imageSize) != 1) {
            throw new InputException("--image-size must be a power of two from " + MIN_IMAGE_SIZE + " to "
                    + MAX_IMAGE_SIZE + " (16, 32, 64 or 128), got " + imageSize);
        }
        if (channels != 1 && channels != 3) {
            throw new InputException("--channels must be 1 (grayscale) or 3 (colour), got " + channels);
        }
    }

    /** Channels of the generator's first 4x4 feature map: ngf * S/8, halved at each upsampling. */
    public int generatorBaseChannels() {
        return ngf * imageSize / 8;
    }

    static void requirePositive(String flag, long value) {
        if (value < 1) {
            throw new InputException(flag + " must be 1 or more, got " + value);
        }
    }
}
