package dev.lamina.run.search;

import dev.lamina.spec.ConfigNode;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What a search optimises: {@code {metric: val_accuracy, direction: max}}. The metric is a column
 * of the trial's {@code history.csv} (its best epoch counts, so early stopping and the last,
 * worse epochs do not hide a good trial) or a {@code test_} score of its {@code metrics.json}.
 * Without {@code direction}, a loss or error is minimised and an accuracy, AUC, precision or
 * recall maximised.
 */
public record Objective(String metric, boolean maximize) implements Serializable {
    /** True when {@code a} is better than {@code b} (NaN is never better). */
    public boolean better(double a, double b) {
        if (Double.isNaN(a)) {
            return false;
        }
        return Double.isNaN(b) || (maximize ? a > b : a < b);
    }

    /** "max" or "min". */
    public String direction() {
        return maximize ? "max" : "min";
    }

    static Objective parse(ConfigNode node) {
        if (!node.isMap()) {
            throw node.error("objective is {metric: NAME, direction: max|min}, such as"
                    + " {metric: val_accuracy, direction: max}");
        }
        node.allowKeys("objective", List.of("metric", "direction"), "Settings: metric, direction");
        Map<String, ConfigNode> m = node.asMap();
        ConfigNode metric = m.get("metric");
        if (metric == null) {
            throw node.error("objective needs 'metric', such as {metric: val_accuracy}");
        }
        String name = metric.asString();
        ConfigNode d = m.get("direction");
        if (d != null) {
            String dir = d.asString();
            if (!dir.equals("max") && !dir.equals("min")) {
                throw d.error("expected max or min, received direction=" + dir);
            }
            return new Objective(name, dir.equals("max"));
        }
        String bare = name.replaceFirst("^(val_|test_)", "");
        if (bare.endsWith("loss") || bare.endsWith("mse") || bare.endsWith("mae")
                || bare.endsWith("error")) {
            return new Objective(name, false);
        }
        if (bare.contains("acc") || bare.endsWith("auc") || bare.endsWith("precision")
                || bare.endsWith("recall")) {
            return new Objective(name, true);
        }
        throw metric.error("cannot tell whether " + name + " should be maximised or minimised:"
                + " give direction: max or direction: min");
    }
}
