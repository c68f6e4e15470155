package dev.lamina.spec;

/**
 * A layer cannot take the shape it was given. Thrown when a model is built, before any engine call;
 * the model adds the layer's index and name.
 */
public class ShapeException extends IllegalArgumentException {
    /** A message that says the shape received and the shape needed. */
    public ShapeException(String message) {
        super(message);
    }
}
