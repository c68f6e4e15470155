package dev.lamina.layers;

import static dev.lamina.layers.RecurrentTest.N;
import static dev.lamina.layers.RecurrentTest.U;
import static dev.lamina.layers.RecurrentTest.assertClose;
import static dev.lamina.layers.RecurrentTest.dot;
import static dev.lamina.layers.RecurrentTest.sigmoid;
import static dev.lamina.layers.RecurrentTest.weights;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import dev.lamina.spec.ConfigException;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.LayerTypes;
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.Yaml;
import dev.lamina.testing.EngineParity;
import dev.lamina.testing.LayerRun;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keras's recurrent options, each against a hand computation over two or three steps on both
 * engines: go_backwards, use_bias, initial states, return_state, reset_after false, the merge
 * modes and backward_layer of bidirectional, masks, Keras's dropout and recurrent_dropout.
 */
class RecurrentOptionsTest {
    static final float[] X3 = {0.5f, -1.0f, 0.25f, 0.75f, -0.5f, 0.1f}; // three steps, N = 2
    static final Shape IN3 = new Shape(3, N);

    /**
     * A simple RNN (tanh) by hand, reading the steps forwards or backwards from {@code h0}, with
     * {@code mask} (1 kept, 0 masked; null: all kept). Rows 0..T−1: the outputs in the order read
     * (a masked step repeats the previous output, or is zero with {@code zeroMasked}); row T: the
     * final state.
     */
    static double[][] simpleByHand(float[] w, float[] uw, float[] b, float[] x, int steps,
            boolean backwards, int[] mask, boolean zeroMasked, double[] h0) {
        double[] h = h0 == null ? new double[U] : h0.clone();
        double[] out = new double[U];
        double[][] rows = new double[steps + 1][];
        for (int k = 0; k < steps; k++) {
            int t = backwards ? steps - 1 - k : k;
            double[] xt = {x[t * N], x[t * N + 1]};
            double[] hn = new double[U];
            for (int j = 0; j < U; j++) {
                hn[j] = Math.tanh(dot(w, j, N, xt) + (b == null ? 0 : b[j]) + dot(uw, j, U, h));
            }
            if (mask == null || mask[t] == 1) {
                h = hn;
                out = hn;
            } else if (zeroMasked) {
                out = new double[U];
            }
            rows[k] = out.clone();
        }
        rows[steps] = h;
        return rows;
    }

    static double[] flat(double[]... rows) {
        return Arrays.stream(rows).flatMapToDouble(Arrays::stream).toArray();
    }

