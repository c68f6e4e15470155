package dev.lamina.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.spec.ConfigException;
import dev.lamina.spec.ConfigNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsing metrics by name and map, round trips, and the errors users see. */
class MetricCatalogTest {
    @Test
    void kerasNamesAndAliases() {
        for (String n : List.of("accuracy", "acc", "top_k_accuracy", "sparse_top_k_categorical_accuracy",
                "top_k_categorical_accuracy", "mae", "mean_absolute_error", "mse", "mean_squared_error")) {
            MetricSpec metric = Metrics.parse(ConfigNode.of(n));
            assertEquals(n, metric.type());
            assertEquals(n, metric.name());
        }
        assertEquals(Metrics.accuracy(), Metrics.of("accuracy"));
        assertEquals(new TopKAccuracy("top_k_accuracy", 5), Metrics.of("top_k_accuracy"));
        assertEquals(new TopKAccuracy("sparse_top_k_categorical_accuracy", 3),
                Metrics.parse(ConfigNode.of(Map.of("sparse_top_k_categorical_accuracy", Map.of("k", 3)))));
    }

    @Test
    void everyMetricRoundTrips() {
        for (String n : Metrics.CATALOG.names()) {
            MetricSpec metric = Metrics.CATALOG.parse(n);
            assertEquals(metric, Metrics.CATALOG.parse(metric.toMap()), n);
        }
        MetricSpec top = Metrics.topKAccuracy(2);
        assertEquals(Map.of("top_k_accuracy", Map.of("k", 2)), top.toMap());
        assertEquals(top, Metrics.of(top.toMap()));
    }

    @Test
    void unknownNameSuggestsTheClosest() {
        ConfigException e = assertThrows(ConfigException.class, () -> Metrics.of("acuracy"));
        assertTrue(e.getMessage().contains("Did you mean 'accuracy'"), e.getMessage());
    }

    @Test
    void badSettingsAreNamed() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Metrics.of(Map.of("top_k_accuracy", Map.of("k", 0))));
        assertTrue(e.field().endsWith(".k"), e.field());
        assertTrue(e.getMessage().contains("k >= 1"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> Metrics.of(Map.of("top_k_accuracy", Map.of("kk", 3))));
        assertTrue(e.getMessage().contains("Did you mean 'k'"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> Metrics.of(Map.of("accuracy", Map.of("threshold", 0.3))));
        assertTrue(e.getMessage().contains("'threshold'"), e.getMessage());
    }
}
