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
 * Keras's {@code RandomTranslation}: in training each image is shifted by its own dy =
 * uniform(height_factor) · height and dx = uniform(width_factor) · width pixels (a factor f stands
 * for [−f, f], [a, b] for itself; each in [−1, 1]; positive moves the content down and right):
 * output pixel (y, x) reads the input at (y − dy, x − dx), interpolated ({@code bilinear}, Keras's
 * default, or {@code nearest}, for fractional shifts), with pixels from outside the image per
 * {@code fill_mode} ({@code reflect}, Keras's default; {@code wrap}; {@code constant} with {@code
 * fill_value}, default 0; {@code nearest}), as {@link Augment} describes. Inference is the
 * identity.
 *
 * <p>Input and output: images (channels, height, width). The shifts come from a Java generator
 * seeded by the model's seed (the same on both engines); Keras's {@code seed} and {@code
 * data_format} are not taken.
 */
public record RandomTranslation(double heightLower, double heightUpper, double widthLower,
        double widthUpper, String fillMode, String interpolation, double fillValue)
        implements ImageAugmentation {
    public static final String TYPE = "random_translation";

    public RandomTranslation {
        Augment.range(TYPE, "height_factor", List.of(heightLower, heightUpper), true, -1, 1, false);
        Augment.range(TYPE, "width_factor", List.of(widthLower, widthUpper), true, -1, 1, false);
        Augment.choice(TYPE, "fill_mode", fillMode, Augment.FILL_MODES);
        Augment.choice(TYPE, "interpolation", interpolation, Augment.INTERPOLATIONS);
        if (!Double.isFinite(fillValue)) {
            throw new SpecException(TYPE, "fill_value",
                    "expected a finite number, received fill_value=" + fillValue);
        }
    }

    /** Shifts in [−f, f] of each side, Keras's defaults otherwise. */
    public RandomTranslation(double heightFactor, double widthFactor) {
        this(-Augment.single(TYPE, "height_factor", heightFactor, -1, 1, false),
                Math.abs(heightFactor),
                -Augment.single(TYPE, "width_factor", widthFactor, -1, 1, false),
                Math.abs(widthFactor), "reflect", "bilinear", 0);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        outputShape(input);
        return new AugmentBlock(ctx, this::translate);
    }

    private NDArray translate(NDArray x, AugmentBlock d) {
        int b = (int) x.getShape().get(0);
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        double[][] m = new double[b][];
        for (int i = 0; i < b; i++) {
            double dy = d.uniform(heightLower, heightUpper) * h;
            double dx = d.uniform(widthLower, widthUpper) * w;
            m[i] = new double[] {1, 0, -dx, 0, 1, -dy};
        }
        return Augment.affine(x, m, fillMode, fillValue, interpolation.equals("bilinear"));
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered(
                "height_factor", new Augment.Range(heightLower, heightUpper).value(true),
                "width_factor", new Augment.Range(widthLower, widthUpper).value(true),
                "fill_mode", fillMode, "interpolation", interpolation, "fill_value", fillValue);
    }

    /**
     * Reads {@code height_factor} and {@code width_factor} (both required, as Keras), {@code
     * fill_mode} (reflect), {@code interpolation} (bilinear) and {@code fill_value} (0).
     */
    public static RandomTranslation fromMap(SpecMap m) {
        Augment.Range h = Augment.range(TYPE, "height_factor",
                Augment.requireNumbers(m, "height_factor"), true, -1, 1, false);
        Augment.Range w = Augment.range(TYPE, "width_factor",
                Augment.requireNumbers(m, "width_factor"), true, -1, 1, false);
        return new RandomTranslation(h.lower(), h.upper(), w.lower(), w.upper(),
                m.getString("fill_mode", "reflect"), m.getString("interpolation", "bilinear"),
                m.getDouble("fill_value", 0));
    }
}
