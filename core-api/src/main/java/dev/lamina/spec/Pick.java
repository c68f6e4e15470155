package dev.lamina.spec;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;
import java.util.Map;

/**
 * One output of a layer that gives several, such as a recurrent layer with {@code return_state}
 * (the output, then the states): {@code node.output(1)} in Java, {@code {pick: {index: 1}, from:
 * encoder}} in YAML, as Keras's {@code output, h, c = lstm(x)} unpacks them.
 */
public record Pick(int index) implements LayerSpec {
    public static final String TYPE = "pick";

    public Pick {
        if (index < 0) {
            throw new SpecException(TYPE, "index",
                    "expected an output's index from 0, received index=" + index);
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Shape outputShape(Shape input) {
        return outputShapes(List.of(input)).get(0);
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        if (index >= inputs.size()) {
            throw new ShapeException("index " + index + " is past the " + inputs.size()
                    + " output" + (inputs.size() == 1 ? "" : "s") + " of the layer before"
                    + " (indices from 0)");
        }
        return List.of(inputs.get(index));
    }

    @Override
    public MaskRule masking() {
        return MaskRule.PASSES;
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        return toBlock(ctx, List.of(input));
    }

    @Override
    public Block toBlock(BuildContext ctx, List<Shape> inputs) {
        outputShapes(inputs);
        return new AbstractBlock((byte) 1) {
            @Override
            protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training,
                    PairList<String, Object> params) {
                return new NDList(in.get(index));
            }

            @Override
            public Shape[] getOutputShapes(Shape[] in) {
                return new Shape[] {in[index]};
            }
        };
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("index", index);
    }

    /** Reads {@code index}. */
    public static Pick fromMap(SpecMap m) {
        return new Pick(m.requireInt("index"));
    }
}
