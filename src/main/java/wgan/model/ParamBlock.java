package wgan.model;

/**
 * One named parameter array of a layer, located inside its graph's flat parameter vector.
 *
 * @param layer  the layer (vertex) name, e.g. "d2_bn"
 * @param key    DL4J's parameter key: W, gamma, beta, mean or var
 * @param offset position of the first element in the flat vector
 * @param length number of elements
 */
public record ParamBlock(String layer, String key, long offset, long length) {

    /**
     * BatchNorm's running mean and variance live among DL4J's parameters, but they are not
     * learned: their "gradient" is the moving-average delta, and they are never clipped.
     */
    public boolean isRunningStatistic() {
        return key.equals("mean") || key.equals("var") || key.equals("log10stdev");
    }

    public long end() {
        return offset + length;
    }
}
