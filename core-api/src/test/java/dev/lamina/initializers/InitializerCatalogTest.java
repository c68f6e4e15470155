package dev.lamina.initializers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.spec.ConfigException;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.SpecException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Names, settings, defaults, round trips and error messages of the initializer catalog. */
class InitializerCatalogTest {
    static Stream<String> names() {
        return Initializers.CATALOG.names().stream();
    }

    @ParameterizedTest
    @MethodSource("names")
    void parsesFromABareNameAndFromAMap(String name) {
        InitializerSpec bare = Initializers.CATALOG.parse(name);
        assertEquals(name, bare.type());
        InitializerSpec fromMap = Initializers.CATALOG.parse(Map.of(name, Map.of()));
        assertEquals(bare, fromMap);
        InitializerSpec fromNode = Initializers.CATALOG.parse(ConfigNode.of(Map.of(name, bare.config())));
        assertEquals(bare, fromNode);
        assertEquals(bare, Initializers.of(bare.toMap()));
    }

    static Stream<Arguments> customised() {
        return Stream.of(
                Arguments.of("constant", Map.of("value", 0.3), Initializers.constant(0.3)),
                Arguments.of("random_normal", Map.of("mean", 1.0, "stddev", 2.0),
                        Initializers.randomNormal(1, 2)),
                Arguments.of("random_uniform", Map.of("minval", -1, "maxval", 3),
                        Initializers.randomUniform(-1, 3)),
                Arguments.of("truncated_normal", Map.of("stddev", 0.2),
                        Initializers.truncatedNormal(0, 0.2)),
                Arguments.of("variance_scaling",
                        Map.of("scale", 2.0, "mode", "fan_out", "distribution", "uniform"),
                        Initializers.varianceScaling(2, "fan_out", "uniform")),
                Arguments.of("orthogonal", Map.of("gain", 1.5), Initializers.orthogonal(1.5)),
                Arguments.of("sparse", Map.of("connections", 4, "stddev", 0.1),
                        Initializers.sparse(4, 0.1)));
    }

    @ParameterizedTest
    @MethodSource("customised")
    void settingsParseAndRoundTrip(String name, Map<String, Object> settings, InitializerSpec expected) {
        InitializerSpec parsed = Initializers.CATALOG.parse(Map.of(name, settings));
        assertEquals(expected, parsed);
        assertEquals(parsed, Initializers.CATALOG.parse(parsed.toMap()));
        assertEquals(settings.keySet(), keysPresentIn(parsed.config(), settings.keySet()));
    }

    private static Set<String> keysPresentIn(Map<String, Object> config, Set<String> keys) {
        Set<String> out = new HashSet<>();
        for (String k : keys) {
            if (config.containsKey(k)) {
                out.add(k);
            }
        }
        return out;
    }

    @Test
    void defaultsAreKeras() {
        assertEquals(new RandomNormal(0, 0.05), Initializers.of("random_normal"));
        assertEquals(new RandomUniform(-0.05, 0.05), Initializers.of("random_uniform"));
        assertEquals(new TruncatedNormal(0, 0.05), Initializers.of("truncated_normal"));
        assertEquals(new VarianceScaling(1, "fan_in", "truncated_normal"), Initializers.of("variance_scaling"));
        assertEquals(new Orthogonal(1), Initializers.of("orthogonal"));
        assertEquals(new Sparse(15, 1), Initializers.of("sparse"));
        assertEquals(Constant.of(0), Initializers.of("constant"));
    }

    @Test
    void configsWriteKerasNamesInOrder() {
        assertEquals(List.of("mean", "stddev"), List.copyOf(Initializers.randomNormal().config().keySet()));
        assertEquals(List.of("minval", "maxval"), List.copyOf(Initializers.randomUniform().config().keySet()));
        assertEquals(List.of("scale", "mode", "distribution"),
                List.copyOf(new VarianceScaling().config().keySet()));
        assertEquals(List.of("connections", "stddev"), List.copyOf(Initializers.sparse().config().keySet()));
        Map<String, Object> he = new LinkedHashMap<>();
        he.put("he_normal", Map.of());
        assertEquals(he, Initializers.heNormal().toMap());
        assertEquals(Map.of("orthogonal", Map.of("gain", 2.0)), Initializers.orthogonal(2).toMap());
    }

