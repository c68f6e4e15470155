package dev.lamina.spec;

import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * A symbolic tensor of a functional model: an {@link Input}, or a {@link Layer} applied to other
 * nodes. Nodes only record the graph; shapes are inferred, and weights made, when the model is
 * built.
 */
public final class Node {
    private final String name;
    private final Layer layer;
    private final List<Node> inputs;
    private final Shape inputShape;

    private Node(String name, Layer layer, List<Node> inputs, Shape inputShape) {
        this.name = name;
        this.layer = layer;
        this.inputs = List.copyOf(inputs);
        this.inputShape = inputShape;
    }

    static Node input(String name, Shape shape) {
        return new Node(name, null, List.of(), shape);
    }

    static Node applied(String name, Layer layer, List<Node> inputs) {
        return new Node(name, layer, inputs, null);
    }

    /** The node's name (its layer's name, or the input's); may be null until the model names it. */
    public String name() {
        return name;
    }

    /** The layer that makes this node, or null for an input. */
    public Layer layer() {
        return layer;
    }

    /** The nodes feeding this one (empty for an input). */
    public List<Node> inputs() {
        return inputs;
    }

    /** True for a model input. */
    public boolean isInput() {
        return layer == null;
    }

    /** The per-sample shape of an input node (null for other nodes). */
    public Shape inputShape() {
        return inputShape;
    }

    /**
     * Output {@code i} (from 0) of a layer that gives several, such as a recurrent layer with
     * {@code return_state}: a new node that picks it ({@link Pick}).
     */
    public Node output(int i) {
        return Layer.of(new Pick(i)).on(this);
    }

    @Override
    public String toString() {
        return isInput() ? "Input(" + name + ", " + inputShape + ")"
                : "Node(" + name + " = " + layer.spec().type() + ")";
    }
}
