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
 * Keras's {@code RandomZoom}: in training each image is scaled about its centre by its own zy = 1
 * + uniform(height_factor) and zx = 1 + uniform(width_factor) (a factor f stands for [−f, f], [a,
 * b] for itself; each in (−1, 1]; without {@code width_factor}, Keras's default, zx = zy and the
 * aspect ratio is kept). As in Keras, a positive factor zooms <em>out</em> and a negative one in:
 * output pixel (y, x) reads the input at (zy·(y − cy) + cy, zx·(x − cx) + cx), cx = (width − 1)/2,
 * cy = (height − 1)/2, interpolated ({@code bilinear}, Keras's default, or {@code nearest}), with
 * pixels from outside the image per {@code fill_mode} ({@code reflect}, Keras's default; {@code
 * wrap}; {@code constant} with {@code fill_value}, default 0; {@code nearest}), as {@link Augment}
 * describes. Inference is the identity.
 *
 * <p>Input and output: images (channels, height, width). The zooms come from a Java generator
 * seeded by the model's seed (the same on both engines); Keras's {@code seed} and {@code
 * data_format} are not taken.
 */
public record RandomZoom(double heightLower, double heightUpper, Double widthLower,
        Double widthUpper, String fillMode, String interpolation, double fillValue)
        implements ImageAugmentation {
    public static final String TYPE = "random_zoom";

    public RandomZoom {
        // the readers check each written number is in (-1, 1]; f = 1 stands for [-1, 1]
        Augment.range(TYPE, "height_factor", List.of(heightLower, heightUpper), true, -1, 1, false);
        if ((widthLower == null) != (widthUpper == null)) {
            throw new SpecException(TYPE, "width_factor",
                    "expected both bounds or neither, received " + widthLower + " and "
                            + widthUpper);
        }
        if (widthLower != null) {
            Augment.range(TYPE, "width_factor", List.of(widthLower, widthUpper), true, -1, 1,
                    false);
        }
        Augment.choice(TYPE, "fill_mode", fillMode, Augment.FILL_MODES);
        Augment.choice(TYPE, "interpolation", interpolation, Augment.INTERPOLATIONS);
        if (!Double.isFinite(fillValue)) {
            throw new SpecException(TYPE, "fill_value",
                    "expected a finite number, received fill_value=" + fillValue);
        }
    }

    /** Zooms of 1 + [−f, f], the same on both axes, Keras's defaults otherwise. */
    public RandomZoom(double heightFactor) {
        this(-Augment.single(TYPE, "height_factor", heightFactor, -1, 1, true),
                Math.abs(heightFactor), null, null, "reflect", "bilinear", 0);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        outputShape(input);
        return new AugmentBlock(ctx, this::zoom);
    }

    private NDArray zoom(NDArray x, AugmentBlock d) {
        int b = (int) x.getShape().get(0);
        double cy = 0.5 * (x.getShape().get(2) - 1);
        double cx = 0.5 * (x.getShape().get(3) - 1);
        double[][] m = new double[b][];
        for (int i = 0; i < b; i++) {
            double zy = d.uniform(1 + heightLower, 1 + heightUpper);
            double zx = widthLower == null ? zy : d.uniform(1 + widthLower, 1 + widthUpper);
            m[i] = new double[] {zx, 0, cx * (1 - zx), 0, zy, cy * (1 - zy)};
        }
        return Augment.affine(x, m, fillMode, fillValue, interpolation.equals("bilinear"));
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered(
                "height_factor", new Augment.Range(heightLower, heightUpper).value(true),
                "width_factor", widthLower == null ? null
                        : new Augment.Range(widthLower, widthUpper).value(true),
                "fill_mode", fillMode, "interpolation", interpolation, "fill_value", fillValue);
    }

    /**
     * Reads {@code height_factor} (required), {@code width_factor} (default: none, the height's
     * zoom), {@code fill_mode} (reflect), {@code interpolation} (bilinear), {@code fill_value} (0).
     */
    public static RandomZoom fromMap(SpecMap m) {
        Augment.Range h = Augment.range(TYPE, "height_factor",
                Augment.requireNumbers(m, "height_factor"), true, -1, 1, true);
        List<Double> wv = Augment.numbers(m, "width_factor");
        Augment.Range w = wv == null ? null
                : Augment.range(TYPE, "width_factor", wv, true, -1, 1, true);
        return new RandomZoom(h.lower(), h.upper(), w == null ? null : w.lower(),
                w == null ? null : w.upper(), m.getString("fill_mode", "reflect"),
                m.getString("interpolation", "bilinear"), m.getDouble("fill_value", 0));
    }
}