    @Test
    void presetsAreVarianceScaling() {
        VarianceScaling he = (VarianceScaling) Initializers.of("he_normal");
        assertEquals(2.0, he.scale());
        assertEquals("fan_in", he.mode());
        assertEquals("truncated_normal", he.distribution());
        VarianceScaling glorot = (VarianceScaling) Initializers.of("glorot_normal");
        assertEquals("fan_avg", glorot.mode());
        VarianceScaling heUniform = (VarianceScaling) Initializers.of("he_uniform");
        assertEquals("uniform", heUniform.distribution());
        // a preset name must mean its own settings
        assertThrows(SpecException.class, () -> new VarianceScaling("he_normal", 1, "fan_in", "uniform"));
    }

    @Test
    void unknownNameSuggestsTheClosest() {
        ConfigException e = assertThrows(ConfigException.class, () -> Initializers.of("he_normall"));
        assertTrue(e.getMessage().contains("Did you mean 'he_normal'"), e.getMessage());
        ConfigException e2 = assertThrows(ConfigException.class, () -> Initializers.of("glorot_unifrom"));
        assertTrue(e2.getMessage().contains("Did you mean 'glorot_uniform'"), e2.getMessage());
    }

    @Test
    void unknownSettingIsRefused() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Initializers.of(Map.of("random_normal", Map.of("stdev", 0.1))));
        assertTrue(e.getMessage().contains("'stdev'"), e.getMessage());
        assertTrue(e.getMessage().contains("Did you mean 'stddev'"), e.getMessage());
        assertThrows(ConfigException.class, () -> Initializers.of(Map.of("he_normal", Map.of("scale", 3))));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("random_normal", "stddev", -1),
                Arguments.of("truncated_normal", "stddev", 0),
                Arguments.of("random_uniform", "maxval", -0.5),
                Arguments.of("variance_scaling", "scale", -2),
                Arguments.of("variance_scaling", "mode", "fan_sum"),
                Arguments.of("variance_scaling", "distribution", "normal_ish"),
                Arguments.of("orthogonal", "gain", 0),
                Arguments.of("sparse", "connections", 0),
                Arguments.of("sparse", "stddev", -1));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void invalidValuesNameTheSettingAndValue(String name, String setting, Object value) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Initializers.of(Map.of(name, Map.of(setting, value))));
        String msg = e.getMessage();
        assertTrue(msg.contains(setting), msg);
        // numbers are read as doubles where the setting is a double: -1 is reported as -1.0
        String asDouble = value instanceof Number n ? setting + "=" + n.doubleValue() : "";
        assertTrue(msg.contains(setting + "=" + value) || msg.contains(asDouble), msg);
        assertTrue(msg.contains("expected"), msg);
        assertTrue(e.field().endsWith(setting), e.field());
    }

    @Test
    void javaConstructorsValidateToo() {
        SpecException e = assertThrows(SpecException.class, () -> Initializers.randomNormal(0, -1));
        assertEquals("random_normal", e.type());
        assertEquals("stddev", e.setting());
        assertTrue(e.getMessage().contains("received stddev=-1.0"), e.getMessage());
        SpecException u = assertThrows(SpecException.class, () -> Initializers.randomUniform(1, 1));
        assertTrue(u.getMessage().contains("minval"), u.getMessage());
        assertThrows(SpecException.class, () -> Initializers.orthogonal(-1));
        assertThrows(SpecException.class, () -> Initializers.sparse(0));
        assertThrows(SpecException.class, () -> Initializers.varianceScaling(1, "fan_in", "normal_ish"));
        assertThrows(SpecException.class, () -> Initializers.constant(Double.NaN));
        SpecException mode = assertThrows(SpecException.class,
                () -> Initializers.varianceScaling(1, "fan_avgg", "uniform"));
        assertTrue(mode.getMessage().contains("Did you mean 'fan_avg'"), mode.getMessage());
        assertInstanceOf(VarianceScaling.class, Initializers.varianceScaling(1, "FAN_AVG", "Uniform"));
    }
}
