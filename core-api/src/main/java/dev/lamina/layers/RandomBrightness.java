package dev.lamina.layers;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecMap;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code RandomBrightness}: in training each image draws δ = uniform(lower, upper) ·
 * (high − low) and becomes y = clip(x + δ, low, high), with [low, high] = {@code value_range}
 * (Keras's default [0, 255]; Lamina's data sets give pixels in [0, 1], so write {@code value_range:
 * [0, 1]} for them). {@code factor} f stands for [−f, f], a list [a, b] for itself; each in [−1,
 * 1] (−1 makes the image black, 1 white). Inference is the identity.
 *
 * <p>Input and output: images (channels, height, width). The shifts come from a Java generator
 * seeded by the model's seed (the same on both engines); Keras's {@code seed} is not taken.
 */
public record RandomBrightness(double lower, double upper, double valueLow, double valueHigh)
        implements ImageAugmentation {
    public static final String TYPE = "random_brightness";

    public RandomBrightness {
        Augment.range(TYPE, "factor", List.of(lower, upper), true, -1, 1, false);
        Augment.valueRange(TYPE, valueLow, valueHigh);
    }

    /** Brightness shifts in [−f, f] of the range, values in Keras's [0, 255]. */
    public RandomBrightness(double factor) {
        this(-Augment.single(TYPE, "factor", factor, -1, 1, false), Math.abs(factor), 0, 255);
    }

    /** This layer with values in [low, high]. */
    public RandomBrightness withValueRange(double low, double high) {
        return new RandomBrightness(lower, upper, low, high);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        outputShape(input);
        return new AugmentBlock(ctx, (x, d) -> {
            float[] delta = new float[(int) x.getShape().get(0)];
            for (int i = 0; i < delta.length; i++) {
                delta[i] = (float) (d.uniform(lower, upper) * (valueHigh - valueLow));
            }
            return x.add(Augment.perSample(x, delta)).clip(valueLow, valueHigh);
        });
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("factor", new Augment.Range(lower, upper).value(true),
                "value_range", List.of(valueLow, valueHigh));
    }

    /** Reads {@code factor} (required) and {@code value_range} (default [0, 255], as Keras). */
    public static RandomBrightness fromMap(SpecMap m) {
        Augment.Range f = Augment.range(TYPE, "factor", Augment.requireNumbers(m, "factor"), true,
                -1, 1, false);
        double[] v = Augment.valueRange(TYPE, Augment.numbers(m, "value_range"));
        return new RandomBrightness(f.lower(), f.upper(), v[0], v[1]);
    }
}
