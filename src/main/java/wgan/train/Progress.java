package wgan.train;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a run stands, counted so that a checkpoint taken between any two steps can be resumed
 * exactly: the epoch under way, how many of its batches the critic has used, generator
 * iterations done, and critic steps done since the last generator step.
 */
final class Progress {
    int epoch = 1;
    int batchesInEpoch;
    long generatorIterations;
    int criticStepsInPhase;
    boolean finished;

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch);
        m.put("batches_in_epoch", batchesInEpoch);
        m.put("gen_iter", generatorIterations);
        m.put("critic_steps_in_phase", criticStepsInPhase);
        m.put("finished", finished);
        return m;
    }

    static Progress from(JsonNode n) {
        Progress p = new Progress();
        p.epoch = n.get("epoch").asInt();
        p.batchesInEpoch = n.get("batches_in_epoch").asInt();
        p.generatorIterations = n.get("gen_iter").asLong();
        p.criticStepsInPhase = n.get("critic_steps_in_phase").asInt();
        p.finished = n.get("finished").asBoolean();
        return p;
    }

    void startNextEpoch(int lastEpoch) {
        epoch++;
        batchesInEpoch = 0;
        finished = epoch > lastEpoch;
    }
}
