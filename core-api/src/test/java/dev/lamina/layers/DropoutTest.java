package dev.lamina.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import dev.lamina.spec.SpecException;
import dev.lamina.testing.LayerRun;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DropoutTest {
    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void inferenceIsTheIdentity(String engine) {
        try (LayerRun r = LayerRun.of(engine, new Dropout(0.5), new Shape(4), 1)) {
            assertArrayEquals(new float[] {1, -2, 3, 4}, r.forward(false, 1, -2, 3, 4), 0f);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void trainingZeroesAboutRateAndScalesTheRest(String engine) {
        float[] ones = new float[20000];
        Arrays.fill(ones, 1);
        try (LayerRun r = LayerRun.of(engine, new Dropout(0.25), new Shape(20000), 1)) {
            float[] y = r.forward(true, ones);
            int zeros = 0;
            for (float v : y) {
                if (v == 0) {
                    zeros++;
                } else {
                    assertEquals(1 / 0.75f, v, 1e-6f);
                }
            }
            assertEquals(0.25, zeros / 20000.0, 0.02);
        }
    }

    @Test
    void rateMustBeAFraction() {
        var e = assertThrows(SpecException.class, () -> new Dropout(1));
        assertTrue(e.getMessage().contains("received rate=1.0"), e.getMessage());
        assertThrows(SpecException.class, () -> new Dropout(-0.1));
    }
}
