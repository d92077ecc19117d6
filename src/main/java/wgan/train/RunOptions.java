package wgan.train;

import com.fasterxml.jackson.databind.JsonNode;
import org.nd4j.linalg.factory.Nd4j;
import wgan.config.AugmentOp;
import wgan.config.EngineKind;
import wgan.config.Precision;
import wgan.config.LossKind;
import wgan.config.OptimizerKind;
import wgan.config.TrainConfig;
import wgan.config.Versions;
import wgan.data.ImageClasses;
import wgan.data.ImageDecoder;
import wgan.data.ImageSet;
import wgan.io.GeneratorCheckpoint;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** options.json: every resolved option, and what the run ran on. */
public final class RunOptions {
    private RunOptions() {
    }

    /** @param engineUsed the engine that computes the steps, e.g. "fast (...)" or "dl4j graph" */
    static Map<String, Object> of(TrainConfig c, ImageSet data, String engineUsed) {
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
        options.put("checkpoint_every", c.checkpointEvery());
        options.put("keep", c.keepEpochs());
        options.put("eval_every", c.evalEvery());
        options.put("eval_n", c.evalImages());
        options.put("holdout", c.holdout());
        options.put("engine", c.engine().name());
        options.put("loss", c.loss().flag());
        options.put("gp_weight", c.gpWeight());
        options.put("augment", AugmentOp.policy(c.augment()));
        options.put("engine_used", engineUsed);
        options.put("ema_kimg", c.emaKimg());
        options.put("ema_rampup", EmaGenerator.RAMPUP);
        options.put("model", GeneratorCheckpoint.modelToMap(c.model()));
        options.put("max_pixels", c.maxPixels());
        options.put("class_names", new TreeMap<>(c.classNames()));
        options.put("conditional", c.conditional());
        options.put("precision", c.precision().name());
        options.put("images_used", data.count());
        options.put("images_skipped", data.skipped().size());
        options.put("images_with_warnings", data.warnings().size());
        options.put("classes", ImageClasses.describe(data, c.classNames()));
        options.put("versions", Map.of("wgan", Versions.wgan(), "dl4j", Versions.dl4j(),
                "java", System.getProperty("java.version")));
        options.put("backend", backend());
        return options;
    }

    /** The options a run was started with, read back from its options map (for --resume). */
    static TrainConfig config(JsonNode o) {
        return new TrainConfig(GeneratorCheckpoint.modelFromJson(o.get("model")), Path.of(o.get("data").asText()),
                o.get("epochs").asInt(), o.get("batch_size").asInt(), o.get("n_critic").asInt(),
                o.get("clip").asDouble(), o.get("lr_d").asDouble(), o.get("lr_g").asDouble(),
                OptimizerKind.valueOf(o.get("optimizer").asText()), o.get("seed").asLong(),
                Path.of(o.get("out").asText()), o.path("checkpoint_every").asInt(0), o.path("keep").asInt(0),
                o.path("eval_every").asInt(1), o.path("eval_n").asInt(2048), o.path("holdout").asInt(-1),
                EngineKind.valueOf(o.path("engine").asText("auto")), LossKind.fromFlag(o.path("loss").asText("wgan-clip")),
                o.path("gp_weight").asDouble(10), AugmentOp.parse(o.path("augment").asText("none")),
                o.path("ema_kimg").asDouble(0), // runs from before the EMA generator kept none
                o.path("max_pixels").asLong(ImageDecoder.DEFAULT_MAX_PIXELS), classNames(o.path("class_names")),
                o.path("conditional").asBoolean(false),
                Precision.valueOf(o.path("precision").asText("fp32"))); // runs from before --precision: fp32
    }

    private static Map<String, String> classNames(JsonNode names) {
        Map<String, String> m = new LinkedHashMap<>();
        names.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }

    public static Map<String, Object> backend() {
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("name", String.valueOf(env.getOrDefault("backend", Nd4j.getBackend().getClass().getSimpleName())));
        b.put("blas", String.valueOf(env.getOrDefault("blas.vendor", "unknown")));
        b.put("threads", Nd4j.getEnvironment().maxMasterThreads());
        b.put("cores", Runtime.getRuntime().availableProcessors());
        return b;
    }
}
