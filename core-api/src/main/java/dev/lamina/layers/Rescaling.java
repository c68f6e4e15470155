package dev.lamina.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code Rescaling}: {@code y = x · scale + offset}, in training and inference alike. A
 * {@code scale} or {@code offset} given as a list has one value per channel (axis 1, channels
 * first), which is how a model carries its own preprocessing: the zoo's ImageNet ResNet-50 starts
 * with {@code rescaling: {scale: 255, offset: [-123.68, -116.779, -103.939]}}, Keras's "caffe"
 * {@code preprocess_input} for the RGB images in [0, 1] that Lamina's image sources give (the
 * channel order is folded into the first convolution's weights). No weights.
 */
public record Rescaling(List<Double> scale, List<Double> offset) implements LayerSpec {
    public static final String TYPE = "rescaling";

    public Rescaling {
        scale = check("scale", scale, 1.0);
        offset = check("offset", offset, 0.0);
        if (scale.size() > 1 && offset.size() > 1 && scale.size() != offset.size()) {
            throw new SpecException(TYPE, "offset", "scale has " + scale.size() + " values and"
                    + " offset " + offset.size() + "; give one value, or one per channel for both");
        }
    }

    /** {@code x · scale + offset} with one scale and one offset for every value. */
    public Rescaling(double scale, double offset) {
        this(List.of(scale), List.of(offset));
    }

    private static List<Double> check(String key, List<Double> v, double dflt) {
        if (v == null || v.isEmpty()) {
            return List.of(dflt);
        }
        for (Double d : v) {
            if (d == null || !Double.isFinite(d)) {
                throw new SpecException(TYPE, key, "expected finite numbers, received " + key
                        + "=" + v);
            }
        }
        return List.copyOf(v);
    }

    private int channels() {
        return Math.max(scale.size(), offset.size());
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Shape outputShape(Shape in) {
        if (channels() > 1 && (in.dimension() < 1 || in.get(0) != channels())) {
            throw new ShapeException("rescaling has " + channels() + " values, one per channel,"
                    + " but the input " + in + " has " + (in.dimension() < 1 ? 0 : in.get(0))
                    + " channels (axis 1)");
        }
        return in;
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        outputShape(input);
        int rank = input.dimension();
        return new FnBlock((l, training) -> {
            NDArray x = l.singletonOrThrow();
            return new NDList(x.mul(values(x, scale, rank)).add(values(x, offset, rank)));
        }, s -> s);
    }

    /** The values as an array that broadcasts over (batch, channels, ...). */
    private static NDArray values(NDArray like, List<Double> v, int rank) {
        float[] f = new float[v.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = v.get(i).floatValue();
        }
        long[] shape = new long[rank + 1];
        java.util.Arrays.fill(shape, 1);
        shape[1] = f.length;
        if (f.length == 1) {
            shape = new long[] {1};
        }
        return like.getManager().create(f, new Shape(shape)).toType(like.getDataType(), false);
    }

    @Override
    public Map<String, Object> config() {
        return Map.of("scale", plain(scale), "offset", plain(offset));
    }

    private static Object plain(List<Double> v) {
        return v.size() == 1 ? v.get(0) : v;
    }

    /** Reads {@code scale} (required, as in Keras) and {@code offset} (default 0). */
    public static Rescaling fromMap(SpecMap m) {
        return new Rescaling(numbers(m.require("scale")), numbers(m.get("offset")));
    }

    private static List<Double> numbers(ConfigNode v) {
        if (v == null) {
            return null;
        }
        List<Double> out = new ArrayList<>();
        if (v.isList()) {
            v.asList().forEach(n -> out.add(n.asDouble()));
        } else {
            out.add(v.asDouble());
        }
        return out;
    }
}
