package dev.lamina.layers;

import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.MaskRule;
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecMap;
import java.util.List;
import java.util.Map;

/**
 * Joins two or more tensors along {@code axis}; every other axis must agree. The axis counts the
 * batch as 0, as Keras does, and negative values count from the end; the default, 1, is the
 * channel axis of a (C, H, W) image and the feature axis of a flat vector.
 */
public record Concatenate(int axis) implements LayerSpec {
    public static final String TYPE = "concatenate";

    /** Along axis 1 (channels, or features). */
    public Concatenate() {
        this(1);
    }

    private int sampleAxis(int rank) {
        int a = axis < 0 ? axis + rank + 1 : axis;
        if (a < 1 || a > rank) {
            throw new ShapeException("axis " + axis + " is out of range for inputs of rank " + rank
                    + " per sample (use 1.." + rank + ", or -1 for the last; 0 is the batch)");
        }
        return a - 1;
    }

    /** The masks over time steps of the inputs pass on combined (a step kept by all), as in Keras. */
    @Override
    public MaskRule masking() {
        return MaskRule.PASSES;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Shape outputShape(Shape input) {
        throw new ShapeException("'concatenate' joins two or more tensors: use it in a functional"
                + " model with several inputs (from: [a, b])");
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        if (inputs.size() < 2) {
            throw new ShapeException("'concatenate' takes 2 or more inputs, got " + inputs.size());
        }
        int rank = inputs.get(0).dimension();
        int a = sampleAxis(rank);
        long[] out = inputs.get(0).getShape().clone();
        for (int i = 1; i < inputs.size(); i++) {
            Shape s = inputs.get(i);
            boolean ok = s.dimension() == rank;
            for (int d = 0; ok && d < rank; d++) {
                ok = d == a || s.get(d) == out[d];
            }
            if (!ok) {
                throw new ShapeException("'concatenate' on axis " + axis + " needs inputs that"
                        + " agree on every other axis, got " + inputs);
            }
            out[a] += s.get(a);
        }
        return List.of(new Shape(out));
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        throw new ShapeException("'concatenate' joins two or more tensors");
    }

    @Override
    public Block toBlock(BuildContext ctx, List<Shape> inputs) {
        Shape out = outputShapes(inputs).get(0);
        int a = sampleAxis(inputs.get(0).dimension()) + 1;
        return new FnBlock((in, training) -> new NDList(NDArrays.concat(in, a)),
                s -> new Shape[] {new Shape(s[0].get(0)).addAll(out)});
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("axis", axis);
    }

    /** Reads {@code axis} (default 1). */
    public static Concatenate fromMap(SpecMap m) {
        return new Concatenate(m.getInt("axis", 1));
    }
}
