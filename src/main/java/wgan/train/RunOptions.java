package wgan.train;

import org.nd4j.linalg.factory.Nd4j;
import wgan.config.TrainConfig;
import wgan.config.Versions;
import wgan.io.GeneratorCheckpoint;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** options.json: every resolved option, and what the run ran on. */
final class RunOptions {
    private RunOptions() {
    }

    static Map<String, Object> of(TrainConfig c, int images, int skipped) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("data", c.data().toAbsolutePath().normalize().toString());
        options.put("out", c.outDir().toAbsolutePath().normalize().toString());
        options.put("epochs", c.epochs());
        options.put("batch_size", c.batchSize());
        options.put("n_critic", c.nCritic());
        options.put("clip", c.clip());
        options.put("lr_d", c.lrD());
        options.put("lr_g", c.lrG());
        options.put("optimizer", c.optimizer().name());
        options.put("seed", c.seed());
        options.put("model", GeneratorCheckpoint.modelToMap(c.model()));
        options.put("images_used", images);
        options.put("images_skipped", skipped);
        options.put("versions", Map.of("wgan", Versions.wgan(), "dl4j", Versions.dl4j(),
                "java", System.getProperty("java.version")));
        options.put("backend", backend());
        return options;
    }

    static Map<String, Object> backend() {
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("name", String.valueOf(env.getOrDefault("backend", Nd4j.getBackend().getClass().getSimpleName())));
        b.put("blas", String.valueOf(env.getOrDefault("blas.vendor", "unknown")));
        b.put("threads", Nd4j.getEnvironment().maxMasterThreads());
        b.put("cores", Runtime.getRuntime().availableProcessors());
        return b;
    }
}
