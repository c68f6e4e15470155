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
import dev.lamina.Summary;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.ConfigException;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.LayerTypes;
import dev.lamina.spec.SpecException;
import dev.lamina.testing.EngineParity;
import dev.lamina.testing.LayerRun;
import dev.lamina.testing.TestEngines;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** simple_rnn, lstm, gru and the bidirectional wrapper: hand computations, engines, gradients. */
class RecurrentTest {
    static final int N = 2; // input features
    static final int U = 2; // units
    static final float[] X = {0.5f, -1.0f, 0.25f, 0.75f}; // one sample, two steps of two features

    /** Fixed, distinct weights: value k of a tensor is 0.1·((k·3 + salt) mod 7) − 0.3. */
    static float[] weights(int n, int salt) {
        float[] w = new float[n];
        for (int k = 0; k < n; k++) {
            w[k] = 0.1f * ((k * 3 + salt) % 7) - 0.3f;
        }
        return w;
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** Row r of (rows, cols) weights W times vector v. */
    static double dot(float[] w, int r, int cols, double[] v) {
        double s = 0;
        for (int j = 0; j < cols; j++) {
            s += w[r * cols + j] * v[j];
        }
        return s;
    }

    /**
     * LSTM by hand, gates i, f, g, o (rows k·U .. k·U+U−1 of W and U):
     * z_k = W_k·x + b_k + U_k·h; c = σ(z_f)·c + σ(z_i)·tanh(z_g); h = σ(z_o)·tanh(c).
     */
    static double[] lstmByHand(float[] w, float[] uw, float[] b, float[] x, int steps) {
        double[] h = new double[U];
        double[] c = new double[U];
        double[] out = new double[steps * U];
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
            System.arraycopy(h, 0, out, t * U, U);
        }
        return out;
    }

    /**
     * GRU by hand, gates r, z, n: r = σ(W_r·x + b_r + U_r·h + c_r), z = σ(W_z·x + b_z + U_z·h + c_z),
     * n = tanh(W_n·x + b_n + r·(U_n·h + c_n)), h = (1 − z)·n + z·h.
     */
    static double[] gruByHand(float[] w, float[] uw, float[] b, float[] rb, float[] x, int steps) {
        double[] h = new double[U];
        double[] out = new double[steps * U];
        for (int t = 0; t < steps; t++) {
            double[] xt = {x[t * N], x[t * N + 1]};
            double[] hn = new double[U];
            for (int j = 0; j < U; j++) {
                int ir = j;
                int iz = U + j;
                int in = 2 * U + j;
                double r = sigmoid(dot(w, ir, N, xt) + b[ir] + dot(uw, ir, U, h) + rb[ir]);
                double z = sigmoid(dot(w, iz, N, xt) + b[iz] + dot(uw, iz, U, h) + rb[iz]);
                double n = Math.tanh(dot(w, in, N, xt) + b[in] + r * (dot(uw, in, U, h) + rb[in]));
                hn[j] = (1 - z) * n + z * h[j];
            }
            h = hn;
            System.arraycopy(h, 0, out, t * U, U);
        }
        return out;
    }

