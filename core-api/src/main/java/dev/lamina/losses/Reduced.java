package dev.lamina.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.lamina.data.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A loss with a {@link Reduction} other than the default mean: the same per-sample values,
 * summed ({@code sum}) or returned as they are ({@code none}). Written to files as the loss's own
 * settings plus {@code reduction}.
 *
 * @param loss the loss
 * @param reduction how its per-sample values are reduced (not {@code sum_over_batch_size}, which
 *     is the loss itself)
 */
public record Reduced(LossSpec loss, Reduction reduction) implements LossSpec {
    public Reduced {
        if (loss instanceof Reduced r) {
            loss = r.loss();
        }
    }

    @Override
    public String type() {
        return loss.type();
    }

    @Override
    public NDArray perSample(NDArray labels, NDArray predictions) {
        return loss.perSample(labels, predictions);
    }

    @Override
    public void checkLabels(Tensor labels, Shape output) {
        loss.checkLabels(labels, output);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>(loss.config());
        c.put("reduction", reduction.kerasName());
        return c;
    }
}
