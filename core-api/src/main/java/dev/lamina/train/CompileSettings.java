package dev.lamina.train;

import dev.lamina.losses.Losses;
import dev.lamina.metrics.MetricSpec;
import dev.lamina.metrics.Metrics;
import dev.lamina.optimizers.Optimizers;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads {@code compile: {optimizer, loss, metrics}} from YAML or model.json. */
public final class CompileSettings {
    private static final Set<String> KEYS = Set.of("optimizer", "loss", "metrics");

    private CompileSettings() {}

    /** Parses the compile map; unknown keys are refused with a "did you mean". */
    public static Compiled parse(ConfigNode node) {
        Map<String, ConfigNode> m = node.asMap();
        for (Map.Entry<String, ConfigNode> e : m.entrySet()) {
            if (!KEYS.contains(e.getKey())) {
                throw e.getValue().error("compile has no setting '" + e.getKey() + "'."
                        + Names.didYouMean(e.getKey(), KEYS) + " Settings: optimizer, loss, metrics");
            }
        }
        if (!m.containsKey("optimizer")) {
            throw node.error("compile needs an optimizer, such as {adam: {learning_rate: 0.001}}");
        }
        if (!m.containsKey("loss")) {
            throw node.error("compile needs a loss, such as softmax_cross_entropy");
        }
        List<MetricSpec> metrics = new ArrayList<>();
        ConfigNode ms = m.get("metrics");
        if (ms != null && !ms.isNull()) {
            for (ConfigNode x : ms.asList()) {
                metrics.add(Metrics.parse(x));
            }
        }
        return new Compiled(Optimizers.parse(m.get("optimizer")), Losses.parse(m.get("loss")),
                metrics);
    }
}
