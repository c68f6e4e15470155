package dev.lamina.train;

import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A batch's logs that are computed (read back from the engine) the first time a callback looks
 * at them, and not at all when none does: most batches end without anyone asking.
 */
final class LazyLogs extends AbstractMap<String, Double> {
    private final Supplier<Map<String, Double>> source;
    private Map<String, Double> logs;

    LazyLogs(Supplier<Map<String, Double>> source) {
        this.source = source;
    }

    @Override
    public Set<Entry<String, Double>> entrySet() {
        if (logs == null) {
            logs = Map.copyOf(source.get());
        }
        return logs.entrySet();
    }
}
