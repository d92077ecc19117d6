package wgan.engine;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Where a parameter's gradient lives in a flat gradient laid out like the graph's params(). */
public final class GradientViews {
    private GradientViews() {
    }

    /** The graph's whole gradient array (created if needed) as one flat vector, laid out like params(). */
    public static INDArray whole(ComputationGraph graph) {
        graph.initGradientsView();
        INDArray gradient = graph.getGradientsViewArray();
        return gradient.reshape(gradient.length());
    }

    /** The gradient view matching a parameter view: same offset in the flat gradient, same shape; null if no gradient. */
    public static INDArray of(ComputationGraph graph, INDArray flatGradient, INDArray param) {
        if (flatGradient == null) {
            return null;
        }
        long offset = param.offset() - graph.params().offset();
        return flatGradient.get(NDArrayIndex.interval(offset, offset + param.length()))
                .reshape(param.ordering(), param.shape());
    }
}
