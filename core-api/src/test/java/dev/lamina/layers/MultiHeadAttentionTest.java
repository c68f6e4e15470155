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
import ai.djl.util.Pair;
import dev.lamina.Functional;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.ConfigException;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.Input;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.LayerTypes;
import dev.lamina.spec.Node;
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.SpecException;
import dev.lamina.testing.EngineParity;
import dev.lamina.testing.LayerRun;
import dev.lamina.testing.TestEngines;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MultiHeadAttentionTest {
    // a² / sqrt(2) = ln 3, so softmax([a²/√2, 0]) = [3/4, 1/4]
    static final float A = (float) Math.sqrt(Math.sqrt(2) * Math.log(3));
    static final float E = (float) (Math.E / (1 + Math.E));

    /**
     * Builds {@code spec} for the inputs of these per-sample shapes (batch 1), sets weights, and
     * runs it on {@code inputs}; an input beyond the shapes is a key padding mask (steps).
     */
    static float[] run(String engine, LayerSpec spec, List<Shape> shapes, Map<String, float[]> w,
            float[]... inputs) {
        try (NDManager m = TestEngines.manager(engine)) {
            List<Shape> built = shapes;
            Block b = spec.toBlock(BuildContext.seeded(1), built);
            b.initialize(m, DataType.FLOAT32, built.stream().map(s -> new Shape(1).addAll(s))
                    .toArray(Shape[]::new));
            w.forEach((k, v) -> b.getParameters().get(k).getArray().set(v));
            NDList in = new NDList();
            for (int i = 0; i < inputs.length; i++) {
                in.add(m.create(inputs[i], i < shapes.size() ? new Shape(1).addAll(shapes.get(i))
                        : new Shape(1, inputs[i].length)));
            }
            return b.forward(new ParameterStore(m, false), in, false).singletonOrThrow()
                    .toFloatArray();
        }
    }

    /** One head, key_dim 2, every projection the identity, no biases. */
    static Map<String, float[]> identity() {
        float[] eye = {1, 0, 0, 1};
        return Map.of("query_kernel", eye, "key_kernel", eye, "value_kernel", eye,
                "output_kernel", eye);
    }

    static final LayerSpec ONE_HEAD =
            new MultiHeadAttention(1, 2, 0, 0, false, 0, false, false, null, null);
    // x = [[a, 0], [0, a]]: scores x·xᵀ/√2 = [[ln 3, 0], [0, ln 3]]
    static final float[] X = {A, 0, 0, A};

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void selfAttentionMatchesAHandComputation(String engine) {
        // probabilities [[3/4, 1/4], [1/4, 3/4]]; output = probabilities · x
        assertArrayEquals(new float[] {0.75f * A, 0.25f * A, 0.25f * A, 0.75f * A},
                run(engine, ONE_HEAD, List.of(new Shape(2, 2)), identity(), X), 1e-6f);
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void aCausalMaskHidesLaterSteps(String engine) {
        // step 1 sees only itself: [a, 0]; step 2 sees both: [a/4, 3a/4]
        LayerSpec causal = ((MultiHeadAttention) ONE_HEAD).causal(true);
        assertArrayEquals(new float[] {A, 0, 0.25f * A, 0.75f * A},
                run(engine, causal, List.of(new Shape(2, 2)), identity(), X), 1e-6f);
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void aKeyPaddingMaskAfterTheInputsHidesPaddedSteps(String engine) {
        // mask [1, 0]: both steps attend to step 1 only -> [a, 0] twice
        assertArrayEquals(new float[] {A, 0, A, 0}, run(engine, ONE_HEAD,
                List.of(new Shape(2, 2)), identity(), X, new float[] {1, 0}), 1e-6f);
        // with the causal mask as well, step 2 still sees only step 1
        assertArrayEquals(new float[] {A, 0, A, 0}, run(engine,
                ((MultiHeadAttention) ONE_HEAD).causal(true),
                List.of(new Shape(2, 2)), identity(), X, new float[] {1, 0}), 1e-6f);
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void anExplicitAttentionMaskIsTheLastInput(String engine) {
        // mask [[0, 1], [1, 1]]: step 1 sees only step 2 -> [0, a]; step 2 sees both
        LayerSpec spec = ((MultiHeadAttention) ONE_HEAD).withAttentionMaskInput();
        List<Shape> shapes = List.of(new Shape(2, 2), new Shape(2, 2));
        assertArrayEquals(new float[] {0, A, 0.25f * A, 0.75f * A}, run(engine, spec, shapes,
                identity(), X, new float[] {0, 1, 1, 1}), 1e-6f);
        // and a key padding mask after it is combined with it (AND): [0, 1] -> step 2 only
        assertArrayEquals(new float[] {0, A, 0, A}, run(engine, spec, shapes, identity(), X,
                new float[] {0, 1, 1, 1}, new float[] {0, 1}), 1e-6f);
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void headsAndTheOutputProjectionUseKerasLayout(String engine) {
        // 2 heads, key_dim = value_dim = 1, x = [[1, 0], [0, 1]].
        // query_kernel (features, heads, 1) = [[1, 1], [0, 1]]: head 0 query = x0, head 1 = x0 + x1
        // key_kernel = value_kernel = identity: head h's key and value are feature h.
        // head 0: scores [[1, 0], [0, 0]] -> O0 = [e/(1+e), 1/2] = [E, 1/2]
        // head 1: queries [1, 1], keys [0, 1] -> both steps softmax([0, 1]) -> O1 = [E, E]
        // output_kernel (heads, 1, 2) = [[1, 2], [0, 3]], output_bias [10, 20]:
        // step 1 = [E + 10, 2E + 3E + 20], step 2 = [1/2 + 10, 1 + 3E + 20]
        MultiHeadAttention spec = new MultiHeadAttention(2, 1, 0, 0, true, 0, false, false, null,
                null);
        Map<String, float[]> w = Map.of("query_kernel", new float[] {1, 1, 0, 1},
                "key_kernel", new float[] {1, 0, 0, 1}, "value_kernel", new float[] {1, 0, 0, 1},
                "output_kernel", new float[] {1, 2, 0, 3}, "output_bias", new float[] {10, 20},
                "query_bias", new float[2], "key_bias", new float[2], "value_bias", new float[2]);
        assertArrayEquals(new float[] {E + 10, 5 * E + 20, 10.5f, 21 + 3 * E},
                run(engine, spec, List.of(new Shape(2, 2)), w, new float[] {1, 0, 0, 1}), 1e-5f);
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void crossAttentionTakesQueryValueAndKey(String engine) {
        // query (1 step) [a, 0]; value [[1, 2], [3, 4]]; key [[a, 0], [0, a]]:
        // probabilities [3/4, 1/4] -> [3/4 + 3/4, 6/4 + 1] = [1.5, 2.5]
        List<Shape> shapes = List.of(new Shape(1, 2), new Shape(2, 2), new Shape(2, 2));
        assertArrayEquals(new float[] {1.5f, 2.5f}, run(engine, ONE_HEAD, shapes, identity(),
                new float[] {A, 0}, new float[] {1, 2, 3, 4}, X), 1e-5f);
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void dropoutDropsWholeProbabilitiesInTrainingOnly(String engine) {
        // one step: its probability is 1, dropped (0) or kept and scaled (2) at rate 0.5
        MultiHeadAttention spec = new MultiHeadAttention(1, 1, 0, 0.5, false, 0, false, false,
                null, null);
        int n = 64;
        float[] x = new float[n];
        java.util.Arrays.fill(x, 3);
        try (LayerRun r = LayerRun.of(engine, spec, new Shape(1, 1), n)) {
            for (String k : List.of("query_kernel", "key_kernel", "value_kernel",
                    "output_kernel")) {
                r.set(k, 1);
            }
            assertArrayEquals(x, r.forward(false, x), 1e-6f);
            float[] y = r.forward(true, x);
            int kept = 0;
            for (float v : y) {
                assertTrue(v == 0 || Math.abs(v - 6) < 1e-5, "0 or 6, got " + v);
                kept += v == 0 ? 0 : 1;
            }
            assertTrue(kept > 0 && kept < n, kept + " of " + n + " kept");
        }
    }

    @Test
    void parameterCountsAreKeras() {
        // num_heads 2, key_dim 4, 8 features: query, key, value 8·2·4 + 2·4 = 72 each,
        // output 2·4·8 + 8 = 72: 288, as Keras's summary gives
        assertEquals(288, count(new MultiHeadAttention(2, 4), List.of(new Shape(5, 8))));
        assertEquals(4 * 64, count(new MultiHeadAttention(2, 4, 0, 0, false, 0, false, false,
                null, null), List.of(new Shape(5, 8))));
        // cross: query 8 features, value 6; value_dim 3, output_shape 5:
        // 8·2·4 + 8 + 6·2·4 + 8 + 6·2·3 + 6 + 2·3·5 + 5 = 72 + 56 + 42 + 35 = 205
        assertEquals(205, count(new MultiHeadAttention(2, 4, 3, 0, true, 5, false, false, null,
                null), List.of(new Shape(5, 8), new Shape(7, 6))));
        try (LayerRun r = LayerRun.of("PyTorch", new MultiHeadAttention(2, 4), new Shape(5, 8),
                1)) {
            assertEquals(Map.of("query_kernel", new Shape(8, 2, 4), "query_bias", new Shape(2, 4),
                    "key_kernel", new Shape(8, 2, 4), "key_bias", new Shape(2, 4),
                    "value_kernel", new Shape(8, 2, 4), "value_bias", new Shape(2, 4),
                    "output_kernel", new Shape(2, 4, 8), "output_bias", new Shape(8)),
                    r.parameters());
            // Keras's Glorot fans for the (8, 2, 4) query kernel: fan_in 16, fan_out 32
            double limit = Math.sqrt(6.0 / (16 + 32));
            float max = 0;
            for (float v : r.get("query_kernel")) {
                max = Math.max(max, Math.abs(v));
            }
            assertTrue(max <= limit && max > 0.8 * limit, max + " vs " + limit);
        }
    }

    static long count(LayerSpec spec, List<Shape> shapes) {
        try (NDManager m = TestEngines.manager("PyTorch")) {
            Block b = spec.toBlock(BuildContext.seeded(1), shapes);
            b.initialize(m, DataType.FLOAT32, shapes.stream().map(s -> new Shape(1).addAll(s))
                    .toArray(Shape[]::new));
            long n = 0;
            for (Pair<String, ai.djl.nn.Parameter> p : b.getParameters()) {
                n += p.getValue().getArray().size();
            }
            return n;
        }
    }

    @Test
    void inAFunctionalModelItTakesQueryValueAndAnAttentionMaskInput() {
        Node q = Input.of("q", 4, 8);
        Node v = Input.of("v", 6, 8);
        Node mask = Input.of("mask", 4, 6);
        MultiHeadAttention spec = new MultiHeadAttention(2, 4).withAttentionMaskInput();
        Node out = spec.on(q, v, mask);
        try (Functional model = new Functional("cross", List.of(q, v, mask), List.of(out))) {
            assertEquals(List.of(new Shape(4, 8)), model.outputShapes());
        }
        var e = assertThrows(ShapeException.class, () -> spec.outputShapes(
                List.of(new Shape(4, 8), new Shape(6, 8), new Shape(6, 4))));
        assertTrue(e.getMessage().contains("expected the attention mask (last input) as (query"
                + " steps, value steps) = (4, 6), got (6, 4)"), e.getMessage());
    }

    @Test
    void bothEnginesAgreeOnOutputsAndGradients() {
        EngineParity.assertSame(new MultiHeadAttention(2, 3), new Shape(4, 5));
        EngineParity.assertSame(new MultiHeadAttention(3, 2, 4, 0, true, 6, true, false, null,
                null), new Shape(3, 4));
    }

    @Test
    void gradientsMatchCentralDifferencesInFloat64() {
        for (String engine : EngineParity.ENGINES) {
            for (LayerSpec spec : List.of(new MultiHeadAttention(2, 3),
                    new MultiHeadAttention(2, 2, 3, 0, true, 4, true, false, null, null))) {
                var bad = EngineParity.with().dtype(DataType.FLOAT64)
                        .gradientCheck(engine, spec, new Shape(3, 4), 20, 1e-6);
                assertTrue(bad.isEmpty(), bad.toString());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void paddedKeyStepsGetNoGradient(String engine) {
        // the value of a padded step changes nothing: its input gradient is zero
        try (NDManager m = TestEngines.manager(engine)) {
            Block b = new MultiHeadAttention(2, 3).toBlock(BuildContext.seeded(3),
                    new Shape(3, 4));
            b.initialize(m, DataType.FLOAT32, new Shape(1, 3, 4));
            // query separately (its rows are computed as usual); value/key = x with the mask
            NDArray x = m.randomUniform(-1, 1, new Shape(1, 3, 4));
            x.setRequiresGradient(true);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray y = b.forward(new ParameterStore(m, false),
                        new NDList(x, m.create(new float[] {1, 1, 0}, new Shape(1, 3))), false)
                        .singletonOrThrow();
                gc.backward(y.get(":, 0:2, :").sum()); // only the unpadded query steps
            }
            float[] g = x.getGradient().toFloatArray();
            List<Float> last = new ArrayList<>();
            for (int i = 8; i < 12; i++) {
                last.add(g[i]);
            }
            assertEquals(List.of(0f, 0f, 0f, 0f), last);
            assertTrue(Math.abs(g[0]) + Math.abs(g[4]) > 0);
        }
    }

    @Test
    void configParsesBackAndTakesKerasNames() {
        MultiHeadAttention parsed = (MultiHeadAttention) LayerTypes.catalog().parse(
                ConfigNode.of(Map.of("multi_head_attention", Map.of("num_heads", 2, "key_dim", 4,
                        "use_causal_mask", true, "output_shape", List.of(16)))));
        assertEquals(new MultiHeadAttention(2, 4, 4, 0, true, 16, true, false, null, null),
                parsed);
        assertEquals(Map.of("num_heads", 2, "key_dim", 4, "value_dim", 4, "dropout", 0.0,
                "use_bias", true, "output_shape", 16, "use_causal_mask", true,
                "kernel_initializer", Map.of("glorot_uniform", Map.of()),
                "bias_initializer", Map.of("zeros", Map.of())), parsed.config());
    }

    @Test
    void badSettingsAreRefusedNamingTheSetting() {
        assertEquals("multi_head_attention.num_heads: expected a positive integer, received"
                + " num_heads=0", assertThrows(SpecException.class,
                        () -> new MultiHeadAttention(0, 4)).getMessage());
        assertEquals("multi_head_attention.key_dim: expected a positive integer, received"
                + " key_dim=-1", assertThrows(SpecException.class,
                        () -> new MultiHeadAttention(2, -1)).getMessage());
        assertEquals("multi_head_attention.dropout: expected a fraction in [0, 1), received"
                + " dropout=1.0", assertThrows(SpecException.class,
                        () -> new MultiHeadAttention(2, 4).withDropout(1)).getMessage());
        var missing = assertThrows(ConfigException.class, () -> LayerTypes.catalog().parse(
                Map.of("multi_head_attention", Map.of("num_heads", 2))));
        assertTrue(missing.getMessage().contains("'multi_head_attention' needs the setting"
                + " 'key_dim'"), missing.getMessage());
        var typo = assertThrows(ConfigException.class, () -> LayerTypes.catalog().parse(
                Map.of("multi_head_attention", Map.of("num_heads", 2, "key_dim", 4,
                        "use_casual_mask", true))));
        assertTrue(typo.getMessage().contains("Did you mean 'use_causal_mask'?"),
                typo.getMessage());
        var rank = assertThrows(ShapeException.class,
                () -> new MultiHeadAttention(2, 4).outputShape(new Shape(28)));
        assertEquals("expected the query as a sequence (time, features), got (28)",
                rank.getMessage());
        var steps = assertThrows(ShapeException.class, () -> new MultiHeadAttention(2, 4)
                .outputShapes(List.of(new Shape(3, 8), new Shape(5, 8), new Shape(4, 8))));
        assertEquals("value and key need the same number of steps, got value (5, 8) and key"
                + " (4, 8)", steps.getMessage());
    }
}
