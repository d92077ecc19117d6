package wgan.io;

import wgan.files.AtomicFiles;
import com.fasterxml.jackson.databind.JsonNode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import wgan.config.InputException;
import wgan.config.ModelConfig;
import wgan.files.FileErrors;
import wgan.model.Dcgan;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A generator on its own, enough for {@code wgan sample}: a zip in DL4J's ModelSerializer layout
 * (configuration.json, coefficients.bin, so DL4J's restoreComputationGraph opens it too) plus
 * wgan.json with the model options it was built from.
 *
 * <p>A run with an EMA generator stores the EMA weights as coefficients.bin and the trained
 * generator's as raw-coefficients.bin (wgan.json: "weights": "ema", "raw_entry"): the graph
 * that DL4J or any reader of the ModelSerializer layout opens is the one wgan samples from by
 * default, and --raw reads the second entry of the same file. Without EMA ("weights": "raw",
 * also files from before the EMA generator) coefficients.bin is the trained generator.
 */
public final class GeneratorCheckpoint {
    public static final String FORMAT = "wgan-generator";
    static final String META_ENTRY = "wgan.json";
    private static final String CONFIGURATION_ENTRY = "configuration.json";
    private static final String COEFFICIENTS_ENTRY = "coefficients.bin";
    static final String RAW_COEFFICIENTS_ENTRY = "raw-coefficients.bin";
    /** wgan.json's "weights": what coefficients.bin holds. */
    public static final String EMA = "ema";
    public static final String RAW = "raw";

    /**
     * A generator read back, with what it was trained with.
     *
     * @param weights {@link #EMA} or {@link #RAW}: which generator's weights the graph holds
     */
    public record Loaded(ComputationGraph generator, ModelConfig model, Map<String, Object> meta, String weights) {
    }

    private GeneratorCheckpoint() {
    }

    public static void save(ComputationGraph generator, ModelConfig model, Map<String, Object> extraMeta, Path file)
            throws IOException {
        AtomicFiles.write(file, writer(generator, model, extraMeta));
    }

    /** Writes the zip to a given path (not atomically: compose with {@link AtomicFiles}). */
    public static AtomicFiles.Writer writer(ComputationGraph generator, ModelConfig model, Map<String, Object> extraMeta) {
        return writer(generator, null, model, extraMeta);
    }

    /**
     * As {@link #writer(ComputationGraph, ModelConfig, Map)} for a run with an EMA generator: ema
     * is the graph, raw the trained generator's weights in a second entry (null: no EMA, generator
     * is the trained one).
     */
    public static AtomicFiles.Writer writer(ComputationGraph generator, ComputationGraph raw, ModelConfig model,
                                            Map<String, Object> extraMeta) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("model", modelToMap(model));
        meta.put("weights", raw != null ? EMA : RAW);
        if (raw != null) {
            meta.put("raw_entry", RAW_COEFFICIENTS_ENTRY);
        }
        meta.putAll(extraMeta);
        return temp -> {
            try (OutputStream out = Files.newOutputStream(temp);
                 ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(out))) {
                zip.setLevel(Deflater.NO_COMPRESSION); // float weights do not compress; deflate cost seconds
                putText(zip, META_ENTRY, Json.pretty(meta));
                putText(zip, CONFIGURATION_ENTRY, generator.getConfiguration().toJson());
                zip.putNextEntry(new ZipEntry(COEFFICIENTS_ENTRY));
                DataOutputStream data = new DataOutputStream(new BufferedOutputStream(zip, 1 << 20));
                Nd4j.write(generator.params(), data);
                data.flush();
                zip.closeEntry();
                if (raw != null) {
                    zip.putNextEntry(new ZipEntry(RAW_COEFFICIENTS_ENTRY));
                    Nd4j.write(raw.params(), data);
                    data.flush();
                    zip.closeEntry();
                }
            }
        };
    }

    /** The generator wgan samples from by default: the EMA one when the file holds it. */
    public static Loaded load(Path file) {
        return load(file, false);
    }

    /** @param raw the trained generator even when the file holds an EMA one */
    public static Loaded load(Path file, boolean raw) {
        if (Files.isDirectory(file)) {
            throw new InputException("checkpoint " + file + " is a folder; give the generator file itself: "
                    + generatorIn(file));
        }
        if (!Files.isRegularFile(file)) {
            throw new InputException("checkpoint " + file + " does not exist; give the generator.zip of a run"
                    + " (runs/<run>/checkpoints/generator.zip)");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry metaEntry = zip.getEntry(META_ENTRY);
            ZipEntry coefficients = zip.getEntry(COEFFICIENTS_ENTRY);
            JsonNode meta = metaEntry == null ? null : Json.parse(readText(zip, metaEntry));
            if (meta == null || coefficients == null || !FORMAT.equals(meta.path("format").asText())) {
                throw foreign(file);
            }
            ModelConfig model = modelFromJson(meta.get("model"));
            String stored = meta.path("weights").asText(RAW);
            if (raw && EMA.equals(stored)) {
                coefficients = zip.getEntry(meta.path("raw_entry").asText(RAW_COEFFICIENTS_ENTRY));
                if (coefficients == null) {
                    throw new InputException("checkpoint " + file + " is damaged: it has no trained (raw) generator"
                            + " beside its EMA one");
                }
            }
            String weights = raw ? RAW : stored;
            INDArray params;
            try (InputStream in = zip.getInputStream(coefficients)) {
                params = Nd4j.read(new DataInputStream(in)).castTo(DataType.FLOAT);
            }
            ComputationGraph generator = new ComputationGraph(Dcgan.generator(model, DataType.FLOAT));
            if (params.length() != generator.getConfiguration().getVertices().values().stream()
                    .mapToLong(v -> v.numParams(true)).sum()) {
                throw new InputException("checkpoint " + file + " is damaged: its weights do not fit its model options");
            }
            generator.init(params.reshape(params.length()), false);
            @SuppressWarnings("unchecked")
            Map<String, Object> metaMap = new com.fasterxml.jackson.databind.ObjectMapper().convertValue(meta, Map.class);
            return new Loaded(generator, model, metaMap, weights);
        } catch (java.util.zip.ZipException e) {
            throw foreign(file);
        } catch (IOException e) {
            throw new InputException("cannot read checkpoint " + file + ": " + FileErrors.reason(e), e);
        }
    }

    /** The generator.zip a user most likely meant by a folder: a run's, a checkpoints folder's, or the pattern. */
    private static String generatorIn(Path dir) {
        for (Path candidate : new Path[]{dir.resolve("checkpoints").resolve(CheckpointFiles.GENERATOR),
                dir.resolve(CheckpointFiles.GENERATOR)}) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toString();
            }
        }
        return dir.resolve("checkpoints").resolve(CheckpointFiles.GENERATOR) + " if it is a run folder"
                + " (runs/<run>/checkpoints/generator.zip)";
    }

    private static InputException foreign(Path file) {
        return new InputException(file + " is not a wgan generator checkpoint; give the generator.zip"
                + " written by wgan train (runs/<run>/checkpoints/generator.zip)");
    }

    public static Map<String, Object> modelToMap(ModelConfig m) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("image_size", m.imageSize());
        map.put("channels", m.channels());
        map.put("nz", m.nz());
        map.put("ngf", m.ngf());
        map.put("ndf", m.ndf());
        map.put("extra_layers", m.extraLayers());
        map.put("critic_batch_norm", m.criticBatchNorm());
        map.put("classes", m.classes());
        return map;
    }

    public static ModelConfig modelFromJson(JsonNode n) {
        return new ModelConfig(n.get("image_size").asInt(), n.get("channels").asInt(), n.get("nz").asInt(),
                n.get("ngf").asInt(), n.get("ndf").asInt(), n.get("extra_layers").asInt(),
                n.path("critic_batch_norm").asBoolean(true), // runs before the penalty had BatchNorm
                n.path("classes").asInt(0)); // runs before conditional training were unconditional
    }

    private static void putText(ZipOutputStream zip, String name, String text) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(text.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }

    private static String readText(ZipFile zip, ZipEntry entry) throws IOException {
        try (InputStream in = zip.getInputStream(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
