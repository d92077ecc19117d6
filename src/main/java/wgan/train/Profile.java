package wgan.train;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgan.config.ModelConfig;
import wgan.config.OptimizerKind;
import wgan.model.GanNetworks;
import wgan.model.Generation;
import wgan.model.Rng;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where a generator iteration's time goes (wgan bench --profile): the phases of the two steps
 * (the critic passes and the fakes as the float32 steps run them, on the native passes), and
 * every DL4J layer's forward and backward pass. Medians over a few repetitions after a warm-up;
 * the per-layer figures run each layer alone, outside DL4J's workspaces, so they add up to a
 * little more than the graph passes.
 */
public final class Profile {
    private static final int REPEATS = 5;

    private Profile() {
    }

    public static String report(ModelConfig model, int batch) {
        GanNetworks nets = GanNetworks.initialised(model, DataType.FLOAT, 1);
        WganSteps steps = new WganSteps(nets, 0.01,
                Optimizer.create(OptimizerKind.rmsprop, 5e-5, nets.critic().params()),
                Optimizer.create(OptimizerKind.rmsprop, 5e-5, nets.generator().params()));
        INDArray real = Nd4j.rand(DataType.FLOAT, batch, model.channels(), model.imageSize(), model.imageSize());
        INDArray noise = Generation.noise(new Rng(1), batch, model.nz());
        StringBuilder out = new StringBuilder();
        out.append(String.format("phases (median of %d, ms)%n", REPEATS));
        phases(nets, steps, real, noise).forEach((k, v) -> out.append(String.format("  %-44s %8.1f%n", k, v)));
        out.append(layers("generator", nets.generator(), noise));
        out.append(layers("critic", nets.critic(), real));
        return out.toString();
    }

    private static Map<String, Double> phases(GanNetworks nets, WganSteps steps, INDArray real, INDArray noise) {
        Map<String, Double> ms = new LinkedHashMap<>();
        INDArray labels = Nd4j.valueArrayOf(new long[]{real.size(0), 1, 1, 1}, 1.0 / real.size(0), DataType.FLOAT);
        ms.put("critic step (all of it)", median(() -> steps.criticStep(real, noise)));
        CriticPass criticPass = new CriticPass(nets.critic(), flatGradient(nets.critic()));
        ms.put("  critic forward+backward, one batch (x2)", median(() -> criticPass.run(real, 1)));
        INDArray generatorGradient = nets.generator().params().ulike();
        GeneratorPass generatorPass = new GeneratorPass(nets.generator(), generatorGradient, 0.1);
        ms.put("  generator forward for the fakes", median(() -> generatorPass.forward(noise)));
        ms.put("  clamp critic weights", median(() -> {
            steps.clampCritic();
            return null;
        }));
        ms.put("generator step (all of it)", median(() -> steps.generatorStep(noise)));
        ms.put("  generator forward", median(() -> generatorPass.forward(noise)));
        ms.put("  critic forward+backward to the fakes", median(() -> criticPass.runForImageGradient(real, 1)));
        ms.put("  generator backward", median(() -> {
            generatorPass.backward(criticPass.imageGradient().dup().detach());
            return null;
        }));
        ms.put("  (DL4J chained graph forward+backward)", median(() -> {
            nets.chained().setInput(0, noise);
            nets.chained().setLabel(0, labels);
            nets.chained().computeGradientAndScore();
            return null;
        }));
        INDArray params = nets.generator().params();
        INDArray gradient = params.dup();
        Optimizer optimizer = Optimizer.create(OptimizerKind.rmsprop, 5e-5, params);
        ms.put("  RMSprop update of the generator", median(() -> {
            optimizer.step(params.dup().detach(), gradient.dup());
            return null;
        }));
        return ms;
    }

    /** Each layer's forward (training mode) and backward, run alone in topological order. */
    private static String layers(String name, ComputationGraph graph, INDArray input) {
        graph.initGradientsView();
        LayerWorkspaceMgr none = LayerWorkspaceMgr.noWorkspaces();
        List<Layer> layers = new ArrayList<>();
        List<INDArray> inputs = new ArrayList<>();
        INDArray x = input;
        GraphVertex[] vertices = graph.getVertices();
        for (int index : graph.topologicalSortOrder()) {
            if (!vertices[index].hasLayer() || vertices[index].getLayer() instanceof IOutputLayer) {
                continue;
            }
            Layer layer = vertices[index].getLayer();
            layer.setInput(x, none);
            inputs.add(x);
            layers.add(layer);
            x = layer.activate(true, none);
        }
        StringBuilder out = new StringBuilder(String.format("%s layers (median of %d, ms)   forward  backward%n",
                name, REPEATS));
        double forwardTotal = 0;
        double backwardTotal = 0;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            INDArray in = inputs.get(i);
            INDArray epsilon = layer.activate(true, none).ulike().assign(1e-3);
            double forward = median(() -> {
                layer.setInput(in, none);
                return layer.activate(true, none);
            });
            double backward = median(() -> {
                layer.setInput(in, none);
                layer.activate(true, none);
                return layer.backpropGradient(epsilon, none).getSecond();
            }) - forward;
            forwardTotal += forward;
            backwardTotal += backward;
            out.append(String.format("  %-12s %-26s %8.1f %8.1f%n", layer.conf().getLayer().getLayerName(),
                    java.util.Arrays.toString(layer.activate(true, none).shape()), forward, backward));
        }
        out.append(String.format("  %-39s %8.1f %8.1f%n", "total", forwardTotal, backwardTotal));
        return out.toString();
    }

    private static INDArray flatGradient(ComputationGraph graph) {
        graph.initGradientsView();
        INDArray gradient = graph.getGradientsViewArray();
        return gradient.reshape(gradient.length());
    }

    private static double median(Supplier<?> work) {
        work.get(); // warm-up: oneDNN builds its kernels on first use
        double[] ms = new double[REPEATS];
        for (int i = 0; i < REPEATS; i++) {
            long start = System.nanoTime();
            work.get();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        java.util.Arrays.sort(ms);
        return ms[REPEATS / 2];
    }
}
