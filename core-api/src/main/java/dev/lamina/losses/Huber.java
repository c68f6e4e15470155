package dev.lamina.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import dev.lamina.engine.Constants;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import java.util.Map;

/**
 * Keras's {@code huber}: with {@code x = predictions − labels}, {@code 0.5·x²} where {@code |x| ≤
 * delta} and {@code delta·(|x| − 0.5·delta)} elsewhere, averaged over every element.
 *
 * @param delta where the quadratic part ends, > 0 (Keras default 1.0)
 */
public record Huber(double delta) implements LossSpec {
    /** The type name in files. */
    public static final String TYPE = "huber";

    public Huber {
        if (!(delta > 0) || Double.isInfinite(delta)) {
            throw new SpecException(TYPE, "delta", "expected a positive number, received delta="
                    + delta);
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public NDArray perSample(NDArray labels, NDArray predictions) {
        NDArray x = predictions.sub(LossMath.align(labels, predictions, TYPE)).abs();
        float d = (float) delta;
        NDArray quadratic = Constants.times(x.square(), 0.5f);
        NDArray linear = Constants.times(x.sub(0.5f * d), d);
        return NDArrays.where(x.lte(d), quadratic, linear).mean(new int[] {-1});
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("delta", delta);
    }
}
