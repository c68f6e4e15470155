package dev.lamina.layers;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Gives each sample a new shape with the same number of values: (batch, ...) to
 * (batch, target_shape...). One axis of the target may be −1, meaning "whatever is left".
 * Files may name the setting {@code target_shape} (Keras) or {@code shape}.
 */
public record Reshape(List<Integer> targetShape) implements LayerSpec {
    public static final String TYPE = "reshape";

    public Reshape {
        if (targetShape == null || targetShape.isEmpty()) {
            throw new SpecException(TYPE, "target_shape",
                    "expected a list of sizes such as [1, 28, 28], received target_shape="
                            + targetShape);
        }
        long unknown = targetShape.stream().filter(d -> d != null && d == -1).count();
        if (targetShape.stream().anyMatch(d -> d == null || d == 0 || d < -1) || unknown > 1) {
            throw new SpecException(TYPE, "target_shape", "expected positive sizes and at most one"
                    + " -1, received target_shape=" + targetShape);
        }
        targetShape = List.copyOf(targetShape);
    }

    /** {@code new Reshape(1, 28, 28)}. */
    public Reshape(int... dims) {
        this(Arrays.stream(dims).boxed().toList());
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Shape outputShape(Shape in) {
        long n = in.size();
        long known = 1;
        int free = -1;
        long[] out = new long[targetShape.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = targetShape.get(i);
            if (out[i] == -1) {
                free = i;
            } else {
                known *= out[i];
            }
        }
        Shape target = new Shape(out);
        if (free >= 0) {
            if (n % known != 0) {
                throw new ShapeException("cannot reshape " + in + " (" + n + " values) to " + target
                        + ": " + n + " is not a multiple of " + known);
            }
            out[free] = n / known;
        } else if (known != n) {
            throw new ShapeException("cannot reshape " + in + " (" + n + " values) to " + target
                    + " (" + known + " values)");
        }
        return new Shape(out);
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        long[] target = outputShape(input).getShape();
        return new FnBlock((l, training) -> {
            long[] d = new long[target.length + 1];
            d[0] = l.singletonOrThrow().getShape().get(0);
            System.arraycopy(target, 0, d, 1, target.length);
            return new NDList(l.singletonOrThrow().reshape(new Shape(d)));
        }, s -> {
            long[] d = new long[target.length + 1];
            d[0] = s[0].get(0);
            System.arraycopy(target, 0, d, 1, target.length);
            return new Shape[] {new Shape(d)};
        });
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("target_shape", targetShape);
    }

    /** Reads {@code target_shape} (or its other name, {@code shape}; not both). */
    public static Reshape fromMap(SpecMap m) {
        ConfigNode t = m.get("target_shape");
        ConfigNode s = m.get("shape");
        if (t != null && s != null) {
            throw s.error("give the target once: 'target_shape' or 'shape', not both");
        }
        ConfigNode v = t != null ? t : s;
        if (v == null) {
            throw m.node().error("'reshape' needs the setting 'target_shape' (or 'shape')");
        }
        return new Reshape(v.asList().stream().map(ConfigNode::asInt).toList());
    }
}
