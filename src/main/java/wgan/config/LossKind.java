package wgan.config;

/**
 * The critic's loss (--loss): the WGAN paper's weight clipping, or Gulrajani et al.'s gradient
 * penalty, which trains a critic without BatchNorm and with no clipping.
 */
public enum LossKind {
    WGAN_CLIP("wgan-clip"), WGAN_GP("wgan-gp");

    private final String flag;

    LossKind(String flag) {
        this.flag = flag;
    }

    /** The name on the command line and in options.json. */
    public String flag() {
        return flag;
    }

    public static LossKind fromFlag(String name) {
        for (LossKind k : values()) {
            if (k.flag.equals(name)) {
                return k;
            }
        }
        throw new InputException("--loss must be wgan-clip or wgan-gp, got " + name);
    }

    @Override
    public String toString() {
        return flag;
    }
}
