package wgan.backend;

/** The ND4J backend a jar carries: ND4J picks it from the classpath, one per jar. */
public enum Backend {
    CPU("cpu"), CUDA("cuda");

    public final String label;

    Backend(String label) {
        this.label = label;
    }
}
