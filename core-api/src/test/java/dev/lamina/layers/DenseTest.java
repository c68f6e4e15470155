package dev.lamina.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.types.Shape;
import dev.lamina.spec.SpecException;
import dev.lamina.testing.LayerRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DenseTest {
    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void forwardMatchesAHandComputation(String engine) {
        // W = [[1, 0, -1], [2, 1, 0]], b = [0.5, -1]; x = [1, 2, 3] gives [-1.5, 3]; relu [0, 3]
        try (LayerRun r = LayerRun.of(engine, new Dense(2, "relu"), new Shape(3), 1)) {
            r.set("01core_weight", 1, 0, -1, 2, 1, 0).set("01core_bias", 0.5f, -1);
            assertArrayEquals(new float[] {0, 3}, r.forward(false, 1, 2, 3), 1e-6f);
        }
    }

    @Test
    void outputShapeReplacesTheLastAxisAndLeavesTheInputAlone() {
        Shape in = new Shape(5, 784);
        assertEquals(new Shape(5, 10), new Dense(10).outputShape(in));
        assertEquals(new Shape(5, 784), in);
    }

    @Test
    void zeroUnitsIsRefusedWithTheValueReceived() {
        var e = assertThrows(SpecException.class, () -> new Dense(0));
        assertEquals("dense.units: expected a positive integer, received units=0", e.getMessage());
    }
}
