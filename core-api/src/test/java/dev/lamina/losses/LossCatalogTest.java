package dev.lamina.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.spec.ConfigException;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.SpecException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsing losses by name and map, round trips, and the errors users see. */
class LossCatalogTest {
    @Test
    void everyKerasNameAndAliasIsKnown() {
        for (String n : List.of("mean_squared_error", "mse", "mean_absolute_error", "mae",
                "softmax_cross_entropy", "sparse_categorical_crossentropy", "categorical_crossentropy",
                "softmax_cross_entropy_one_hot", "binary_crossentropy", "negative_log_likelihood", "nll",
                "hinge", "squared_hinge", "cosine_similarity")) {
            assertTrue(Losses.CATALOG.contains(n), n);
        }
    }

    @Test
    void bareNamesGiveTheirDefaults() {
        assertEquals(new MeanSquaredError("mse"), Losses.parse(ConfigNode.of("mse")));
        assertEquals(new SoftmaxCrossEntropy("softmax_cross_entropy", true),
                Losses.parse(ConfigNode.of("softmax_cross_entropy")));
        assertEquals(new SoftmaxCrossEntropy("sparse_categorical_crossentropy", false),
                Losses.parse(ConfigNode.of("sparse_categorical_crossentropy")));
        assertEquals(Losses.categoricalCrossentropy(), Losses.parse(ConfigNode.of("categorical_crossentropy")));
        assertEquals(Losses.softmaxCrossEntropyOneHot(),
                Losses.parse(ConfigNode.of("softmax_cross_entropy_one_hot")));
        assertEquals(Losses.binaryCrossentropy(), Losses.parse(ConfigNode.of("binary_crossentropy")));
        assertEquals(new NegativeLogLikelihood("nll"), Losses.of("nll"));
        assertEquals(Losses.hinge(), Losses.of("hinge"));
    }

    @Test
    void mapsSetSettings() {
        LossSpec l = Losses.parse(ConfigNode.of(Map.of("softmax_cross_entropy", Map.of("from_logits", false))));
        assertFalse(((SoftmaxCrossEntropy) l).fromLogits());
        l = Losses.of(Map.of("categorical_crossentropy", Map.of("from_logits", true, "label_smoothing", 0.1)));
        assertEquals(Losses.categoricalCrossentropy(true, 0.1), l);
        l = Losses.of(Map.of("binary_crossentropy", Map.of("from_logits", true)));
        assertInstanceOf(BinaryCrossentropy.class, l);
        assertTrue(((BinaryCrossentropy) l).fromLogits());
        l = Losses.of(Map.of("binary_crossentropy", Map.of("label_smoothing", 0.1)));
        assertEquals(Losses.binaryCrossentropy(false, 0.1), l);
        assertEquals(Losses.cosineSimilarity(), Losses.of("cosine_similarity"));
    }

    @Test
    void everyLossRoundTripsThroughTheCatalog() {
        for (String n : Losses.CATALOG.names()) {
            LossSpec l = Losses.CATALOG.parse(n);
            assertEquals(n, l.type());
            assertEquals(l, Losses.CATALOG.parse(l.toMap()), n);
        }
        for (LossSpec l : List.of(Losses.softmaxCrossEntropy(false), Losses.sparseCategoricalCrossentropy(true),
                Losses.categoricalCrossentropy(true, 0.2), Losses.binaryCrossentropy(true),
                Losses.binaryCrossentropy(false, 0.3))) {
            assertEquals(l, Losses.CATALOG.parse(l.toMap()), l.toString());
        }
    }

    @Test
    void unknownNameSuggestsTheClosest() {
        ConfigException e = assertThrows(ConfigException.class, () -> Losses.of("categorical_crossentropyy"));
        assertTrue(e.getMessage().contains("Did you mean 'categorical_crossentropy'"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> Losses.of("binary_crosentropy"));
        assertTrue(e.getMessage().contains("Did you mean 'binary_crossentropy'"), e.getMessage());
    }

    @Test
    void badSettingsAreNamed() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Losses.of(Map.of("binary_crossentropy", Map.of("from_logit", true))));
        assertTrue(e.getMessage().contains("'from_logit'"), e.getMessage());
        assertTrue(e.getMessage().contains("Did you mean 'from_logits'"), e.getMessage());

        e = assertThrows(ConfigException.class,
                () -> Losses.of(Map.of("categorical_crossentropy", Map.of("label_smoothing", 2))));
        assertTrue(e.field().endsWith("label_smoothing"), e.field());
        assertTrue(e.getMessage().contains("[0, 1]"), e.getMessage());

        e = assertThrows(ConfigException.class,
                () -> Losses.of(Map.of("softmax_cross_entropy", Map.of("from_logits", "yes"))));
        assertTrue(e.field().endsWith("from_logits"), e.field());

        // every loss takes Keras's reduction (LossReductionTest); a misspelling is still refused
        e = assertThrows(ConfigException.class, () -> Losses.of(Map.of("mse", Map.of("reductio", "sum"))));
        assertTrue(e.getMessage().contains("'reductio'"), e.getMessage());
        assertTrue(e.getMessage().contains("Did you mean 'reduction'"), e.getMessage());
    }

    @Test
    void javaConstructorsCheckTheirValues() {
        SpecException e = assertThrows(SpecException.class,
                () -> new CategoricalCrossentropy("categorical_crossentropy", false, -0.5));
        assertEquals("label_smoothing", e.setting());
        e = assertThrows(SpecException.class, () -> Losses.binaryCrossentropy(true, 1.5));
        assertEquals("binary_crossentropy.label_smoothing: expected a number in [0, 1], received"
                + " label_smoothing=1.5", e.getMessage());
        assertThrows(SpecException.class, () -> new MeanSquaredError("mean_square_error"));
    }
}
