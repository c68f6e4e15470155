package dev.lamina.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lamina.engine.Constants;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.MaskRule;
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.List;
import java.util.Map;

/**
 * Element-wise merge of two or more tensors of one shape, as Keras's merge layers: {@code add},
 * {@code subtract} (exactly two: a − b), {@code multiply}, {@code average}, {@code maximum}. Output
 * shape = the inputs' shape. Only in functional models (several inputs).
 */
public record Merge(String type) implements LayerSpec {
    /** The merge type names. */
    public static final List<String> TYPES = List.of("add", "subtract", "multiply", "average",
            "maximum");

    public Merge {
        if (!TYPES.contains(type)) {
            throw new SpecException(String.valueOf(type), "type", "expected one of " + TYPES
                    + ", received " + type);
        }
    }

    /** a + b + ... */
    public static Merge add() {
        return new Merge("add");
    }

    /** a − b. */
    public static Merge subtract() {
        return new Merge("subtract");
    }

    /** a · b · ... element-wise. */
    public static Merge multiply() {
        return new Merge("multiply");
    }

    /** (a + b + ...) / n. */
    public static Merge average() {
        return new Merge("average");
    }

    /** max(a, b, ...) element-wise. */
    public static Merge maximum() {
        return new Merge("maximum");
    }

    /** The masks over time steps of the inputs pass on combined (a step kept by all), as in Keras. */
    @Override
    public MaskRule masking() {
        return MaskRule.PASSES;
    }

    @Override
    public Shape outputShape(Shape input) {
        throw new ShapeException("'" + type + "' merges two or more tensors: use it in a functional"
                + " model with several inputs (from: [a, b])");
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        int min = 2;
        if (inputs.size() < min || (type.equals("subtract") && inputs.size() != 2)) {
            throw new ShapeException("'" + type + "' takes " + (type.equals("subtract")
                    ? "exactly 2" : "2 or more") + " inputs, got " + inputs.size());
        }
        Shape first = inputs.get(0);
        for (int i = 1; i < inputs.size(); i++) {
            if (!inputs.get(i).equals(first)) {
                throw new ShapeException("'" + type + "' needs inputs of one shape, got " + inputs);
            }
        }
        return List.of(first);
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        throw new ShapeException("'" + type + "' merges two or more tensors");
    }

    @Override
    public Block toBlock(BuildContext ctx, List<Shape> inputs) {
        outputShapes(inputs);
        return new FnBlock((in, training) -> new NDList(merge(in)), s -> new Shape[] {s[0]});
    }

    private NDArray merge(NDList in) {
        NDArray out = in.get(0);
        for (int i = 1; i < in.size(); i++) {
            NDArray x = in.get(i);
            switch (type) {
                case "subtract":
                    out = out.sub(x);
                    break;
                case "multiply":
                    out = out.mul(x);
                    break;
                case "maximum":
                    out = out.maximum(x);
                    break;
                default:
                    out = out.add(x);
            }
        }
        return type.equals("average") ? Constants.over(out, (float) in.size()) : out;
    }

    @Override
    public Map<String, Object> config() {
        return Map.of();
    }

    /** Merges have no settings. */
    static Merge fromMap(String type, SpecMap m) {
        return new Merge(type);
    }
}
