package wgan.engine;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import wgan.model.ParamBlock;
import wgan.model.ParamLayout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One BatchNorm layer's running statistics as a flat array sees them: where its mean and variance
 * sit (valid in the graph's params() and in a gradient laid out like it, or in any vector that
 * starts with this graph's parameters, such as the chained graph's), what it normalises, and its
 * momentum.
 *
 * @param layer            the BatchNorm layer's name
 * @param input            the vertex whose output it normalises
 * @param valuesPerExample height x width of that output: values per channel per example
 * @param momentum         torch's momentum, 1 - DL4J's decay
 */
record BatchNormStatistics(String layer, String input, long valuesPerExample, double momentum,
                           ParamBlock meanBlock, ParamBlock varBlock) {

    static List<BatchNormStatistics> of(ComputationGraph graph, ParamLayout layout, InputType inputType) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        Map<String, InputType> types = conf.getLayerActivationTypes(inputType);
        List<BatchNormStatistics> all = new ArrayList<>();
        for (org.deeplearning4j.nn.api.Layer layer : graph.getLayers()) {
            if (layer.conf().getLayer() instanceof BatchNormalization bn) {
                String name = bn.getLayerName();
                String input = conf.getVertexInputs().get(name).get(0);
                long perExample = types.get(input).arrayElementsPerExample() / bn.getNOut();
                all.add(new BatchNormStatistics(name, input, perExample, 1 - bn.getDecay(),
                        block(layout, name, "mean"), block(layout, name, "var")));
            }
        }
        return List.copyOf(all);
    }

    private static ParamBlock block(ParamLayout layout, String layer, String key) {
        return layout.blocks().stream().filter(b -> b.layer().equals(layer) && b.key().equals(key)).findFirst()
                .orElseThrow(() -> new UnsupportedGraphException("layer " + layer + ": BatchNorm without a running " + key));
    }

    INDArray mean(INDArray flat) {
        return ParamLayout.view(flat, meanBlock);
    }

    INDArray var(INDArray flat) {
        return ParamLayout.view(flat, varBlock);
    }
}
