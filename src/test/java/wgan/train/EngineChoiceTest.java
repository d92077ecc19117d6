package wgan.train;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgan.config.EngineKind;
import wgan.config.InputException;
import wgan.config.ModelConfig;
import wgan.config.OptimizerKind;
import wgan.engine.GraphEngine;
import wgan.engine.fast.FastEngine;
import wgan.model.Dcgan;
import wgan.model.GanNetworks;
import wgan.model.Generation;
import wgan.model.Rng;
import wgan.optim.Optimizer;

import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A change to the networks in one place (the graph configurations) changes what trains: the
 * fast engine refuses, in one line naming the layer, any graph it does not run as DL4J would;
 * --engine auto then trains it through DL4J's backprop and says why; --engine fast refuses.
 */
class EngineChoiceTest {
    private static final ModelConfig MODEL = new ModelConfig(16, 3, 8, 4, 4, 0);

    @Test
    void theShippedNetworksRunOnTheFastEngine() {
        EngineChoice choice = EngineChoice.of(EngineKind.auto, GanNetworks.initialised(MODEL, DataType.FLOAT, 1));
        assertInstanceOf(FastEngine.class, choice.engine());
        assertTrue(choice.line().startsWith("engine: fast ("), choice.line());
        EngineChoice graph = EngineChoice.of(EngineKind.graph, GanNetworks.initialised(MODEL, DataType.FLOAT, 1));
        assertEquals("engine: dl4j graph (chosen with --engine graph)", graph.line());
    }

    @Test
    void anotherCriticActivation() {
        expectGraphEngine(changedCritic(conf -> ((ActivationLayer) layer(conf, "d1_act")).setActivationFn(new ActivationReLU())),
                Dcgan.generator(MODEL, DataType.FLOAT), "critic layer d1_act: ReLU is not in the fast engine's critic");
    }

    @Test
    void anotherGeneratorOutputActivation() {
        ComputationGraphConfiguration generator = Dcgan.generator(MODEL, DataType.FLOAT);
        ((BaseLayer) layer(generator, Dcgan.GENERATOR_OUTPUT)).setActivationFn(new ActivationSigmoid());
        expectGraphEngine(Dcgan.critic(MODEL, DataType.FLOAT), generator,
                "layer g_out: activation sigmoid is not in the fast engine");
    }

    @Test
    void anotherConvolutionMode() {
        expectGraphEngine(changedCritic(conf -> ((ConvolutionLayer) layer(conf, "d1")).setConvolutionMode(ConvolutionMode.Same)),
                Dcgan.generator(MODEL, DataType.FLOAT), "layer d1: ConvolutionMode.Same is not in the fast engine");
    }

    @Test
    void anAddedDropoutLayer() {
        ComputationGraphConfiguration critic = Dcgan.critic(MODEL, DataType.FLOAT);
        Layer loss = layer(critic, Dcgan.CRITIC_LOSS).clone();
        ComputationGraphConfiguration withDropout = new ComputationGraphConfiguration.GraphBuilder(critic,
                new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT))
                .removeVertex(Dcgan.CRITIC_LOSS)
                .addLayer("d_drop", new DropoutLayer(0.5), "d1_act")
                .removeVertex(Dcgan.CRITIC_SCORE)
                .addLayer(Dcgan.CRITIC_SCORE, layer(critic, Dcgan.CRITIC_SCORE).clone(), "d_drop")
                .addLayer(Dcgan.CRITIC_LOSS, loss, Dcgan.CRITIC_SCORE)
                .setOutputs(Dcgan.CRITIC_LOSS)
                .build();
        expectGraphEngine(withDropout, Dcgan.generator(MODEL, DataType.FLOAT), "layer d_drop: dropout is not in the fast engine");
    }

    /** auto names the layer and trains on the graph engine; fast refuses with the same reason. */
    private static void expectGraphEngine(ComputationGraphConfiguration critic, ComputationGraphConfiguration generator,
                                          String reason) {
        GanNetworks nets = GanNetworks.initialised(MODEL, generator, critic, 1);
        EngineChoice choice = EngineChoice.of(EngineKind.auto, nets);
        assertInstanceOf(GraphEngine.class, choice.engine());
        assertTrue(choice.line().startsWith("engine: dl4j graph (" + reason), choice.line());
        InputException refused = assertThrows(InputException.class, () -> EngineChoice.of(EngineKind.fast, nets));
        assertTrue(refused.getMessage().startsWith("--engine fast cannot run these networks: " + reason), refused.getMessage());

        WganSteps steps = new WganSteps(nets, choice.engine(), 0.01,
                Optimizer.create(OptimizerKind.rmsprop, 5e-5, nets.critic().params()),
                Optimizer.create(OptimizerKind.rmsprop, 5e-5, nets.generator().params()));
        INDArray before = nets.allParams().dup();
        INDArray real = Nd4j.rand(DataType.FLOAT, 4, 3, 16, 16).muli(2).subi(1);
        Rng rng = new Rng(2);
        WganSteps.CriticResult critic1 = steps.criticStep(real, Generation.noise(rng, 4, MODEL.nz()));
        double lossG = steps.generatorStep(Generation.noise(rng, 4, MODEL.nz()));
        assertTrue(Double.isFinite(critic1.lossD()) && Double.isFinite(lossG), critic1 + " " + lossG);
        assertTrue(nets.generator().params().neq(before.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0,
                nets.generatorLayout().size()))).any(), "the generator was updated");
    }

    private static ComputationGraphConfiguration changedCritic(Consumer<ComputationGraphConfiguration> change) {
        ComputationGraphConfiguration critic = Dcgan.critic(MODEL, DataType.FLOAT);
        change.accept(critic);
        return critic;
    }

    private static Layer layer(ComputationGraphConfiguration conf, String name) {
        return ((LayerVertex) conf.getVertices().get(name)).getLayerConf().getLayer();
    }
}
