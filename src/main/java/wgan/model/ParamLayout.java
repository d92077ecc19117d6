package wgan.model;

import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Where each parameter of a graph sits in its flat parameter vector: the optimisers work on the
 * whole vector at once, and only clipping and BatchNorm's running statistics need the blocks.
 */
public final class ParamLayout {
    private final List<ParamBlock> blocks;
    private final long size;
    private final List<ParamBlock> learnedRuns;
    private final List<ParamBlock> runningStatistics;

    private ParamLayout(List<ParamBlock> blocks, long size, List<ParamBlock> learnedRuns) {
        this.blocks = blocks;
        this.size = size;
        this.learnedRuns = learnedRuns;
        this.runningStatistics = blocks.stream().filter(ParamBlock::isRunningStatistic).toList();
    }

    public static ParamLayout of(ComputationGraph graph) {
        INDArray flat = graph.params();
        List<ParamBlock> blocks = new ArrayList<>();
        // every vertex, not only layers: the conditional critic's ProjectionScore is a SameDiff vertex
        for (GraphVertex vertex : graph.getVertices()) {
            if (vertex.numParams() == 0) {
                continue;
            }
            String name = vertex.getVertexName();
            for (Map.Entry<String, INDArray> e : vertex.paramTable(false).entrySet()) {
                INDArray view = e.getValue();
                blocks.add(new ParamBlock(name, e.getKey(), view.offset() - flat.offset(), view.length()));
            }
        }
        blocks.sort(Comparator.comparingLong(ParamBlock::offset));
        return new ParamLayout(List.copyOf(blocks), flat.length(), mergeLearnedRuns(blocks));
    }

    /** Adjacent learned blocks merged, so clipping touches few, long, contiguous views. */
    private static List<ParamBlock> mergeLearnedRuns(List<ParamBlock> blocks) {
        List<ParamBlock> runs = new ArrayList<>();
        ParamBlock current = null;
        for (ParamBlock b : blocks) {
            if (b.isRunningStatistic()) {
                continue;
            }
            if (current != null && current.end() == b.offset()) {
                current = new ParamBlock(current.layer(), "run", current.offset(), current.length() + b.length());
            } else {
                if (current != null) {
                    runs.add(current);
                }
                current = b;
            }
        }
        if (current != null) {
            runs.add(current);
        }
        return List.copyOf(runs);
    }

    public List<ParamBlock> blocks() {
        return blocks;
    }

    public long size() {
        return size;
    }

    /** BatchNorm running means and variances, which are not learned. */
    public List<ParamBlock> runningStatistics() {
        return runningStatistics;
    }

    /** The learned parameters as maximal contiguous runs. */
    public List<ParamBlock> learnedRuns() {
        return learnedRuns;
    }

    /** A view of the flat vector covering one block. */
    public static INDArray view(INDArray flat, ParamBlock b) {
        return flat.get(NDArrayIndex.interval(b.offset(), b.end()));
    }
}
