package wgan.engine.fast;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wall-clock time of each layer's parts inside the native passes, for {@code wgan bench --profile}
 * (libnd4j's CPU ops return when done, so laps between them are the ops' times). Training uses
 * {@link #NONE}, which does nothing.
 */
public interface SectionTimer {
    enum Part { CONV_FORWARD, NORM_ACTIVATION_FORWARD, NORM_ACTIVATION_BACKWARD, CONV_BACKWARD }

    SectionTimer NONE = new SectionTimer() {
        @Override
        public void start() {
        }

        @Override
        public void lap(String layer, Part part) {
        }
    };

    /** Marks the start of the next section. */
    void start();

    /** Charges the time since the previous mark to the layer's part, and marks. */
    void lap(String layer, Part part);

    /** Accumulates laps per layer (in first-seen order) and part. */
    final class Laps implements SectionTimer {
        private final Map<String, EnumMap<Part, Long>> nanos = new LinkedHashMap<>();
        private long mark;

        @Override
        public void start() {
            mark = System.nanoTime();
        }

        @Override
        public void lap(String layer, Part part) {
            long now = System.nanoTime();
            nanos.computeIfAbsent(layer, k -> new EnumMap<>(Part.class)).merge(part, now - mark, Long::sum);
            mark = now;
        }

        public void clear() {
            nanos.clear();
        }

        /** Milliseconds per layer and part, divided by the number of passes timed. */
        public Map<String, EnumMap<Part, Double>> millis(int passes) {
            Map<String, EnumMap<Part, Double>> out = new LinkedHashMap<>();
            nanos.forEach((layer, parts) -> {
                EnumMap<Part, Double> ms = new EnumMap<>(Part.class);
                parts.forEach((part, ns) -> ms.put(part, ns / 1e6 / passes));
                out.put(layer, ms);
            });
            return out;
        }
    }
}
