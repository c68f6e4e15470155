package dev.lamina.spec;

import java.util.List;

/**
 * A layer of a functional model: a spec with an identity. Applying the same {@code Layer} to
 * several nodes shares its weights, as calling one Keras layer twice does:
 *
 * <pre>{@code
 * Layer encoder = Layer.of("encoder", new Dense(32, "relu"));
 * Node a = encoder.on(left);
 * Node b = encoder.on(right);   // the same weights
 * }</pre>
 */
public final class Layer {
    private final String name;
    private final LayerSpec spec;
    private int uses;

    private Layer(String name, LayerSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("a layer needs a spec, such as new Dense(10)");
        }
        this.name = name;
        this.spec = spec;
    }

    /** A layer named {@code name} (unique in the model). */
    public static Layer of(String name, LayerSpec spec) {
        return new Layer(name, spec);
    }

    /** A layer named after its type when the model is made ({@code dense}, {@code dense_1}, ...). */
    public static Layer of(LayerSpec spec) {
        return new Layer(null, spec);
    }

    /** The name given, or null (the model names it). */
    public String name() {
        return name;
    }

    /** The layer's spec. */
    public LayerSpec spec() {
        return spec;
    }

    /** Applies the layer to one or more nodes: a new node named {@code nodeName}. */
    public synchronized Node on(String nodeName, Node... inputs) {
        check(inputs);
        uses++;
        return Node.applied(nodeName, this, List.of(inputs));
    }

    private static void check(Node... inputs) {
        if (inputs.length == 0) {
            throw new IllegalArgumentException("apply a layer to at least one node");
        }
        for (Node n : inputs) {
            if (n == null) {
                throw new IllegalArgumentException("a layer's input node is null");
            }
        }
    }

    /** Applies the layer to one or more nodes: a new node. */
    public synchronized Node on(Node... inputs) {
        check(inputs);
        String nodeName = name == null ? null : uses == 0 ? name : name + "_" + uses;
        uses++;
        return Node.applied(nodeName, this, List.of(inputs));
    }
}
