package dev.lamina.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lamina.Sequential;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.LayerTypes;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** unit_forget_bias: the LSTM's forget gate (the second of i, f, g, o) starts with bias 1. */
class LstmForgetBiasTest {
    static float[] bias(String engine, Lstm spec) {
        try (Sequential m = new Sequential("m").input(5, 2)) {
            m.add("lstm", spec).engine(engine).seed(1);
            for (var p : m.layerBlock("lstm").getParameters()) {
                if (p.getKey().endsWith("bias_l0")) {
                    return p.getValue().getArray().toFloatArray();
                }
            }
        }
        throw new AssertionError("no bias_l0");
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void theForgetGateStartsAtOneByDefault(String engine) {
        assertArrayEquals(new float[] {0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0},
                bias(engine, new Lstm(3)));
        assertArrayEquals(new float[12], bias(engine, new Lstm(3).withUnitForgetBias(false)));
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void theForgetGateIsSetToOneNotAddedToTheInitializer(String engine) {
        // Keras: bias_initializer for i, g, o; ones for f (0.03 gives 1.0 there, not 1.03)
        Lstm spec = (Lstm) LayerTypes.parse(ConfigNode.of(Map.of("lstm", Map.of("units", 3,
                "bias_initializer", Map.of("constant", Map.of("value", 0.03))))));
        float c = 0.03f;
        assertArrayEquals(new float[] {c, c, c, 1, 1, 1, c, c, c, c, c, c}, bias(engine, spec),
                1e-7f);
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void theSettingRoundTrips(String engine) {
        Lstm off = (Lstm) LayerTypes.parse(ConfigNode.of(Map.of("lstm",
                Map.of("units", 3, "unit_forget_bias", false))));
        assertEquals(false, off.unitForgetBias());
        assertEquals(off, LayerTypes.parse(ConfigNode.of(off.toMap())));
        assertEquals(true, ((Lstm) LayerTypes.parse(ConfigNode.of(Map.of("lstm",
                Map.of("units", 3))))).unitForgetBias());
    }
}
