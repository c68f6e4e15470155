package dev.lamina.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.lamina.initializers.RandomUniform;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.LayerTypes;
import dev.lamina.spec.SpecException;
import dev.lamina.testing.EngineParity;
import dev.lamina.testing.LayerRun;
import dev.lamina.testing.TestEngines;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** embedding and time_distributed. */
class SequenceLayersTest {
    static final float[] TABLE = {0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32}; // 4 ids × 3

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void embeddingLooksUpRows(String engine) {
        try (LayerRun r = LayerRun.of(engine, new Embedding(4, 3), new Shape(3), 2)) {
            r.set("embeddings", TABLE);
            float[] y = r.forward(false, 3, 0, 1, 2, 2, 3);
            assertEquals(new Shape(2, 3, 3), r.lastShape());
            assertArrayEquals(new float[] {30, 31, 32, 0, 1, 2, 10, 11, 12, 20, 21, 22, 20, 21, 22,
                    30, 31, 32}, y);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void embeddingGradientAddsUpPerId(String engine) {
        try (NDManager m = TestEngines.manager(engine)) {
            Block b = new Embedding(4, 3).toBlock(BuildContext.seeded(1), new Shape(3));
            b.initialize(m, DataType.FLOAT32, new Shape(1, 3));
            NDArray ids = m.create(new float[] {2, 0, 2}, new Shape(1, 3));
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray y = b.forward(new ParameterStore(m, false), new NDList(ids), true)
                        .singletonOrThrow();
                gc.backward(y.sum());
            }
            float[] g = b.getParameters().get("embeddings").getArray().getGradient().toFloatArray();
            assertArrayEquals(new float[] {1, 1, 1, 0, 0, 0, 2, 2, 2, 0, 0, 0}, g);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void idsOutsideTheVocabularyAreRefusedOnEveryEngine(String engine) {
        for (float[] ids : List.of(new float[] {1, 4}, new float[] {-1, 0}, new float[] {0.5f, 1})) {
            try (LayerRun r = LayerRun.of(engine, new Embedding(4, 2), new Shape(2), 1)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> r.forward(false, ids));
                assertTrue(e.getMessage().contains("input_dim=4"), e.getMessage());
            }
        }
    }

    @Test
    void embeddingStartsAsKeras() {
        Embedding e = new Embedding(10, 4);
        assertEquals(new RandomUniform(-0.05, 0.05), e.embeddingsInitializer());
        assertEquals(new Shape(7, 4), e.outputShape(new Shape(7)));
        try (LayerRun r = LayerRun.of("MXNet", e, new Shape(7), 1)) {
            for (float v : r.get("embeddings")) {
                assertTrue(Math.abs(v) <= 0.05f);
            }
        }
        // one seed, the same table on both engines
        float[] a;
        try (LayerRun r = LayerRun.of("PyTorch", e, new Shape(7), 1)) {
            a = r.get("embeddings");
        }
        try (LayerRun r = LayerRun.of("MXNet", e, new Shape(7), 1)) {
            assertArrayEquals(a, r.get("embeddings"));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void timeDistributedAppliesTheLayerToEveryStep(String engine) {
        float[] x = {1, 2, 3, 4, 5, 6}; // one sample, three steps of two features
        try (LayerRun r = LayerRun.of(engine, new TimeDistributed(new Dense(1)), new Shape(3, 2),
                1)) {
            String w = r.parameters().keySet().stream().filter(k -> k.endsWith("weight"))
                    .findFirst().orElseThrow();
            String bias = w.replace("weight", "bias");
            r.set(w, 1, -1).set(bias, 0.5f);
            assertArrayEquals(new float[] {-0.5f, -0.5f, -0.5f}, r.forward(false, x));
            assertEquals(new Shape(1, 3, 1), r.lastShape());
        }
    }

    @Test
    void timeDistributedIsTheSameOnBothEngines() {
        EngineParity.assertSame(new TimeDistributed(new Dense(4, "tanh")), new Shape(5, 3));
        EngineParity.assertSame(new TimeDistributed(new Conv1d(2, 3)), new Shape(4, 2, 6));
    }

    @Test
    void timeDistributedGradientsMatchCentralDifferences() {
        for (LayerSpec spec : List.of(new TimeDistributed(new Dense(3, "tanh")),
                new TimeDistributed(new Gru(2)))) {
            Shape sample = spec instanceof TimeDistributed t && t.layer() instanceof Gru
                    ? new Shape(3, 4, 2) : new Shape(4, 2);
            EngineParity.with().check(spec, sample).assertOk();
            for (String engine : EngineParity.ENGINES) {
                List<String> bad = EngineParity.with().gradientCheck(engine, spec, sample, 20, 1e-6);
                assertTrue(bad.isEmpty(), String.join("\n", bad));
            }
        }
    }

    @Test
    void configRoundTripsAndRegistration() {
        for (LayerSpec spec : List.of(new Embedding(10, 4), new TimeDistributed(new Dense(3)),
                new TimeDistributed(new Lstm(2)))) {
            assertEquals(spec, LayerTypes.catalog().parse(ConfigNode.of(spec.toMap())));
        }
        LayerSpec td = LayerTypes.catalog().parse(ConfigNode.of(Map.of("time_distributed",
                Map.of("layer", Map.of("dense", Map.of("units", 5))))));
        assertEquals(new Shape(7, 5), td.outputShape(new Shape(7, 3)));
    }

    @Test
    void badSettingsNameTheSetting() {
        SpecException e = assertThrows(SpecException.class, () -> new Embedding(0, 3));
        assertTrue(e.getMessage().contains("input_dim=0"), e.getMessage());
        e = assertThrows(SpecException.class, () -> new Embedding(3, -1));
        assertTrue(e.getMessage().contains("output_dim=-1"), e.getMessage());
    }
}
