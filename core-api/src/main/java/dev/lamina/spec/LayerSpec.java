package dev.lamina.spec;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.List;

/**
 * A layer's declaration: an immutable value with a type name and settings. It knows its output
 * shape for an input shape (or refuses with a {@link ShapeException}), how to become a DJL
 * {@link Block}, and how to write itself as a map ({@link #config()}) that its type's parser reads
 * back.
 *
 * <p>Shapes here are per sample, without the batch axis: a 28×28 grey image is {@code (1, 28, 28)}
 * (channels first, as DJL's convolutions want).
 *
 * <p>A layer may take and give several tensors: override {@link #outputShapes(List)} and
 * {@link #toBlock(BuildContext, List)}; the single-tensor methods are the common case.
 */
public interface LayerSpec extends Spec {
    /** The output shape for one input (per sample), or a {@link ShapeException} saying what it needed. */
    Shape outputShape(Shape input);

    /** The DJL block for one input of shape {@code input} (per sample). */
    Block toBlock(BuildContext ctx, Shape input);

    /**
     * Applies this layer to nodes of a functional model, as calling a Keras layer on tensors does.
     * Each call makes a new layer with its own weights; to share weights, make a
     * {@link Layer} once and call its {@code on} twice.
     */
    default Node on(Node... inputs) {
        return Layer.of(this).on(inputs);
    }

    /** Output shapes for several inputs; by default the layer takes exactly one. */
    default List<Shape> outputShapes(List<Shape> inputs) {
        if (inputs.size() != 1) {
            throw new ShapeException("takes one input, got " + inputs.size());
        }
        return List.of(outputShape(inputs.get(0)));
    }

    /**
     * What the layer does with a mask over time steps coming with its input ({@link MaskRule}); by
     * default the mask stops here.
     */
    default MaskRule masking() {
        return MaskRule.STOPS;
    }

    /** The DJL block for several inputs; by default the layer takes exactly one. */
    default Block toBlock(BuildContext ctx, List<Shape> inputs) {
        if (inputs.size() != 1) {
            throw new ShapeException("takes one input, got " + inputs.size());
        }
        return toBlock(ctx, inputs.get(0));
    }
}
