package wgan.model;

import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDVertexParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * The score of a projection discriminator (Miyato and Koyama 2018), D(x, y) = psi(phi(x)) +
 * &lt;E_y, phi(x)&gt;, as the conditional critic's last vertex: its inputs are phi(x), the critic's
 * features before its last convolution ([n, C, S, S]), and y as a one-hot code ([n, K]). psi is
 * that last convolution (kernel S on an S x S map, one output: a dot product with W [1, C, S, S]),
 * so D(x, y) = &lt;W + E_y, phi(x)&gt;: parameter W is the unconditional critic's last convolution
 * weight, parameter E [K, C, S, S] holds one embedding per class. Written in SameDiff, so DL4J
 * computes it (forward and backward) from this definition; the fast engine reads W and E from
 * it and computes the same (ProjectionHeadTest checks the two agree).
 */
public final class ProjectionScore extends SameDiffVertex {
    public static final String FEATURES = "features";
    public static final String LABEL = "label";
    public static final String WEIGHT = "W";
    public static final String EMBEDDING = "E";

    private int channels;
    private int size;
    private int classes;

    /** For DL4J's JSON deserialisation. */
    public ProjectionScore() {
    }

    public ProjectionScore(int channels, int size, int classes) {
        this.channels = channels;
        this.size = size;
        this.classes = classes;
    }

    public int getChannels() {
        return channels;
    }

    public void setChannels(int channels) {
        this.channels = channels;
    }

    public int getSize() {
        return size;
    }

    public void setSize(int size) {
        this.size = size;
    }

    public int getClasses() {
        return classes;
    }

    public void setClasses(int classes) {
        this.classes = classes;
    }

    @Override
    public SDVariable defineVertex(SameDiff sd, Map<String, SDVariable> inputs, Map<String, SDVariable> params,
                                   Map<String, SDVariable> masks) {
        long features = (long) channels * size * size;
        SDVariable phi = inputs.get(FEATURES).reshape(-1, features);
        SDVariable embedded = inputs.get(LABEL).mmul(params.get(EMBEDDING).reshape(classes, features));
        SDVariable weights = embedded.add(params.get(WEIGHT).reshape(1, features));
        return weights.mul(phi).sum(true, 1).reshape(-1, 1, 1, 1);
    }

    @Override
    public void defineParametersAndInputs(SDVertexParams params) {
        params.defineInputs(FEATURES, LABEL);
        params.addWeightParam(WEIGHT, 1, channels, size, size);
        params.addWeightParam(EMBEDDING, classes, channels, size, size);
    }

    /** Zeros: {@link GanNetworks} initialises every parameter itself, as the reference does. */
    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        params.values().forEach(p -> p.assign(0));
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
        return InputType.convolutional(1, 1, 1);
    }

    @Override
    public GraphVertex clone() {
        return new ProjectionScore(channels, size, classes);
    }

    @Override
    public char paramReshapeOrder(String param) {
        return 'c';
    }
}
