package wgan.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import wgan.config.ModelConfig;

/**
 * The generator, the critic and the two chained ({@link Dcgan#chain}), sharing ONE flat parameter
 * vector laid out as [generator | critic]: an update through any of them is seen at once by the
 * others, with no copies between steps. The engines (wgan.engine) compute on these graphs; the
 * generator graph is what checkpoints save and sampling runs.
 */
public final class GanNetworks {
    private final ModelConfig config;
    private final ComputationGraph chained;
    private final ComputationGraph generator;
    private final ComputationGraph critic;
    private final ParamLayout chainedLayout;
    private final ParamLayout generatorLayout;
    private final ParamLayout criticLayout;

    private GanNetworks(ModelConfig config, ComputationGraphConfiguration generatorConf,
                        ComputationGraphConfiguration criticConf, INDArray initialParams) {
        this.config = config;
        chained = new ComputationGraph(Dcgan.chain(generatorConf, criticConf));
        chained.init(initialParams, false);
        INDArray all = chained.params();
        generator = new ComputationGraph(generatorConf);
        critic = new ComputationGraph(criticConf);
        long nGenerator = generatorConf.getVertices().values().stream().mapToLong(v -> v.numParams(true)).sum();
        generator.init(all.get(NDArrayIndex.interval(0, nGenerator)), false);
        critic.init(all.get(NDArrayIndex.interval(nGenerator, all.length())), false);
        chainedLayout = ParamLayout.of(chained);
        generatorLayout = ParamLayout.of(generator);
        criticLayout = ParamLayout.of(critic);
        if (!chainedLayout.blocks().subList(0, generatorLayout.blocks().size()).equals(generatorLayout.blocks())) {
            throw new IllegalStateException("the chained graph does not start with the generator's parameters");
        }
    }

    /** Fresh DCGAN networks ({@link Dcgan}) initialised as the reference does (weights_init in main.py). */
    public static GanNetworks initialised(ModelConfig config, DataType dataType, long seed) {
        return initialised(config, Dcgan.generator(config, dataType), Dcgan.critic(config, dataType), seed);
    }

    /**
     * Fresh networks of other configurations (tests use this to change a layer): the generator
     * takes noise [nz, 1, 1] and the critic ends in a Wasserstein loss layer, as Dcgan's do.
     */
    public static GanNetworks initialised(ModelConfig config, ComputationGraphConfiguration generator,
                                          ComputationGraphConfiguration critic, long seed) {
        GanNetworks nets = new GanNetworks(config, generator, critic, null);
        nets.initialiseLikeReference(Rng.derive(seed, "init"));
        return nets;
    }

    /** DCGAN networks over a given flat [generator | critic] vector (used as is, not copied). */
    public static GanNetworks fromParams(ModelConfig config, INDArray params) {
        return new GanNetworks(config, Dcgan.generator(config, params.dataType()), Dcgan.critic(config, params.dataType()),
                params);
    }

    /**
     * Conv weights N(0, 0.02); BatchNorm gamma N(1, 0.02), beta 0; running mean 0, variance 1
     * (PyTorch's buffers). Drawn from our own generator so a seed gives the same start on any backend.
     */
    private void initialiseLikeReference(Rng rng) {
        INDArray flat = chained.params();
        for (ParamBlock b : chainedLayout.blocks()) {
            INDArray view = ParamLayout.view(flat, b);
            switch (b.key()) {
                case "W", "E" -> view.assign(gaussian(rng, b.length(), 0.0, 0.02)); // E: the projection's class embedding
                case "gamma" -> view.assign(gaussian(rng, b.length(), 1.0, 0.02));
                case "beta", "b", "mean" -> view.assign(0);
                case "var" -> view.assign(1);
                default -> throw new IllegalStateException("unexpected parameter " + b);
            }
        }
    }

    private static INDArray gaussian(Rng rng, long n, double mean, double std) {
        float[] values = new float[Math.toIntExact(n)];
        rng.fillGaussian(values, mean, std);
        return Nd4j.createFromArray(values);
    }

    public ModelConfig config() {
        return config;
    }

    /** Generator then critic then Wasserstein loss: DL4J's backprop of a generator step runs on it. */
    public ComputationGraph chained() {
        return chained;
    }

    public ComputationGraph generator() {
        return generator;
    }

    /** Critic with its Wasserstein loss layer. */
    public ComputationGraph critic() {
        return critic;
    }

    public ParamLayout chainedLayout() {
        return chainedLayout;
    }

    public ParamLayout generatorLayout() {
        return generatorLayout;
    }

    public ParamLayout criticLayout() {
        return criticLayout;
    }

    /** All parameters, [generator | critic]. A view: writing to it changes the networks. */
    public INDArray allParams() {
        return chained.params();
    }
}
