package dev.lamina.models.layers;

import ai.djl.ndarray.types.Shape;
import dev.lamina.spec.ShapeException;

/** Shape checks the layers of this package share. */
final class ModelShapes {
    private ModelShapes() {}

    /** Checks a per-sample image: (channels, height, width) with known positive sizes. */
    static void requireImage(Shape in) {
        if (in.dimension() != 3) {
            throw new ShapeException("expected (channels, height, width), got " + in);
        }
        for (long d : in.getShape()) {
            if (d <= 0) {
                throw new ShapeException("expected (channels, height, width) with known positive"
                        + " sizes, got " + in);
            }
        }
    }
}
