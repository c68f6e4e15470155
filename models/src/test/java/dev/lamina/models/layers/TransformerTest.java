package dev.lamina.models.layers;

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
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.lamina.layers.Activation;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.ConfigException;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.LayerTypes;
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.SpecException;
import dev.lamina.testing.EngineParity;
import dev.lamina.testing.LayerRun;
import dev.lamina.testing.TestEngines;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TransformerTest {
    // ------------------------------------------------------------ position_embedding

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void positionEmbeddingAddsTheFirstTPositions(String engine) {
        // table [[1, 2], [3, 4], [5, 6], [7, 8]]; x (3 steps) [[.5, .5], [1, 1], [0, 0]]
        // -> x + table[0:3] = [[1.5, 2.5], [4, 5], [5, 6]]
        try (LayerRun r = LayerRun.of(engine, new PositionEmbedding(4), new Shape(3, 2), 1)) {
            assertEquals(Map.of("embeddings", new Shape(4, 2)), r.parameters());
            r.set("embeddings", 1, 2, 3, 4, 5, 6, 7, 8);
            assertArrayEquals(new float[] {1.5f, 2.5f, 4, 5, 5, 6},
                    r.forward(false, 0.5f, 0.5f, 1, 1, 0, 0), 1e-6f);
        }
        // the full length, batch 2: every sample gets the same positions
        try (LayerRun r = LayerRun.of(engine, new PositionEmbedding(2), new Shape(2, 1), 2)) {
            r.set("embeddings", 10, 20);
            assertArrayEquals(new float[] {11, 22, 13, 24}, r.forward(false, 1, 2, 3, 4), 1e-6f);
        }
    }

    @Test
    void positionEmbeddingRefusesALongerInputAndBadSettings() {
        var e = assertThrows(ShapeException.class,
                () -> new PositionEmbedding(4).outputShape(new Shape(5, 2)));
        assertEquals("an input of 5 steps is longer than sequence_length=4: set sequence_length to"
                + " at least 5", e.getMessage());
        var rank = assertThrows(ShapeException.class,
                () -> new PositionEmbedding(4).outputShape(new Shape(8)));
        assertEquals("expected a sequence (time, features), got (8)", rank.getMessage());
        assertEquals("position_embedding.sequence_length: expected a positive integer, received"
                + " sequence_length=0", assertThrows(SpecException.class,
                        () -> new PositionEmbedding(0)).getMessage());
        var missing = assertThrows(ConfigException.class,
                () -> LayerTypes.catalog().parse("position_embedding"));
        assertTrue(missing.getMessage().contains("'position_embedding' needs the setting"
                + " 'sequence_length'"), missing.getMessage());
    }

    @Test
    void positionEmbeddingStartsAsKerasGlorotUniform() {
        // (28, 32): fan_in 28, fan_out 32 -> limit sqrt(6 / 60)
        try (LayerRun r = LayerRun.of("PyTorch", new PositionEmbedding(28), new Shape(28, 32), 1)) {
            double limit = Math.sqrt(6.0 / 60);
            float max = 0;
            for (float v : r.get("embeddings")) {
                max = Math.max(max, Math.abs(v));
            }
            assertTrue(max <= limit && max > 0.95 * limit, max + " vs " + limit);
        }
    }

    // ------------------------------------------------------------ transformer_encoder

    @Test
    void encoderParameterCountIsKerasHubs() {
        // 8 features, 2 heads (key_dim 4), intermediate 16: attention 4·(8·8 + 8) = 288,
        // two layer norms 2·(8 + 8) = 32, dense 8·16 + 16 = 144, dense 16·8 + 8 = 136: 600
        assertEquals(600, count(new TransformerEncoder(16, 2), new Shape(5, 8)));
        // 3 heads of 10 features: key_dim 3 (rounded down, as keras-hub): attention
        // 3·(10·3·3 + 9) + 3·3·10 + 10 = 297 + 100 = 397; norms 40; dense 10·4 + 4 + 4·10 + 10
        assertEquals(397 + 40 + 44 + 50, count(new TransformerEncoder(4, 3), new Shape(6, 10)));
    }

    static long count(LayerSpec spec, Shape sample) {
        try (LayerRun r = LayerRun.of("PyTorch", spec, sample, 1)) {
            return r.parameters().values().stream().mapToLong(Shape::size).sum();
        }
    }

    static final List<String> CHILDREN = List.of("01attention_", "02attention_norm_",
            "03intermediate_", "04output_", "05output_norm_");

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void encoderEqualsItsLayersComposedWithTheSameWeights(String engine) {
        for (boolean first : List.of(false, true)) {
            TransformerEncoder enc = new TransformerEncoder(6, 2, 0, new Activation("gelu"), 1e-5,
                    first, null, null);
            Shape sample = new Shape(3, 4);
            Random rnd = new Random(7);
            float[] x = uniform(rnd, 2 * 3 * 4);
            Map<String, float[]> w = new LinkedHashMap<>();
            float[] fused;
            try (LayerRun r = LayerRun.of(engine, enc, sample, 2)) {
                for (Map.Entry<String, Shape> p : r.parameters().entrySet()) {
                    w.put(p.getKey(), uniform(rnd, (int) p.getValue().size()));
                    r.set(p.getKey(), w.get(p.getKey()));
                }
                assertEquals(CHILDREN.size(), w.keySet().stream()
                        .map(k -> k.substring(0, 3)).distinct().count(), w.keySet().toString());
                fused = r.forward(false, x);
            }
            assertArrayEquals(composed(engine, enc, sample, w, x), fused, 1e-5f,
                    "normalize_first " + first);
        }
    }

    /**
     * The encoder written out from its layers: post-norm a = LN1(x + MHA(x)),
     * y = LN2(a + D2(D1(a))); pre-norm a = x + MHA(LN1(x)), y = a + D2(D1(LN2(a))).
     */
    static float[] composed(String engine, TransformerEncoder enc, Shape sample,
            Map<String, float[]> w, float[] input) {
        try (NDManager m = TestEngines.manager(engine)) {
            long f = sample.get(1);
            Shape in = new Shape(2).addAll(sample);
            Shape hidden = new Shape(2, sample.get(0), enc.intermediateDim());
            BuildContext ctx = BuildContext.seeded(1);
            Block mha = enc.attention(f).toBlock(ctx, sample);
            Block ln1 = enc.layerNorm().toBlock(ctx, sample);
            Block d1 = enc.intermediate().toBlock(ctx, sample);
            Block d2 = enc.output(f).toBlock(ctx, hidden.slice(1));
            Block ln2 = enc.layerNorm().toBlock(ctx, sample);
            List<Block> blocks = List.of(mha, ln1, d1, d2, ln2);
            for (int i = 0; i < blocks.size(); i++) {
                Block b = blocks.get(i);
                b.initialize(m, DataType.FLOAT32, b == d2 ? hidden : in);
                for (Pair<String, ai.djl.nn.Parameter> p : b.getParameters()) {
                    p.getValue().getArray().set(w.get(CHILDREN.get(i) + p.getKey()));
                }
            }
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.create(input, in);
            NDArray y;
            if (enc.normalizeFirst()) {
                NDArray a = x.add(apply(mha, ps, apply(ln1, ps, x)));
                y = a.add(apply(d2, ps, apply(d1, ps, apply(ln2, ps, a))));
            } else {
                NDArray a = apply(ln1, ps, x.add(apply(mha, ps, x)));
                y = apply(ln2, ps, a.add(apply(d2, ps, apply(d1, ps, a))));
            }
            return y.toFloatArray();
        }
    }

    static NDArray apply(Block b, ParameterStore ps, NDArray x) {
        return b.forward(ps, new NDList(x), false).singletonOrThrow();
    }

    static float[] uniform(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextFloat() * 2 - 1;
        }
        return v;
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void encoderPassesAKeyPaddingMaskToItsAttention(String engine) {
        // with step 3 padded, changing step 3's input changes no other step's output
        TransformerEncoder enc = new TransformerEncoder(6, 2);
        try (NDManager m = TestEngines.manager(engine)) {
            Block b = enc.toBlock(BuildContext.seeded(2), new Shape(3, 4));
            b.initialize(m, DataType.FLOAT32, new Shape(1, 3, 4));
            NDArray mask = m.create(new float[] {1, 1, 0}, new Shape(1, 3));
            float[] x = uniform(new Random(3), 12);
            float[] y1 = forward(m, b, x, mask);
            x[8] += 5;
            x[11] -= 3;
            float[] y2 = forward(m, b, x, mask);
            for (int i = 0; i < 8; i++) {
                assertEquals(y1[i], y2[i], 1e-5f, "output " + i);
            }
            assertTrue(Math.abs(y1[8] - y2[8]) > 1e-3);
            // without the mask, step 3 changes the others
            assertTrue(Math.abs(forward(m, b, x, null)[0] - y2[0]) > 1e-4);
        }
    }

    static float[] forward(NDManager m, Block b, float[] x, NDArray mask) {
        NDArray in = m.create(x, new Shape(1, 3, 4));
        NDList l = mask == null ? new NDList(in) : new NDList(in, mask);
        return b.forward(new ParameterStore(m, false), l, false).singletonOrThrow().toFloatArray();
    }

    @Test
    void bothEnginesAgreeOnOutputsAndGradients() {
        EngineParity.assertSame(new PositionEmbedding(5), new Shape(4, 3));
        EngineParity.assertSame(new TransformerEncoder(6, 2), new Shape(3, 4));
        EngineParity.assertSame(new TransformerEncoder(5, 3).normalizeFirst(true),
                new Shape(4, 6));
    }

    @Test
    void gradientsMatchCentralDifferencesInFloat64() {
        for (String engine : EngineParity.ENGINES) {
            for (var c : List.<Object[]>of(new Object[] {new PositionEmbedding(5), new Shape(4, 3)},
                    new Object[] {new TransformerEncoder(5, 2, 0, new Activation("tanh"), 1e-5,
                            false, null, null), new Shape(3, 4)},
                    new Object[] {new TransformerEncoder(5, 2, 0, new Activation("tanh"), 1e-5,
                            true, null, null), new Shape(3, 4)})) {
                var bad = EngineParity.with().dtype(DataType.FLOAT64).gradientCheck(engine,
                        (LayerSpec) c[0], (Shape) c[1], 20, 1e-6);
                assertTrue(bad.isEmpty(), bad.toString());
            }
        }
    }

    @Test
    void configParsesBackToAnEqualSpec() {
        for (LayerSpec spec : List.of(new PositionEmbedding(28),
                new PositionEmbedding(10, dev.lamina.initializers.Initializers.heNormal()),
                new TransformerEncoder(64, 4), new TransformerEncoder(32, 2, 0.1,
                        new Activation("gelu"), 1e-6, true,
                        dev.lamina.initializers.Initializers.heNormal(),
                        dev.lamina.initializers.Initializers.constant(0.1)))) {
            assertEquals(spec, LayerTypes.catalog().parse(ConfigNode.of(spec.toMap())));
        }
        assertEquals(new TransformerEncoder(64, 4), LayerTypes.catalog().parse(ConfigNode.of(
                Map.of("transformer_encoder", Map.of("intermediate_dim", 64, "num_heads", 4)))));
        assertEquals(Map.of("intermediate_dim", 64, "num_heads", 4, "dropout", 0.0,
                "activation", "relu", "layer_norm_epsilon", 1e-5, "normalize_first", false,
                "kernel_initializer", Map.of("glorot_uniform", Map.of()),
                "bias_initializer", Map.of("zeros", Map.of())),
                new TransformerEncoder(64, 4).config());
    }

    @Test
    void encoderRefusesBadSettingsAndTooFewFeatures() {
        assertEquals("transformer_encoder.intermediate_dim: expected a positive integer, received"
                + " intermediate_dim=0", assertThrows(SpecException.class,
                        () -> new TransformerEncoder(0, 2)).getMessage());
        assertEquals("transformer_encoder.num_heads: expected a positive integer, received"
                + " num_heads=0", assertThrows(SpecException.class,
                        () -> new TransformerEncoder(8, 0)).getMessage());
        assertEquals("transformer_encoder.dropout: expected a fraction in [0, 1), received"
                + " dropout=1.5", assertThrows(SpecException.class, () -> new TransformerEncoder(
                        8, 2, 1.5, null, 1e-5, false, null, null)).getMessage());
        var heads = assertThrows(ShapeException.class,
                () -> new TransformerEncoder(8, 4).outputShape(new Shape(10, 3)));
        assertEquals("key_dim = features / num_heads would be 0: 3 features, num_heads=4; use at"
                + " least as many features as heads", heads.getMessage());
        var typo = assertThrows(ConfigException.class, () -> LayerTypes.catalog().parse(
                Map.of("transformer_encoder", Map.of("intermediate_dim", 8, "num_heads", 2,
                        "normalise_first", true))));
        assertTrue(typo.getMessage().contains("Did you mean 'normalize_first'?"),
                typo.getMessage());
    }
}
