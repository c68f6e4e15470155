package dev.lamina.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lamina.testing.EngineParity;
import org.junit.jupiter.api.Test;

class DenseTest {
    @Test
    void enginesAgree() {
        EngineParity.assertSame(new Dense(4, "relu"), new Shape(3));
        EngineParity.assertSame(new Dense(4), new Shape(2, 3));
    }

    @Test
    void gradientsMatchCentralDifferences() {
        for (String e : EngineParity.ENGINES) {
            assertEquals(java.util.List.of(),
                    EngineParity.with().gradientCheck(e, new Dense(3, "tanh"), new Shape(4), 20, 1e-6));
        }
    }
}
