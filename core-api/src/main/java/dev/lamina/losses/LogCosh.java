package dev.lamina.losses;

import ai.djl.ndarray.NDArray;
import dev.lamina.engine.Constants;
import java.util.Map;

/**
 * Keras's {@code log_cosh}: {@code log(cosh(x))} of {@code x = predictions − labels}, averaged
 * over every element; computed as {@code x + softplus(−2x) − log 2}, which does not overflow.
 */
public record LogCosh() implements LossSpec {
    /** The type name in files. */
    public static final String TYPE = "log_cosh";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public NDArray perSample(NDArray labels, NDArray predictions) {
        NDArray x = predictions.sub(LossMath.align(labels, predictions, TYPE));
        NDArray z = x.mul(-2f);
        // softplus(z) = max(z, 0) + log(1 + exp(−|z|)), stable on both engines
        NDArray softplus = Constants.atLeast(z, 0f).add(z.abs().neg().exp().add(1f).log());
        return x.add(softplus).sub((float) Math.log(2)).mean(new int[] {-1});
    }

    @Override
    public Map<String, Object> config() {
        return Map.of();
    }
}
