package wgan.metrics;

import wgan.io.Json;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/** Appends one JSON object per line to metrics.jsonl, flushed at once so a crash loses no line. */
public final class MetricsLog implements Closeable {
    private final BufferedWriter out;

    public MetricsLog(Path file) throws IOException {
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    public void write(IterationRecord r) throws IOException {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("epoch", r.epoch());
        line.put("gen_iter", r.genIter());
        line.put("critic_steps", r.criticSteps());
        line.put("loss_d", finiteOrNull(r.lossD()));
        line.put("loss_g", finiteOrNull(r.lossG()));
        line.put("loss_d_real", finiteOrNull(r.lossDReal()));
        line.put("loss_d_fake", finiteOrNull(r.lossDFake()));
        if (!Double.isNaN(r.penalty())) {
            line.put("penalty", finiteOrNull(r.penalty()));
        }
        line.put("seconds", round(r.seconds(), 4));
        line.put("images_per_s", round(r.imagesPerS(), 1));
        writeLine(line);
    }

    /** A line that is not an iteration (e.g. a rollback): {"event": name, "gen_iter": n, ...details}. */
    public void writeEvent(String event, long genIter, Map<String, Object> details) throws IOException {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", event);
        line.put("gen_iter", genIter);
        line.putAll(details);
        writeLine(line);
    }

    /**
     * An image-quality line, {"epoch":E,"gen_iter":G,"swd":{...},"critic":{...}} (see
     * QualityProbe.Result.toMap; "critic" holds the critic's estimate on training and held-out
     * images, when the run holds some out), told apart from iteration lines by its "swd" object.
     */
    public void writeQuality(int epoch, long genIter, QualityProbe.Result quality, Map<String, Object> critic)
            throws IOException {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("epoch", epoch);
        line.put("gen_iter", genIter);
        line.put("swd", quality.toMap());
        if (critic != null) {
            line.put("critic", critic);
        }
        writeLine(line);
    }

    private void writeLine(Map<String, Object> line) throws IOException {
        out.write(Json.line(line));
        out.newLine();
        out.flush();
    }

    /** JSON has no NaN; a loss that is not known (or not finite) is written as null. */
    private static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static double round(double v, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(v * scale) / scale;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
