package wgan.report;

import com.fasterxml.jackson.databind.JsonNode;
import wgan.io.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
            JsonNode line;
            try {
                line = Json.parse(text);
            } catch (IOException e) {
                continue;
            }
            if (line == null || !line.isObject()) {
                continue;
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
        return new RunHistory(iterations, qualities);
    }
}
