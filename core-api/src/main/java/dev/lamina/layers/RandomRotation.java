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
 * Keras's {@code RandomRotation}: in training each image is rotated about its centre by its own
 * angle θ = uniform(lower, upper) · 360° ({@code factor} f stands for [−f, f], a fraction of a full
 * turn; [a, b] for itself; each in [−1, 1]); positive angles turn counter-clockwise. Output pixel
 * (y, x) reads the input at x' = cos θ·(x − cx) − sin θ·(y − cy) + cx, y' = sin θ·(x − cx) +
 * cos θ·(y − cy) + cy, with cx = (width − 1)/2, cy = (height − 1)/2, interpolated ({@code
 * bilinear}, Keras's default, or {@code nearest}); pixels from outside the image follow {@code
 * fill_mode} ({@code reflect}, Keras's default; {@code wrap}, {@code constant} with {@code
 * fill_value}, default 0; {@code nearest}), as {@link Augment} describes. Inference is the
 * identity.
 *
 * <p>Input and output: images (channels, height, width). The angles come from a Java generator
 * seeded by the model's seed (the same on both engines); Keras's {@code seed} and {@code
 * data_format} are not taken.
 */
public record RandomRotation(double lower, double upper, String fillMode, String interpolation,
        double fillValue) implements ImageAugmentation {
    public static final String TYPE = "random_rotation";

    public RandomRotation {
        Augment.range(TYPE, "factor", List.of(lower, upper), true, -1, 1, false);
        Augment.choice(TYPE, "fill_mode", fillMode, Augment.FILL_MODES);
        Augment.choice(TYPE, "interpolation", interpolation, Augment.INTERPOLATIONS);
        if (!Double.isFinite(fillValue)) {
            throw new SpecException(TYPE, "fill_value",
                    "expected a finite number, received fill_value=" + fillValue);
        }
    }

    /** Angles in [−factor, factor] of a full turn, Keras's defaults otherwise. */
    public RandomRotation(double factor) {
        this(-Augment.single(TYPE, "factor", factor, -1, 1, false), Math.abs(factor), "reflect",
                "bilinear", 0);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        outputShape(input);
        return new AugmentBlock(ctx, this::rotate);
    }

    private NDArray rotate(NDArray x, AugmentBlock d) {
        int b = (int) x.getShape().get(0);
        double cy = 0.5 * (x.getShape().get(2) - 1);
        double cx = 0.5 * (x.getShape().get(3) - 1);
        double[][] m = new double[b][];
        for (int i = 0; i < b; i++) {
            double theta = Math.toRadians(d.uniform(lower * 360, upper * 360));
            double cos = Math.cos(theta);
            double sin = Math.sin(theta);
            m[i] = new double[] {cos, -sin, cx - cx * cos + cy * sin,
                sin, cos, cy - cx * sin - cy * cos};
        }
        return Augment.affine(x, m, fillMode, fillValue, interpolation.equals("bilinear"));
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("factor", new Augment.Range(lower, upper).value(true),
                "fill_mode", fillMode, "interpolation", interpolation, "fill_value", fillValue);
    }

    /**
     * Reads {@code factor} (required), {@code fill_mode} (reflect), {@code interpolation}
     * (bilinear) and {@code fill_value} (0), Keras's defaults.
     */
    public static RandomRotation fromMap(SpecMap m) {
        Augment.Range f = Augment.range(TYPE, "factor", Augment.requireNumbers(m, "factor"), true,
                -1, 1, false);
        return new RandomRotation(f.lower(), f.upper(), m.getString("fill_mode", "reflect"),
                m.getString("interpolation", "bilinear"), m.getDouble("fill_value", 0));
    }
}