    static float[] floats(double... v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    static final float[] W = weights(U * N, 1);
    static final float[] UW = weights(U * U, 2);
    static final float[] B = weights(U, 3);
    static final float[] WB = weights(U * N, 4);
    static final float[] UWB = weights(U * U, 5);
    static final float[] BB = weights(U, 6);

    static LayerRun simple(String engine, LayerSpec spec, List<Shape> in) {
        LayerRun r = LayerRun.of(engine, spec, in, 1);
        r.set("kernel_l0", W).set("recurrent_kernel_l0", UW);
        if (r.parameters().containsKey("bias_l0")) {
            r.set("bias_l0", B);
        }
        if (r.parameters().containsKey("kernel_l0_reverse")) {
            r.set("kernel_l0_reverse", WB).set("recurrent_kernel_l0_reverse", UWB)
                    .set("bias_l0_reverse", BB);
        }
        return r;
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void goBackwardsReadsTheLastStepFirstAndReturnsTheReversedSequence(String engine) {
        double[][] hand = simpleByHand(W, UW, B, X3, 3, true, null, false, null);
        try (LayerRun r = simple(engine, new SimpleRnn(U, true).with(s -> s.goBackwards(true)),
                List.of(IN3))) {
            assertClose(flat(hand[0], hand[1], hand[2]), r.forward(false, X3), 1e-6);
        }
        try (LayerRun r = simple(engine, new SimpleRnn(U).with(s -> s.goBackwards(true)),
                List.of(IN3))) {
            assertClose(hand[3], r.forward(false, X3), 1e-6);
        }
        // and the loop of basic operations (another activation than tanh takes it) agrees:
        // relu over these small weights stays linear where positive, checked by hand too
        double[] h = new double[U];
        for (int t = 2; t >= 0; t--) {
            double[] xt = {X3[t * N], X3[t * N + 1]};
            double[] hn = new double[U];
            for (int j = 0; j < U; j++) {
                hn[j] = Math.max(0, dot(W, j, N, xt) + B[j] + dot(UW, j, U, h));
            }
            h = hn;
        }
        try (LayerRun r = simple(engine, new SimpleRnn(RecurrentTest.with(U, "relu", false))
                .with(s -> s.goBackwards(true)), List.of(IN3))) {
            assertClose(h, r.forward(false, X3), 1e-6);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void useBiasFalseHasNoBiasAndComputesWithout(String engine) {
        double[][] hand = simpleByHand(W, UW, null, X3, 3, false, null, false, null);
        try (LayerRun r = simple(engine, new SimpleRnn(U).with(s -> s.useBias(false)),
                List.of(IN3))) {
            assertEquals(List.of("kernel_l0", "recurrent_kernel_l0"),
                    List.copyOf(r.parameters().keySet()));
            assertClose(hand[3], r.forward(false, X3), 1e-6);
        }
        // Keras's counts on 3 features: no bias, so 4·(n·u + u·u) and 3·(n·u + u·u)
        assertEquals(4 * (3 * 3 + 3 * 3), RecurrentTest.count(new Lstm(3).with(s -> s.useBias(false))));
        assertEquals(3 * (3 * 3 + 3 * 3), RecurrentTest.count(new Gru(3).with(s -> s.useBias(false))));
    }

    /** LSTM by hand from (h0, c0): {last h, last c}. Gates i, f, g, o. */
    static double[][] lstmByHand(float[] w, float[] uw, float[] b, float[] x, int steps,
            double[] h0, double[] c0) {
        double[] h = h0.clone();
        double[] c = c0.clone();
        for (int t = 0; t < steps; t++) {
            double[] xt = {x[t * N], x[t * N + 1]};
            double[] hn = new double[U];
            for (int j = 0; j < U; j++) {
                double[] z = new double[4];
                for (int k = 0; k < 4; k++) {
                    int r = k * U + j;
                    z[k] = dot(w, r, N, xt) + b[r] + dot(uw, r, U, h);
                }
                c[j] = sigmoid(z[1]) * c[j] + sigmoid(z[0]) * Math.tanh(z[2]);
                hn[j] = sigmoid(z[3]) * Math.tanh(c[j]);
            }
            h = hn;
        }
        return new double[][] {h, c};
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void initialStatesAreExtraInputsAndReturnStateGivesTheFinalOnes(String engine) {
        float[] w = weights(4 * U * N, 1);
        float[] uw = weights(4 * U * U, 2);
        float[] b = weights(4 * U, 3);
        double[] h0 = {0.3, -0.2};
        double[] c0 = {-0.5, 0.4};
        double[][] hand = lstmByHand(w, uw, b, X3, 3, h0, c0);
        Lstm spec = new Lstm(U).with(s -> s.returnState(true));
        Shape st = new Shape(U);
        assertEquals(List.of(new Shape(U), st, st), spec.outputShapes(List.of(IN3, st, st)));
        try (LayerRun r = LayerRun.of(engine, spec, List.of(IN3, st, st), 1)) {
            r.set("kernel_l0", w).set("recurrent_kernel_l0", uw).set("bias_l0", b);
            for (boolean training : new boolean[] {false, true}) {
                List<float[]> out = r.forwardAll(training, X3, floats(h0), floats(c0));
                assertEquals(3, out.size());
                assertClose(hand[0], out.get(0), 1e-6); // the output: the last h
                assertClose(hand[0], out.get(1), 1e-6); // h
                assertClose(hand[1], out.get(2), 1e-6); // c
            }
        }
        // zeros when no states are given
        double[][] fromZero = lstmByHand(w, uw, b, X3, 3, new double[U], new double[U]);
        try (LayerRun r = LayerRun.of(engine, spec, List.of(IN3), 1)) {
            r.set("kernel_l0", w).set("recurrent_kernel_l0", uw).set("bias_l0", b);
            assertClose(fromZero[1], r.forwardAll(false, X3).get(2), 1e-6);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void gruWithoutResetAfterResetsHBeforeTheRecurrentKernel(String engine) {
        float[] w = weights(3 * U * N, 1);
        float[] uw = weights(3 * U * U, 2);
        float[] b = weights(3 * U, 3);
        double[] h = new double[U];
        for (int t = 0; t < 3; t++) {
            double[] xt = {X3[t * N], X3[t * N + 1]};
            double[] r = new double[U];
            double[] z = new double[U];
            for (int j = 0; j < U; j++) {
                r[j] = sigmoid(dot(w, j, N, xt) + b[j] + dot(uw, j, U, h));
                z[j] = sigmoid(dot(w, U + j, N, xt) + b[U + j] + dot(uw, U + j, U, h));
            }
            double[] rh = {r[0] * h[0], r[1] * h[1]};
            double[] hn = new double[U];
            for (int j = 0; j < U; j++) {
                double n = Math.tanh(dot(w, 2 * U + j, N, xt) + b[2 * U + j]
                        + dot(uw, 2 * U + j, U, rh));
                hn[j] = (1 - z[j]) * n + z[j] * h[j];
            }
            h = hn;
        }
        try (LayerRun run = LayerRun.of(engine, new Gru(U).withResetAfter(false), IN3, 1)) {
            assertEquals(List.of("kernel_l0", "recurrent_kernel_l0", "bias_l0"),
                    List.copyOf(run.parameters().keySet()));
            run.set("kernel_l0", w).set("recurrent_kernel_l0", uw).set("bias_l0", b);
            assertClose(h, run.forward(false, X3), 1e-6);
            assertClose(h, run.forward(true, X3), 1e-6);
        }
        // Keras: GRU(units=u, reset_after=False) on n features has 3·(n·u + u·u + u) weights
        assertEquals(3 * (3 * 4 + 4 * 4 + 4), RecurrentTest.count(new Gru(4).withResetAfter(false)));
        assertEquals(3 * (3 * 4 + 4 * 4 + 2 * 4), RecurrentTest.count(new Gru(4)));
    }

    static Stream<Bidirectional.MergeMode> modes() {
        return Stream.of(Bidirectional.MergeMode.values());
    }

    @ParameterizedTest
    @MethodSource("modes")
    void eachMergeModeJoinsTheDirectionsAsKeras(Bidirectional.MergeMode mode) {
        double[][] f = simpleByHand(W, UW, B, X3, 3, false, null, false, null);
        double[][] g = simpleByHand(WB, UWB, BB, X3, 3, true, null, false, null);
        double[] fs = flat(f[0], f[1], f[2]);
        double[] gs = flat(g[2], g[1], g[0]); // the backward outputs, back in time order
        double[] joined = new double[mode == Bidirectional.MergeMode.CONCAT ? 12 : 6];
        for (int t = 0; t < 3; t++) {
            for (int j = 0; j < U; j++) {
                double a = fs[t * U + j];
                double z = gs[t * U + j];
                switch (mode) {
                    case CONCAT -> {
                        joined[t * 2 * U + j] = a;
                        joined[t * 2 * U + U + j] = z;
                    }
                    case SUM -> joined[t * U + j] = a + z;
                    case MUL -> joined[t * U + j] = a * z;
                    case AVE -> joined[t * U + j] = (a + z) / 2;
                    case NONE -> joined[t * U + j] = a;
                }
            }
        }
        for (String engine : EngineParity.ENGINES) {
            try (LayerRun r = simple(engine, new Bidirectional(new SimpleRnn(U, true), mode),
                    List.of(IN3))) {
                List<float[]> out = r.forwardAll(false, X3);
                assertClose(joined, out.get(0), 1e-6);
                if (mode == Bidirectional.MergeMode.NONE) {
                    assertEquals(2, out.size());
                    assertClose(gs, out.get(1), 1e-6);
                } else {
                    assertEquals(1, out.size());
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void aBackwardLayerOfItsOwnReadsBackwards(String engine) {
        // the backward layer with 3 units and relu: different from the forward one
        double[][] f = simpleByHand(W, UW, B, X3, 3, false, null, false, null);
        float[] wb = weights(3 * N, 4);
        float[] ub = weights(3 * 3, 5);
        float[] bb = weights(3, 6);
        double[] h = new double[3];
        for (int t = 2; t >= 0; t--) {
            double[] xt = {X3[t * N], X3[t * N + 1]};
            double[] hn = new double[3];
            for (int j = 0; j < 3; j++) {
                hn[j] = Math.max(0, dot(wb, j, N, xt) + bb[j] + dot(ub, j, 3, h));
            }
            h = hn;
        }
        Bidirectional spec = new Bidirectional(new SimpleRnn(U), Bidirectional.MergeMode.CONCAT,
                new SimpleRnn(RecurrentTest.with(3, "relu", false)).with(s -> s.goBackwards(true)));
        assertEquals(new Shape(U + 3), spec.outputShape(IN3));
        try (LayerRun r = LayerRun.of(engine, spec, IN3, 1)) {
            r.set("01forward_kernel_l0", W).set("01forward_recurrent_kernel_l0", UW)
                    .set("01forward_bias_l0", B).set("02backward_kernel_l0", wb)
                    .set("02backward_recurrent_kernel_l0", ub).set("02backward_bias_l0", bb);
            assertClose(flat(f[3], h), r.forward(false, X3), 1e-6);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void aMaskedStepKeepsTheStateAndRepeatsTheOutput(String engine) {
        float[] keepMiddleOut = {1, 0, 1};
        float[] padFirst = {0, 1, 1};
        for (float[] m : List.of(keepMiddleOut, padFirst)) {
            int[] mask = {(int) m[0], (int) m[1], (int) m[2]};
            double[][] hand = simpleByHand(W, UW, B, X3, 3, false, mask, false, null);
            try (LayerRun r = simple(engine, new SimpleRnn(U, true), List.of(IN3))) {
                assertClose(flat(hand[0], hand[1], hand[2]), r.forwardAll(false, X3, m).get(0),
                        1e-6);
                assertClose(flat(hand[0], hand[1], hand[2]), r.forwardAll(true, X3, m).get(0),
                        1e-6);
            }
            try (LayerRun r = simple(engine, new SimpleRnn(U), List.of(IN3))) {
                assertClose(hand[3], r.forwardAll(false, X3, m).get(0), 1e-6);
            }
            // backwards, the mask read backwards too
            double[][] back = simpleByHand(W, UW, B, X3, 3, true, mask, false, null);
            try (LayerRun r = simple(engine, new SimpleRnn(U, true).with(s -> s.goBackwards(true)),
                    List.of(IN3))) {
                assertClose(flat(back[0], back[1], back[2]), r.forwardAll(false, X3, m).get(0),
                        1e-6);
            }
            // bidirectional: masked steps of the sequences are zero (Keras's Bidirectional)
            double[][] f = simpleByHand(W, UW, B, X3, 3, false, mask, true, null);
            double[][] g = simpleByHand(WB, UWB, BB, X3, 3, true, mask, true, null);
            try (LayerRun r = simple(engine, new Bidirectional(new SimpleRnn(U, true)),
                    List.of(IN3))) {
                assertClose(flat(f[0], g[2], f[1], g[1], f[2], g[0]),
                        r.forwardAll(false, X3, m).get(0), 1e-6);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void kerasDropoutDropsTheSameInputFeaturesAtEveryStep(String engine) {
        // linear cell, kernel of ones, no recurrence: step t's output is the sum of the kept
        // features of x_t scaled by 1/keep; with equal steps, every step's output is the same
        float[] x = new float[6 * 40];
        Arrays.fill(x, 1f);
        Shape in = new Shape(6, 40);
        try (LayerRun r = LayerRun.of(engine, new SimpleRnn(RecurrentTest.with(1, "linear", true))
                .with(s -> s.dropout(0.5)), in, 1)) {
            float[] ones = new float[40];
            Arrays.fill(ones, 1f);
            r.set("kernel_l0", ones).set("recurrent_kernel_l0", 0f).set("bias_l0", 0f);
            float[] y = r.forward(true, x);
            for (float v : y) {
                assertEquals(y[0], v, 1e-5, "one mask for the whole sequence: " + Arrays.toString(y));
            }
            assertEquals(0, y[0] % 2, 1e-4, "kept features count 1/keep = 2 each");
            assertNotEquals(40f, y[0], "some features dropped");
            assertClose(new double[] {40, 40, 40, 40, 40, 40}, r.forward(false, x), 1e-5);
        }
        // recurrent dropout: training differs, inference is the layer without it
        try (LayerRun r = LayerRun.of(engine, new Lstm(8, true).with(s -> s.recurrentDropout(0.5)),
                IN3, 4);
                LayerRun plain = LayerRun.of(engine, new Lstm(8, true), IN3, 4)) {
            float[] x4 = new float[24];
            for (int i = 0; i < x4.length; i++) {
                x4[i] = (float) Math.sin(i);
            }
            assertClose(toDouble(plain.forward(false, x4)), r.forward(false, x4), 1e-6);
            assertTrue(!Arrays.equals(plain.forward(true, x4), r.forward(true, x4)));
        }
    }

    static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    static Stream<LayerSpec> gradientCases() {
        return Stream.of(new SimpleRnn(2, true).with(s -> s.goBackwards(true)),
                new Gru(2, true).withResetAfter(false), new Lstm(2).with(s -> s.useBias(false)),
                new Bidirectional(new Gru(2, true), Bidirectional.MergeMode.SUM),
                new Bidirectional(new Lstm(2), Bidirectional.MergeMode.MUL),
                new Bidirectional(new SimpleRnn(2, true), Bidirectional.MergeMode.AVE),
                new Bidirectional(new Lstm(2), Bidirectional.MergeMode.CONCAT,
                        new Lstm(3).with(s -> s.goBackwards(true))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gradientCases")
    void gradientsMatchCentralDifferencesInFloat64(LayerSpec spec) {
        for (String engine : EngineParity.ENGINES) {
            List<String> bad = EngineParity.with().gradientCheck(engine, spec, new Shape(3, 2), 20,
                    1e-6);
            assertTrue(bad.isEmpty(), String.join("\n", bad));
        }
    }

    @Test
    void yamlTakesKerasNamesAndRoundTrips() {
        LayerSpec spec = LayerTypes.parse(Yaml.read(String.join("\n",
                "bidirectional:",
                "  layer: {gru: {units: 4, return_sequences: true, reset_after: false,",
                "          use_bias: false, dropout: 0.1, recurrent_dropout: 0.2}}",
                "  merge_mode: ave"), "m.yaml"));
        assertEquals(new Bidirectional(new Gru(4, true).withResetAfter(false).with(s -> s
                .useBias(false).dropout(0.1).recurrentDropout(0.2)), Bidirectional.MergeMode.AVE),
                spec);
        assertEquals(spec, LayerTypes.parse(ConfigNode.of(spec.toMap())));
        LayerSpec back = new Bidirectional(new Lstm(3), Bidirectional.MergeMode.NONE,
                new Lstm(5).with(s -> s.goBackwards(true)));
        assertEquals(back, LayerTypes.parse(ConfigNode.of(back.toMap())));
        SpecException e = assertThrows(SpecException.class, () -> new Bidirectional(new Lstm(3),
                Bidirectional.MergeMode.NONE, new Lstm(3).with(s -> s.goBackwards(true)
                        .returnState(true))));
        assertTrue(e.getMessage().contains("expected the same kind of layer as layer"),
                e.getMessage());
    }

    @Test
    void badSettingsSayWhatToDo() {
        ConfigException c = assertThrows(ConfigException.class, () -> LayerTypes.parse(Yaml.read(
                "bidirectional: {layer: {lstm: {units: 3}}, merge_mode: concatenate}", "m.yaml")));
        assertTrue(c.getMessage().contains("expected one of concat, sum, mul, ave, none, received"
                + " merge_mode=concatenate"), c.getMessage());
        SpecException e = assertThrows(SpecException.class, () -> new Bidirectional(
                new Lstm(3), Bidirectional.MergeMode.CONCAT, new Lstm(3)));
        assertTrue(e.getMessage().contains("expected go_backwards: true on the backward layer"),
                e.getMessage());
        e = assertThrows(SpecException.class, () -> new Bidirectional(
                new Lstm(3), Bidirectional.MergeMode.SUM, new Lstm(4).with(s -> s.goBackwards(true))));
        assertTrue(e.getMessage().contains("merge_mode sum needs the same units in both layers,"
                + " got 3 and 4; use concat or none"), e.getMessage());
        e = assertThrows(SpecException.class, () -> new Lstm(3).with(s -> s.recurrentDropout(1)));
        assertTrue(e.getMessage().contains("expected a fraction in [0, 1), received"
                + " recurrent_dropout=1.0"), e.getMessage());
        ShapeException s = assertThrows(ShapeException.class, () -> new Lstm(3)
                .outputShapes(List.of(IN3, new Shape(3))));
        assertEquals("expected 2 initial states after the sequence (h and c), got 1",
                s.getMessage());
        s = assertThrows(ShapeException.class, () -> new Lstm(3).with(x -> x.returnState(true))
                .outputShape(IN3));
        assertTrue(s.getMessage().startsWith("return_state gives 3 outputs: use the layer in a"
                + " functional model and pick them with node.output(i)"), s.getMessage());
        s = assertThrows(ShapeException.class, () -> new Gru(3).withLayers(2, 0)
                .outputShapes(List.of(IN3, new Shape(3))));
        assertTrue(s.getMessage().startsWith("initial states need layers: 1"), s.getMessage());
    }
}
