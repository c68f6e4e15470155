package dev.lamina.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.spec.ConfigException;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.SpecException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsing metrics by name and map, round trips, and the errors users see. */
class MetricCatalogTest {
    @Test
    void kerasNamesAndAliases() {
        for (String n : List.of("accuracy", "acc", "top_k_accuracy", "sparse_top_k_categorical_accuracy",
                "top_k_categorical_accuracy", "mae", "mean_absolute_error", "mse", "mean_squared_error",
                "precision", "recall", "auc")) {
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
        for (MetricSpec m : List.of(new PrecisionRecall("precision", 0.3, 2, 1),
                new PrecisionRecall("recall", null, 3, null), new PrecisionRecall("recall", 0.0, null, 4),
                new Auc(50, "PR", "majoring", true), new Auc(7, "roc", "Minoring", false))) {
            assertEquals(m, Metrics.of(m.toMap()), m.toString());
        }
        assertEquals(Map.of("precision", Map.of()), Metrics.precision().toMap());
        assertEquals(Map.of("auc", Map.of("num_thresholds", 200, "curve", "ROC",
                "summation_method", "interpolation", "from_logits", false)), Metrics.auc().toMap());
        assertEquals(new PrecisionRecall("precision", null, 2, null),
                Metrics.of(Map.of("precision", Map.of("top_k", 2))));
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
        e = assertThrows(ConfigException.class, () -> Metrics.of(Map.of("precision", Map.of("threshold", 0.3))));
        assertTrue(e.getMessage().contains("Did you mean 'thresholds'"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> Metrics.of(Map.of("recall", Map.of("thresholds", 1.5))));
        assertTrue(e.field().endsWith(".thresholds"), e.field());
        assertTrue(e.getMessage().contains("expected a number in [0, 1], received thresholds=1.5"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> Metrics.of(Map.of("auc", Map.of("curve", "PRC"))));
        assertTrue(e.field().endsWith(".curve"), e.field());
    }

    @Test
    void badConfusionSettingsSayWhatIsExpected() {
        assertEquals("precision.top_k: expected top_k >= 1, received top_k=0", assertThrows(
                SpecException.class, () -> new PrecisionRecall("precision", null, 0, null)).getMessage());
        assertEquals("recall.class_id: expected a class index >= 0, received class_id=-1", assertThrows(
                SpecException.class, () -> new PrecisionRecall("recall", null, null, -1)).getMessage());
        assertEquals("recall.thresholds: expected a number in [0, 1], received thresholds=-0.1", assertThrows(
                SpecException.class, () -> new PrecisionRecall("recall", -0.1, null, null)).getMessage());
        assertEquals("auc.num_thresholds: expected an integer > 1, received num_thresholds=1", assertThrows(
                SpecException.class, () -> new Auc(1, "ROC", "interpolation", false)).getMessage());
        assertEquals("auc.curve: expected one of [ROC, PR], received curve='PRGAIN'", assertThrows(
                SpecException.class, () -> new Auc(200, "PRGAIN", "interpolation", false)).getMessage());
        assertEquals("auc.summation_method: expected one of [interpolation, minoring, majoring],"
                + " received summation_method='trapezoid'", assertThrows(SpecException.class,
                        () -> new Auc(200, "ROC", "trapezoid", false)).getMessage());
    }
}
