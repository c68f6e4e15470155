package dev.lamina.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.Map;

/**
 * Keras's {@code GaussianNoise}: in training y = x + stddev · n, n drawn from the standard normal
 * distribution for every value; inference is the identity. {@code stddev} in [0, 1], as Keras.
 *
 * <p>Input and output: any shape. The noise comes from a Java generator seeded by the model's seed,
 * so it is the same on both engines (Keras draws from its backend's); Keras's {@code seed} is not
 * taken. A mask over time steps passes on, as in Keras.
 */
public record GaussianNoise(double stddev) implements ElementwiseLayer {
    public static final String TYPE = "gaussian_noise";

    public GaussianNoise {
        if (!(stddev >= 0 && stddev <= 1)) {
            throw new SpecException(TYPE, "stddev",
                    "expected a number in [0, 1], received stddev=" + stddev);
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        return new AugmentBlock(ctx, (x, d) -> stddev == 0 ? x
                : x.add(normal(x, d, 0, stddev)));
    }

    /** mean + sd · n for every value of x, n from the block's generator, as an array like x. */
    static NDArray normal(NDArray x, AugmentBlock d, double mean, double sd) {
        float[] v = new float[Math.toIntExact(x.getShape().size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (mean + sd * d.gaussian());
        }
        return x.getManager().create(v, x.getShape()).toType(x.getDataType(), false);
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("stddev", stddev);
    }

    /** Reads {@code stddev} (required, as Keras). */
    public static GaussianNoise fromMap(SpecMap m) {
        return new GaussianNoise(m.requireDouble("stddev"));
    }
}
