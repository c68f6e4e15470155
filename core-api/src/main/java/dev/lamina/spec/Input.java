package dev.lamina.spec;

import ai.djl.ndarray.types.Shape;

/** A model input of a functional model, with the shape of one sample: {@code Input.of("image", 1, 28, 28)}. */
public final class Input {
    private Input() {}

    /** An input named {@code name} whose samples have shape {@code dims} (no batch axis). */
    public static Node of(String name, long... dims) {
        return of(name, new Shape(dims));
    }

    /** An input named {@code name} whose samples have {@code shape}. */
    public static Node of(String name, Shape shape) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an input needs a name, such as \"image\"");
        }
        for (long d : shape.getShape()) {
            if (d <= 0) {
                throw new IllegalArgumentException("input '" + name + "' shape " + shape
                        + " must have positive sizes (per sample, without the batch axis)");
            }
        }
        return Node.input(name, shape);
    }
}
