package dev.lamina.losses;

import ai.djl.ndarray.NDArray;
import dev.lamina.engine.Constants;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import java.util.Map;

/**
 * Binary cross-entropy, averaged over every element; labels in [0, 1] of the predictions' shape
 * (or the same number of elements, such as (batch) against (batch, 1)).
 *
 * <p>From probabilities ({@code from_logits: false}, the default) they are clipped to
 * [1e-7, 1 − 1e-7]: −(y·log p + (1 − y)·log(1 − p)). From logits x it is computed stably as
 * max(x, 0) − x·y + log(1 + exp(−|x|)).
 *
 * <p>{@code label_smoothing} s (default 0, Keras's) pulls the labels toward 1/2 before either:
 * y·(1 − s) + s/2, as Keras does, whether from probabilities or logits.
 */
public record BinaryCrossentropy(String type, boolean fromLogits, double labelSmoothing)
        implements LossSpec {
    public BinaryCrossentropy {
        LossMath.checkType(type, "binary_crossentropy");
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new SpecException(type, "label_smoothing",
                    "expected a number in [0, 1], received label_smoothing=" + labelSmoothing);
        }
    }

    /** No label smoothing. */
    public BinaryCrossentropy(String type, boolean fromLogits) {
        this(type, fromLogits, 0);
    }

    @Override
    public NDArray perSample(NDArray labels, NDArray predictions) {
        NDArray y = LossMath.align(labels, predictions, type);
        if (labelSmoothing > 0) {
            y = y.mul(1 - labelSmoothing).add(0.5 * labelSmoothing);
        }
        if (fromLogits) {
            NDArray x = predictions;
            return Constants.atLeast(x, 0).sub(x.mul(y)).add(x.abs().neg().exp().add(1).log()).mean(new int[] {-1});
        }
        NDArray p = predictions.clip(LossMath.EPSILON, 1 - LossMath.EPSILON);
        NDArray pos = y.mul(p.log());
        NDArray neg = y.neg().add(1).mul(p.neg().add(1).log());
        return pos.add(neg).mean(new int[] {-1}).neg();
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("from_logits", fromLogits, "label_smoothing", labelSmoothing);
    }
}
