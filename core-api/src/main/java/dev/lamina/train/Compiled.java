package dev.lamina.train;

import dev.lamina.losses.LossSpec;
import dev.lamina.metrics.MetricSpec;
import dev.lamina.optimizers.OptimizerSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A model's compile settings: optimizer, loss and metrics. */
public record Compiled(OptimizerSpec optimizer, LossSpec loss, List<MetricSpec> metrics) {
    public Compiled {
        if (optimizer == null) {
            throw new IllegalArgumentException("compile needs an optimizer, such as Optimizers.adam(1e-3)");
        }
        if (loss == null) {
            throw new IllegalArgumentException("compile needs a loss, such as Losses.softmaxCrossEntropy()");
        }
        metrics = List.copyOf(metrics);
    }

    /** {optimizer: {...}, loss: {...}, metrics: [...]}, as written in model.json and YAML. */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("optimizer", optimizer.toMap());
        out.put("loss", loss.toMap());
        List<Object> ms = new ArrayList<>();
        metrics.forEach(m -> ms.add(m.toMap()));
        out.put("metrics", ms);
        return out;
    }
}
