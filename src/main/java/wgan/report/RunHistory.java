package wgan.report;

import com.fasterxml.jackson.databind.JsonNode;
import wgan.io.Json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * metrics.jsonl read back: iteration lines (loss_d, loss_g, ...) and image-quality lines (an
 * "swd" object). A line that does not parse, such as the last one of a run still writing, is skipped.
 */
record RunHistory(List<Iteration> iterations, List<Quality> qualities) {

    record Iteration(int epoch, long genIter, double lossD, double lossG, double seconds, double imagesPerS) {
    }

    /** swd and floor are means over levels, x1000. */
    /** criticTrain and criticHeldOut: the critic's Wasserstein estimate on each (NaN when not logged). */
    record Quality(int epoch, long genIter, double swd, double floor, JsonNode levels, JsonNode floorLevels,
                   double criticTrain, double criticHeldOut) {
    }

    static RunHistory read(Path metrics) throws IOException {
        List<Iteration> iterations = new ArrayList<>();
        List<Quality> qualities = new ArrayList<>();
        if (!Files.exists(metrics)) {
            return new RunHistory(iterations, qualities);
        }
        for (String text : Files.readAllLines(metrics)) {
            parse(text, iterations, qualities);
        }
        return new RunHistory(iterations, qualities);
    }

    private static void parse(String text, List<Iteration> iterations, List<Quality> qualities) {
        JsonNode line;
        try {
            line = Json.parse(text);
        } catch (IOException e) {
            return;
        }
        if (line == null || !line.isObject()) {
            return;
        }
        int epoch = line.path("epoch").asInt();
        long genIter = line.path("gen_iter").asLong();
        JsonNode swd = line.get("swd");
        if (swd != null) {
            JsonNode critic = line.path("critic");
            qualities.add(new Quality(epoch, genIter, swd.path("mean").asDouble(), swd.path("floor_mean").asDouble(),
                    swd.path("levels"), swd.path("floor"), critic.path("wasserstein_train").asDouble(Double.NaN),
                    critic.path("wasserstein_held_out").asDouble(Double.NaN)));
        } else if (line.has("loss_d")) {
            iterations.add(new Iteration(epoch, genIter, line.path("loss_d").asDouble(), line.path("loss_g").asDouble(),
                    line.path("seconds").asDouble(), line.path("images_per_s").asDouble()));
        }
    }

    /**
     * metrics.jsonl of a run still being written, read incrementally: each {@link #read()} parses
     * only the complete lines added since the last one, so that the report costs the same at epoch
     * 1,000 as at epoch 1. A file that was replaced or shortened (a rollback or a resume truncates
     * it) is read again from its start.
     */
    static final class Tail {
        private final Path metrics;
        private final List<Iteration> iterations = new ArrayList<>();
        private final List<Quality> qualities = new ArrayList<>();
        private long offset;
        private Object fileKey;

        Tail(Path metrics) {
            this.metrics = metrics;
        }

        RunHistory read() throws IOException {
            if (!Files.exists(metrics)) {
                reset(null);
                return view();
            }
            BasicFileAttributes attributes = Files.readAttributes(metrics, BasicFileAttributes.class);
            if (attributes.size() < offset || !Objects.equals(attributes.fileKey(), fileKey)) {
                reset(attributes.fileKey());
            }
            try (SeekableByteChannel channel = Files.newByteChannel(metrics, StandardOpenOption.READ)) {
                long size = channel.size();
                if (size > offset) {
                    ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(size - offset));
                    channel.position(offset);
                    while (bytes.hasRemaining() && channel.read(bytes) >= 0) {
                        // read to the size seen: lines written meanwhile wait for the next call
                    }
                    int end = bytes.position();
                    while (end > 0 && bytes.get(end - 1) != '\n') {
                        end--; // a line still being written is left for the next call
                    }
                    String text = new String(bytes.array(), 0, end, StandardCharsets.UTF_8);
                    for (String line : text.split("\n")) {
                        if (!line.isBlank()) {
                            parse(line, iterations, qualities);
                        }
                    }
                    offset += end;
                }
            }
            return view();
        }

        private void reset(Object key) {
            iterations.clear();
            qualities.clear();
            offset = 0;
            fileKey = key;
        }

        private RunHistory view() {
            return new RunHistory(Collections.unmodifiableList(iterations), Collections.unmodifiableList(qualities));
        }
    }
}
