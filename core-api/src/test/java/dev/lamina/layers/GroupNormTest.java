package dev.lamina.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import dev.lamina.spec.ConfigException;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.LayerTypes;
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.SpecException;
import dev.lamina.testing.EngineParity;
import dev.lamina.testing.LayerRun;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GroupNormTest {
    static final double EPS = 1e-3;

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void normalisesEachGroupOfChannelsPerSample(String engine) {
        // one sample of 4 channels of length 2, 2 groups: channels 0-1 hold 1,3,5,7 (mean 4,
        // biased variance (9+1+1+9)/4 = 5); channels 2-3 hold 0,0,2,-2 (mean 0, variance 8/4 = 2)
        try (LayerRun r = LayerRun.of(engine, new GroupNorm(2), new Shape(4, 2), 1)) {
            assertEquals(List.of("gamma", "beta"), List.copyOf(r.parameters().keySet()));
            assertEquals(new Shape(4), r.parameters().get("gamma")); // per channel, as Keras
            r.set("gamma", 1, 2, 1, 1).set("beta", 0, 0, 0.5f, 0);
            float[] y = r.forward(false, 1, 3, 5, 7, 0, 0, 2, -2);
            float s0 = (float) Math.sqrt(5 + EPS);
            float s1 = (float) Math.sqrt(2 + EPS);
            assertArrayEquals(new float[] {-3 / s0, -1 / s0, 2 / s0, 6 / s0, 0.5f, 0.5f, 2 / s1,
                -2 / s1}, y, 1e-5f);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void minusOneGroupsIsInstanceNormalisationAndTheSamplesStayApart(String engine) {
        GroupNorm spec = new GroupNorm(-1, 1, EPS, false, false, null, null);
        try (LayerRun r = LayerRun.of(engine, spec, new Shape(2, 2), 2)) {
            assertEquals(List.of(), List.copyOf(r.parameters().keySet()));
            // sample 1: channel 0 is 1,3 (mean 2, var 1), channel 1 is 0,4 (mean 2, var 4);
            // sample 2: channel 0 is 10,10 (var 0), channel 1 is -1,1 (mean 0, var 1)
            float[] y = r.forward(false, 1, 3, 0, 4, 10, 10, -1, 1);
            float a = (float) Math.sqrt(1 + EPS);
            float b = (float) Math.sqrt(4 + EPS);
            assertArrayEquals(new float[] {-1 / a, 1 / a, -2 / b, 2 / b, 0, 0, -1 / a, 1 / a}, y,
                    1e-5f);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void theChannelAxisCanBeTheLast(String engine) {
        // axis -1 on a (2, 4) sample: channels are the last axis, Keras's channels-last default
        GroupNorm spec = new GroupNorm(2, -1, EPS, true, true, null, null);
        try (LayerRun r = LayerRun.of(engine, spec, new Shape(2, 4), 1)) {
            // group 0 = columns 0-1: 1, 3, 5, 7 (mean 4, var 5); group 1 = columns 2-3: 0, 2, 0, -2
            float[] y = r.forward(false, 1, 3, 0, 2, 5, 7, 0, -2);
            float s0 = (float) Math.sqrt(5 + EPS);
            float s1 = (float) Math.sqrt(2 + EPS);
            assertArrayEquals(new float[] {-3 / s0, -1 / s0, 0, 2 / s1, 1 / s0, 3 / s0, 0, -2 / s1},
                    y, 1e-5f);
        }
    }

    @Test
    void gradientsMatchCentralDifferences() {
        for (String engine : EngineParity.ENGINES) {
            for (GroupNorm spec : List.of(new GroupNorm(2), new GroupNorm(-1),
                    new GroupNorm(3, -1, 1e-3, true, false, null, null))) {
                var bad = EngineParity.with().batch(2).gradientCheck(engine, spec,
                        new Shape(6, 3), 20, 1e-6);
                assertTrue(bad.isEmpty(), bad.toString());
            }
        }
    }

    @Test
    void channelsThatAreNotAMultipleOfGroupsAreRefused() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> new GroupNorm(5).outputShape(new Shape(12, 4, 4)));
        assertEquals("group_norm: 12 channels (axis 1 of input (12, 4, 4)) cannot be split into 5"
                + " groups; the channels must be a multiple of groups: set groups to a divisor of 12,"
                + " or -1 for one group per channel", e.getMessage());
        // Keras's default of 32 groups needs 32, 64, ... channels
        assertThrows(ShapeException.class, () -> new GroupNorm().outputShape(new Shape(16, 8, 8)));
        assertEquals(new Shape(64, 8, 8), new GroupNorm().outputShape(new Shape(64, 8, 8)));
    }

    @Test
    void groupsCanBeGivenAsAPlainValue() {
        assertEquals(new GroupNorm(8), LayerTypes.catalog().parse(ConfigNode.of(Map.of("group_norm", 8))));
        assertEquals(new GroupNorm(), LayerTypes.catalog().parse(ConfigNode.of("group_norm")));
    }

    @Test
    void badSettingsAreNamed() {
        SpecException e = assertThrows(SpecException.class, () -> new GroupNorm(0));
        assertEquals("group_norm.groups: expected a positive number of groups, or -1 for one group"
                + " per channel (instance normalisation), received groups=0", e.getMessage());
        ConfigException c = assertThrows(ConfigException.class, () -> LayerTypes.catalog()
                .parse(ConfigNode.of(Map.of("group_norm", Map.of("groups", 4, "group", 2)))));
        assertTrue(c.getMessage().contains("'group_norm' has no setting 'group'"), c.getMessage());
    }
}
