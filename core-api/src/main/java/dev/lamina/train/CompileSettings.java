package dev.lamina.train;

import dev.lamina.losses.LossSpec;
import dev.lamina.losses.Losses;
import dev.lamina.metrics.MetricSpec;
import dev.lamina.metrics.Metrics;
import dev.lamina.optimizers.Optimizers;
import dev.lamina.spec.ConfigException;
import dev.lamina.spec.ConfigNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads {@code compile: {optimizer, loss, metrics}} from YAML or model.json. */
public final class CompileSettings {
    private static final Set<String> KEYS = Set.of("optimizer", "loss", "loss_weights", "metrics");

    private CompileSettings() {}

    /** Parses the compile map; unknown keys are refused with a "did you mean". */
    public static Compiled parse(ConfigNode node) {
        Map<String, ConfigNode> m = node.asMap();
        node.allowKeys("compile", KEYS, "Settings: optimizer, loss, loss_weights, metrics");
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
        // one loss for every output, or a list with one per output
        ConfigNode lossNode = m.get("loss");
        List<LossSpec> losses = new ArrayList<>();
        if (lossNode.isList()) {
            for (ConfigNode l : lossNode.asList()) {
                losses.add(Losses.parse(l));
            }
            if (losses.isEmpty()) {
                throw lossNode.error("expected at least one loss");
            }
        } else {
            losses.add(Losses.parse(lossNode));
        }
        List<Double> weights = null;
        ConfigNode w = m.get("loss_weights");
        if (w != null && !w.isNull()) {
            weights = new ArrayList<>();
            for (ConfigNode x : w.asList()) {
                weights.add(x.asDouble());
            }
        }
        try {
            return new Compiled(Optimizers.parse(m.get("optimizer")), losses, weights, metrics);
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            // Compiled checks the weights (one per loss, finite, >= 0): report it at the field
            throw (w != null ? w : node).error(e.getMessage());
        }
    }
}
