package dev.lamina.layers;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.Map;

/**
 * Keras's {@code GaussianDropout} (Srivastava et al., 2014): in training y = x · (1 + σ·n), σ =
 * √(rate / (1 − rate)), n drawn from the standard normal distribution for every value (noise of
 * mean 1, so inference, the identity, needs no scaling).
 *
 * <p>Input and output: any shape. {@code rate} in [0, 1): Keras takes rate = 1 too and then divides
 * by zero. The noise comes from a Java generator seeded by the model's seed, so it is the same on
 * both engines; Keras's {@code seed} is not taken. A mask over time steps passes on, as in Keras.
 */
public record GaussianDropout(double rate) implements ElementwiseLayer {
    public static final String TYPE = "gaussian_dropout";

    public GaussianDropout {
        if (!(rate >= 0 && rate < 1)) {
            throw new SpecException(TYPE, "rate",
                    "expected a fraction in [0, 1), received rate=" + rate);
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        double sd = Math.sqrt(rate / (1 - rate));
        return new AugmentBlock(ctx, (x, d) -> rate == 0 ? x
                : x.mul(GaussianNoise.normal(x, d, 1, sd)));
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("rate", rate);
    }

    /** Reads {@code rate} (required, as Keras). */
    public static GaussianDropout fromMap(SpecMap m) {
        return new GaussianDropout(m.requireDouble("rate"));
    }
}