    static void assertClose(double[] expected, float[] actual, double tol) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol, "at " + i);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void lstmMatchesTheGateEquationsOverTwoSteps(String engine) {
        float[] w = weights(4 * U * N, 1);
        float[] uw = weights(4 * U * U, 2);
        float[] b = weights(4 * U, 3);
        double[] expected = lstmByHand(w, uw, b, X, 2);
        try (LayerRun r = LayerRun.of(engine, new Lstm(U, true), new Shape(2, N), 1)) {
            r.set("kernel_l0", w).set("recurrent_kernel_l0", uw).set("bias_l0", b);
            assertClose(expected, r.forward(false, X), 1e-6);
            assertEquals(new Shape(1, 2, U), r.lastShape());
            // training mode too (inside a gradient collector, as fit runs it)
            assertClose(expected, r.forward(true, X), 1e-6);
        }
        try (LayerRun r = LayerRun.of(engine, new Lstm(U), new Shape(2, N), 1)) {
            r.set("kernel_l0", w).set("recurrent_kernel_l0", uw).set("bias_l0", b);
            float[] last = r.forward(false, X);
            assertClose(new double[] {expected[2], expected[3]}, last, 1e-6);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void gruMatchesTheGateEquationsOverTwoSteps(String engine) {
        float[] w = weights(3 * U * N, 1);
        float[] uw = weights(3 * U * U, 2);
        float[] b = weights(3 * U, 3);
        float[] rb = weights(3 * U, 5);
        double[] expected = gruByHand(w, uw, b, rb, X, 2);
        try (LayerRun r = LayerRun.of(engine, new Gru(U, true), new Shape(2, N), 1)) {
            r.set("kernel_l0", w).set("recurrent_kernel_l0", uw).set("bias_l0", b)
                    .set("recurrent_bias_l0", rb);
            assertClose(expected, r.forward(false, X), 1e-6);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void simpleRnnIsTanhOfTheSum(String engine) {
        float[] w = weights(U * N, 1);
        float[] uw = weights(U * U, 2);
        float[] b = weights(U, 3);
        double[] h = new double[U];
        for (int t = 0; t < 2; t++) {
            double[] xt = {X[t * N], X[t * N + 1]};
            double[] hn = new double[U];
            for (int j = 0; j < U; j++) {
                hn[j] = Math.tanh(dot(w, j, N, xt) + b[j] + dot(uw, j, U, h));
            }
            h = hn;
        }
        try (LayerRun r = LayerRun.of(engine, new SimpleRnn(U), new Shape(2, N), 1)) {
            r.set("kernel_l0", w).set("recurrent_kernel_l0", uw).set("bias_l0", b);
            assertClose(h, r.forward(false, X), 1e-6);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void bidirectionalIsForwardThenReversedPassReversedBack(String engine) {
        float[] x = {0.5f, -1f, 0.25f, 0.75f, -0.5f, 0.1f}; // three steps
        float[] xr = {-0.5f, 0.1f, 0.25f, 0.75f, 0.5f, -1f};
        float[][] fw = {weights(8 * N, 1), weights(8 * U, 2), weights(8, 3)};
        float[][] bw = {weights(8 * N, 4), weights(8 * U, 5), weights(8, 6)};
        Shape in = new Shape(3, N);
        float[] both;
        float[] fwd;
        float[] bwd;
        try (LayerRun r = LayerRun.of(engine, new Lstm(U, true).bidirectional(), in, 1)) {
            r.set("kernel_l0", fw[0]).set("recurrent_kernel_l0", fw[1]).set("bias_l0", fw[2]);
            r.set("kernel_l0_reverse", bw[0]).set("recurrent_kernel_l0_reverse", bw[1])
                    .set("bias_l0_reverse", bw[2]);
            both = r.forward(false, x);
            assertEquals(new Shape(1, 3, 2 * U), r.lastShape());
        }
        try (LayerRun r = LayerRun.of(engine, new Lstm(U, true), in, 1)) {
            r.set("kernel_l0", fw[0]).set("recurrent_kernel_l0", fw[1]).set("bias_l0", fw[2]);
            fwd = r.forward(false, x);
            r.set("kernel_l0", bw[0]).set("recurrent_kernel_l0", bw[1]).set("bias_l0", bw[2]);
            bwd = r.forward(false, xr);
        }
        for (int t = 0; t < 3; t++) {
            for (int j = 0; j < U; j++) {
                assertEquals(fwd[t * U + j], both[t * 2 * U + j], 1e-6);
                assertEquals(bwd[(2 - t) * U + j], both[t * 2 * U + U + j], 1e-6);
            }
        }
        // the last-step output: the forward pass's last step, the backward pass's last step
        try (LayerRun r = LayerRun.of(engine, new Bidirectional(new Lstm(U)), in, 1)) {
            r.set("kernel_l0", fw[0]).set("recurrent_kernel_l0", fw[1]).set("bias_l0", fw[2]);
            r.set("kernel_l0_reverse", bw[0]).set("recurrent_kernel_l0_reverse", bw[1])
                    .set("bias_l0_reverse", bw[2]);
            float[] last = r.forward(false, x);
            assertArrayEquals(new float[] {fwd[4], fwd[5], bwd[4], bwd[5]}, last, 1e-6f);
        }
    }

    /**
     * An independent check of the gate order and the GRU's reset: DJL's own one-layer,
     * one-direction blocks (the engines' native RNN kernels), given the same weights, give the
     * same sequence; Lamina's one bias goes to DJL's input bias, the GRU's recurrent bias to DJL's
     * hidden bias.
     */
    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void matchesTheEnginesOwnKernels(String engine) {
        float[] x = weights(2 * 4 * N, 6); // batch 2, four steps
        for (String type : List.of("simple_rnn", "lstm", "gru")) {
            int g = type.equals("lstm") ? 4 : type.equals("gru") ? 3 : 1;
            float[] w = weights(g * U * N, 1);
            float[] uw = weights(g * U * U, 2);
            float[] b = weights(g * U, 3);
            float[] rb = type.equals("gru") ? weights(g * U, 4) : new float[g * U];
            LayerSpec spec = LayerTypes.catalog().parse(ConfigNode.of(Map.of(type,
                    Map.of("units", U, "return_sequences", true))));
            float[] ours;
            try (LayerRun r = LayerRun.of(engine, spec, new Shape(4, N), 2)) {
                r.set("kernel_l0", w).set("recurrent_kernel_l0", uw).set("bias_l0", b);
                if (type.equals("gru")) {
                    r.set("recurrent_bias_l0", rb);
                }
                ours = r.forward(false, x);
            }
            ai.djl.nn.Block djl = switch (type) {
                case "lstm" -> ai.djl.nn.recurrent.LSTM.builder().setStateSize(U).setNumLayers(1)
                        .optBatchFirst(true).build();
                case "gru" -> ai.djl.nn.recurrent.GRU.builder().setStateSize(U).setNumLayers(1)
                        .optBatchFirst(true).build();
                default -> ai.djl.nn.recurrent.RNN.builder().setStateSize(U).setNumLayers(1)
                        .setActivation(ai.djl.nn.recurrent.RNN.Activation.TANH)
                        .optBatchFirst(true).build();
            };
            try (ai.djl.ndarray.NDManager m = dev.lamina.testing.TestEngines.manager(engine)) {
                djl.initialize(m, DataType.FLOAT32, new Shape(2, 4, N));
                djl.getParameters().get("l_0_i2h_WEIGHT").getArray().set(w);
                djl.getParameters().get("l_0_h2h_WEIGHT").getArray().set(uw);
                djl.getParameters().get("l_0_i2h_BIAS").getArray().set(b);
                djl.getParameters().get("l_0_h2h_BIAS").getArray().set(rb);
                // the kernel in training mode, inside a collector (no dropout: the same numbers
                // as inference): PyTorch's inference kernel is wrong on some CPUs, which the
                // kernel check finds and Lamina's layer avoids
                float[] theirs;
                try (ai.djl.training.GradientCollector gc = m.getEngine()
                        .newGradientCollector()) {
                    theirs = djl.forward(new ai.djl.training.ParameterStore(m, false),
                            new ai.djl.ndarray.NDList(m.create(x, new Shape(2, 4, N))), true)
                            .get(0).toFloatArray();
                }
                assertArrayEquals(theirs, ours, 1e-5f, type + " on " + engine);
            }
        }
    }

    static RecurrentLayer.Settings with(int units, String activation, boolean sequences) {
        return new RecurrentLayer.Builder(units).activation(new Activation(activation))
                .returnSequences(sequences).build();
    }

    /** Forward and backward of sum(y·r) inside a collector: output, then the input's gradient. */
    static double[][] forwardBackward(String engine, Block block, Shape in, DataType dtype) {
        java.util.Random rnd = new java.util.Random(9);
        try (NDManager m = TestEngines.manager(engine)) {
            block.initialize(m, dtype, in);
            double[] xs = new double[(int) in.size()];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = rnd.nextGaussian();
            }
            NDArray x = m.create(xs, in).toType(dtype, false);
            x.setRequiresGradient(true);
            double[] out;
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray y = block.forward(new ParameterStore(m, false), new NDList(x), true)
                        .singletonOrThrow();
                double[] r = new double[(int) y.size()];
                for (int i = 0; i < r.length; i++) {
                    r[i] = rnd.nextGaussian();
                }
                gc.backward(y.mul(m.create(r, y.getShape()).toType(dtype, false)).sum());
                out = y.toType(DataType.FLOAT64, false).toDoubleArray();
            }
            double[] g = x.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
            java.util.List<Double> pg = new java.util.ArrayList<>();
            for (var p : block.getParameters()) {
                for (double v : p.getValue().getArray().getGradient().toType(DataType.FLOAT64, false)
                        .toDoubleArray()) {
                    pg.add(v);
                }
            }
            return new double[][] {out, g, pg.stream().mapToDouble(Double::doubleValue).toArray()};
        }
    }

    /** The output of a forward pass outside any gradient collector (as predict runs it). */
    static double[] predictOutput(String engine, Block block, Shape in) {
        java.util.Random rnd = new java.util.Random(9);
        try (NDManager m = TestEngines.manager(engine)) {
            block.initialize(m, DataType.FLOAT32, in);
            double[] xs = new double[(int) in.size()];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = rnd.nextGaussian();
            }
            NDArray x = m.create(xs, in).toType(DataType.FLOAT32, false);
            NDArray y = block.forward(new ParameterStore(m, false), new NDList(x), false)
                    .singletonOrThrow();
            return y.toType(DataType.FLOAT64, false).toDoubleArray();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void predictingOnTheEnginesKernelGivesTheLoopsNumbers(String engine) {
        // where the kernel check found the inference kernel wrong (PyTorch on some CPUs), the
        // kernel path predicts in training mode with gradients recorded: still the loop's numbers
        Shape sample = new Shape(6, 5);
        Shape in = new Shape(4, 6, 5);
        for (RecurrentLayer spec : List.of(new Lstm(7, true), new Lstm(7), new Gru(7, true),
                new SimpleRnn(7), new Lstm(7, true).bidirectional())) {
            double[] kernel = predictOutput(engine, spec.toBlock(BuildContext.seeded(1), sample), in);
            double[] loop = predictOutput(engine,
                    ((RnnBlock) spec.toBlock(BuildContext.seeded(1), sample)).loopOnly(), in);
            assertArrayEquals(loop, kernel, 1e-5, spec.toString());
        }
        if (engine.equals("PyTorch")) {
            assertEquals(false, ai.djl.pytorch.jni.JniUtils.isGradMode(),
                    "the gradient mode is restored after a prediction");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void theEnginesKernelAndTheLoopOfBasicOpsAgree(String engine) {
        Shape sample = new Shape(5, 3);
        Shape in = new Shape(2, 5, 3);
        for (RecurrentLayer spec : List.of(new SimpleRnn(4, true), new Lstm(4),
                new Lstm(3, true).withLayers(2, 0).bidirectional(), new Gru(4, true).bidirectional())) {
            for (DataType dtype : List.of(DataType.FLOAT32, DataType.FLOAT64)) {
                double[][] kernel = forwardBackward(engine,
                        spec.toBlock(BuildContext.seeded(1), sample), in, dtype);
                double[][] loop = forwardBackward(engine,
                        ((RnnBlock) spec.toBlock(BuildContext.seeded(1), sample)).loopOnly(), in,
                        dtype);
                double tol = dtype == DataType.FLOAT64 ? 1e-12 : 1e-5;
                for (int k = 0; k < 3; k++) {
                    assertArrayEquals(kernel[k], loop[k], tol, spec + " " + dtype + " part " + k);
                }
            }
        }
    }

    static Stream<LayerSpec> parityCases() {
        return Stream.of(new SimpleRnn(with(3, "relu", true)), new Lstm(with(3, "sigmoid", false)),
                new Gru(with(3, "elu", true)).bidirectional(),
                new SimpleRnn(3), new SimpleRnn(3, true), new Lstm(3), new Lstm(3, true),
                new Gru(3), new Gru(3, true), new Lstm(3, true).bidirectional(),
                new Bidirectional(new Gru(3)), new Lstm(3, true).withLayers(2, 0),
                new Gru(3).withLayers(2, 0).bidirectional(), new SimpleRnn(2).withLayers(3, 0),
                // Keras's options
                new Lstm(3, true).with(s -> s.goBackwards(true)), new Gru(3).withResetAfter(false),
                new SimpleRnn(3).with(s -> s.useBias(false)),
                new Bidirectional(new Lstm(3, true), Bidirectional.MergeMode.AVE),
                new Bidirectional(new Gru(3), Bidirectional.MergeMode.CONCAT,
                        new Gru(2).with(s -> s.goBackwards(true))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parityCases")
    void sameNumbersOnBothEngines(LayerSpec spec) {
        EngineParity.with().tolerance(1e-5, 1e-4).check(spec, new Shape(4, 3)).assertOk();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parityCases")
    void sameNumbersOnBothEnginesInTraining(LayerSpec spec) {
        EngineParity.with().training(true).tolerance(1e-5, 1e-4).check(spec, new Shape(4, 3))
                .assertOk();
    }

    static Stream<LayerSpec> gradientCases() {
        return Stream.of(new SimpleRnn(2, true), new Lstm(2, true), new Gru(2),
                new SimpleRnn(with(2, "sigmoid", true)), new Lstm(with(2, "sigmoid", true)),
                new Gru(with(2, "sigmoid", false)).bidirectional(),
                new Lstm(2).withLayers(2, 0).bidirectional());
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
    void parameterCountsFollowKeras() {
        // n = 3 inputs, u = 4 units, per direction
        assertEquals(3 * 4 + 4 * 4 + 4, count(new SimpleRnn(4)));
        assertEquals(4 * (3 * 4 + 4 * 4 + 4), count(new Lstm(4)));
        assertEquals(3 * (3 * 4 + 4 * 4 + 2 * 4), count(new Gru(4)));
        assertEquals(2 * 4 * (3 * 4 + 4 * 4 + 4), count(new Bidirectional(new Lstm(4))));
        // the second stacked layer reads 2·u features from a bidirectional first layer
        assertEquals(2 * 4 * (3 * 4 + 4 * 4 + 4) + 2 * 4 * (8 * 4 + 4 * 4 + 4),
                count(new Lstm(4).withLayers(2, 0).bidirectional()));
    }

    static long count(LayerSpec spec) {
        try (LayerRun r = LayerRun.of("PyTorch", spec, new Shape(5, 3), 1)) {
            return Summary.count(r.block(), p -> true);
        }
    }

    @Test
    void outputShapes() {
        Shape in = new Shape(7, 3);
        assertEquals(new Shape(4), new Lstm(4).outputShape(in));
        assertEquals(new Shape(7, 4), new Gru(4, true).outputShape(in));
        assertEquals(new Shape(8), new Bidirectional(new SimpleRnn(4)).outputShape(in));
        assertEquals(new Shape(7, 8), new Lstm(4, true).bidirectional().outputShape(in));
        assertThrows(dev.lamina.spec.ShapeException.class, () -> new Lstm(4).outputShape(new Shape(3)));
    }

    @Test
    void configRoundTripsThroughTheCatalog() {
        for (LayerSpec spec : List.of(new SimpleRnn(3), new Lstm(4, true).withLayers(2, 0.25),
                new Gru(2).bidirectional(), new Bidirectional(new Lstm(5, true)))) {
            assertEquals(spec, LayerTypes.catalog().parse(ConfigNode.of(spec.toMap())));
        }
        LayerSpec parsed = LayerTypes.catalog().parse(ConfigNode.of(Map.of("bidirectional",
                Map.of("layer", Map.of("lstm", Map.of("units", 8, "return_sequences", true))))));
        assertEquals(new Shape(5, 16), parsed.outputShape(new Shape(5, 3)));
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void dropoutActsBetweenStackedLayersInTrainingOnly(String engine) {
        float[] x = weights(2 * 5 * 3, 2);
        try (LayerRun drop = LayerRun.of(engine, new Lstm(4, true).withLayers(2, 0.5),
                new Shape(5, 3), 2);
                LayerRun none = LayerRun.of(engine, new Lstm(4, true).withLayers(2, 0),
                        new Shape(5, 3), 2)) {
            float[] inference = drop.forward(false, x);
            assertArrayEquals(none.forward(false, x), inference, 1e-6f); // same seed, same weights
            assertArrayEquals(none.forward(true, x), inference, 1e-6f);
            float[] training = drop.forward(true, x);
            boolean differs = false;
            for (int i = 0; i < training.length; i++) {
                differs |= Math.abs(training[i] - inference[i]) > 1e-4;
            }
            assertTrue(differs, "dropout 0.5 changes the training output");
        }
    }

    @Test
    void yamlAsKerasUsersWriteIt() {
        LayerSpec spec = LayerTypes.parse(dev.lamina.spec.Yaml.read(String.join("\n",
                "bidirectional:",
                "  layer:",
                "    lstm: {units: 8, return_sequences: true, layers: 2, inter_layer_dropout: 0.2,",
                "           dropout: 0.1, recurrent_dropout: 0.3}"), "m.yaml"));
        assertEquals(new Bidirectional(new Lstm(8, true).withLayers(2, 0.2)
                .with(s -> s.dropout(0.1).recurrentDropout(0.3))), spec);
        ConfigException e = assertThrows(ConfigException.class, () -> LayerTypes.parse(
                dev.lamina.spec.Yaml.read("gru:\n  units: 4\n  return_sequence: true\n", "m.yaml")));
        assertTrue(e.getMessage().contains("m.yaml") && e.getMessage().contains("return_sequences"),
                e.getMessage());
    }

    @Test
    void badSettingsNameTheSetting() {
        SpecException e = assertThrows(SpecException.class, () -> new Lstm(0));
        assertTrue(e.getMessage().contains("units") && e.getMessage().contains("units=0"),
                e.getMessage());
        e = assertThrows(SpecException.class, () -> new Gru(3).withLayers(0, 0));
        assertTrue(e.getMessage().contains("layers=0"), e.getMessage());
        e = assertThrows(SpecException.class, () -> new Gru(3).withLayers(2, 1.5));
        assertTrue(e.getMessage().contains("inter_layer_dropout=1.5"), e.getMessage());
        e = assertThrows(SpecException.class, () -> new Bidirectional(new Dense(3)));
        assertTrue(e.getMessage().contains("layer=dense"), e.getMessage());
        ConfigException c = assertThrows(ConfigException.class, () -> LayerTypes.catalog().parse(
                ConfigNode.of(Map.of("lstm", Map.of("units", 4, "layers", -1)))));
        assertTrue(c.getMessage().contains("layers=-1"), c.getMessage());
    }

    @Test
    void float64RunsOnBothEngines() {
        for (String engine : EngineParity.ENGINES) {
            EngineParity.Run run = EngineParity.with().dtype(DataType.FLOAT64)
                    .run(engine, new Lstm(2, true), new Shape(3, 2));
            assertEquals(new Shape(2, 3, 2), run.outputShape());
        }
    }
}
