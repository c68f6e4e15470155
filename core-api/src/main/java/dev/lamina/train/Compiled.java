package dev.lamina.train;

import dev.lamina.losses.LossSpec;
import dev.lamina.metrics.MetricSpec;
import dev.lamina.optimizers.OptimizerSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model's compile settings: the optimizer, a loss per output (one loss serves every output, as
 * in Keras) with weights in the total, and the metrics reported for each output.
 */
public record Compiled(OptimizerSpec optimizer, List<LossSpec> losses, List<Double> lossWeights,
        List<MetricSpec> metrics) {
    public Compiled {
        if (optimizer == null) {
            throw new IllegalArgumentException("compile needs an optimizer, such as Optimizers.adam(1e-3)");
        }
        if (losses == null || losses.isEmpty() || losses.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("compile needs a loss, such as Losses.softmaxCrossEntropy()");
        }
        losses = List.copyOf(losses);
        if (lossWeights == null || lossWeights.isEmpty()) {
            List<Double> ones = new ArrayList<>();
            losses.forEach(l -> ones.add(1.0));
            lossWeights = ones;
        }
        if (lossWeights.size() != losses.size()) {
            throw new IllegalArgumentException("loss_weights has " + lossWeights.size()
                    + " weights for " + losses.size() + " losses: give one weight per loss");
        }
        for (Double w : lossWeights) {
            if (w == null || !(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("loss_weights must be finite numbers >= 0,"
                        + " received " + lossWeights);
            }
        }
        lossWeights = List.copyOf(lossWeights);
        metrics = List.copyOf(metrics);
    }

    /** One loss (for every output), weight 1. */
    public Compiled(OptimizerSpec optimizer, LossSpec loss, List<MetricSpec> metrics) {
        this(optimizer, loss == null ? null : List.of(loss), null, metrics);
    }

    /** The first (or only) loss. */
    public LossSpec loss() {
        return losses.get(0);
    }

    /** The loss for output {@code i} of {@code outputs}: its own, or the only one. */
    public LossSpec lossFor(int i) {
        return losses.size() == 1 ? losses.get(0) : losses.get(i);
    }

    /** The weight of output {@code i}'s loss in the total. */
    public double weightFor(int i) {
        return lossWeights.size() == 1 ? lossWeights.get(0) : lossWeights.get(i);
    }

    /** {optimizer: {...}, loss: ..., metrics: [...]}, as written in model.json and YAML. */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("optimizer", optimizer.toMap());
        if (losses.size() == 1) {
            out.put("loss", losses.get(0).toMap());
        } else {
            List<Object> ls = new ArrayList<>();
            losses.forEach(l -> ls.add(l.toMap()));
            out.put("loss", ls);
        }
        if (lossWeights.stream().anyMatch(w -> w != 1.0)) {
            out.put("loss_weights", lossWeights);
        }
        List<Object> ms = new ArrayList<>();
        metrics.forEach(m -> ms.add(m.toMap()));
        out.put("metrics", ms);
        return out;
    }
}
