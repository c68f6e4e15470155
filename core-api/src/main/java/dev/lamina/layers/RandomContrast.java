package dev.lamina.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code RandomContrast}: in training each image draws a contrast factor c =
 * uniform(1 − lower, 1 + upper), and each channel moves away from (or towards) its own mean over
 * the image: y = clip((x − mean) · c + mean, value_range). {@code factor} f stands for lower =
 * upper = f, a list [a, b] for lower = a, upper = b; each in [0, 1]. {@code value_range} is
 * Keras's default [0, 255]; Lamina's data sets give pixels in [0, 1], so write {@code
 * value_range: [0, 1]} for them. Inference is the identity.
 *
 * <p>What differs: for a single number Keras 3's code draws from [1, 1 + f] although its
 * documentation (and Keras 2) say [1 − f, 1 + f]; Lamina follows the documentation. The factors
 * come from a Java generator seeded by the model's seed (the same on both engines); Keras's {@code
 * seed} is not taken. Input and output: images (channels, height, width).
 */
public record RandomContrast(double lower, double upper, double valueLow, double valueHigh)
        implements ImageAugmentation {
    public static final String TYPE = "random_contrast";

    public RandomContrast {
        Augment.range(TYPE, "factor", List.of(lower, upper), false, 0, 1, false);
        Augment.valueRange(TYPE, valueLow, valueHigh);
    }

    /** Contrast factors in [1 − f, 1 + f], values in Keras's [0, 255]. */
    public RandomContrast(double factor) {
        this(Augment.single(TYPE, "factor", factor, 0, 1, false), factor, 0, 255);
    }

    /** This layer with values clipped to [low, high]. */
    public RandomContrast withValueRange(double low, double high) {
        return new RandomContrast(lower, upper, low, high);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        outputShape(input);
        return new AugmentBlock(ctx, (x, d) -> {
            float[] c = new float[(int) x.getShape().get(0)];
            for (int i = 0; i < c.length; i++) {
                c[i] = (float) d.uniform(1 - lower, 1 + upper);
            }
            // the mean over width, then height (DJL's PyTorch takes one axis at a time)
            NDArray mean = x.mean(new int[] {3}, true).mean(new int[] {2}, true);
            return x.sub(mean).mul(Augment.perSample(x, c)).add(mean).clip(valueLow, valueHigh);
        });
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("factor", new Augment.Range(lower, upper).value(false),
                "value_range", List.of(valueLow, valueHigh));
    }

    /** Reads {@code factor} (required) and {@code value_range} (default [0, 255], as Keras). */
    public static RandomContrast fromMap(SpecMap m) {
        Augment.Range f = Augment.range(TYPE, "factor", Augment.requireNumbers(m, "factor"), false,
                0, 1, false);
        double[] v = Augment.valueRange(TYPE, Augment.numbers(m, "value_range"));
        return new RandomContrast(f.lower(), f.upper(), v[0], v[1]);
    }
}
