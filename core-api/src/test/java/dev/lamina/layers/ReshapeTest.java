package dev.lamina.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import dev.lamina.spec.ConfigException;
import dev.lamina.spec.LayerTypes;
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.SpecException;
import dev.lamina.testing.LayerRun;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReshapeTest {
    @Test
    void minusOneTakesWhatIsLeft() {
        assertEquals(new Shape(1, 28, 28), new Reshape(1, 28, -1).outputShape(new Shape(784)));
        try (LayerRun r = LayerRun.of("MXNet", new Reshape(3, -1), new Shape(6), 2)) {
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12},
                    r.forward(false, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), 0f);
            assertEquals(new Shape(2, 3, 2), r.lastShape());
        }
    }

    @Test
    void aDifferentCountNamesBothShapes() {
        var e = assertThrows(ShapeException.class,
                () -> new Reshape(1, 28, 28).outputShape(new Shape(780)));
        assertEquals("cannot reshape (780) (780 values) to (1, 28, 28) (784 values)", e.getMessage());
        var m = assertThrows(ShapeException.class, () -> new Reshape(7, -1).outputShape(new Shape(30)));
        assertTrue(m.getMessage().contains("(30)") && m.getMessage().contains("(7, -1)"), m.getMessage());
    }

    @Test
    void targetIsChecked() {
        assertThrows(SpecException.class, () -> new Reshape(-1, -1));
        assertThrows(SpecException.class, () -> new Reshape(0, 4));
        assertThrows(SpecException.class, () -> new Reshape(List.of()));
    }

    @Test
    void filesMayCallItShape() {
        assertEquals(new Reshape(1, 28, 28),
                LayerTypes.catalog().parse(Map.of("reshape", Map.of("shape", List.of(1, 28, 28)))));
        assertEquals(new Reshape(1, 28, 28), LayerTypes.catalog().parse(
                Map.of("reshape", Map.of("target_shape", List.of(1, 28, 28)))));
        assertThrows(ConfigException.class, () -> LayerTypes.catalog().parse(Map.of("reshape",
                Map.of("shape", List.of(784), "target_shape", List.of(784)))));
    }
}
