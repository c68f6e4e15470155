package dev.lamina;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import dev.lamina.data.Dataset;
import dev.lamina.data.Tensor;
import dev.lamina.layers.Bidirectional;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Embedding;
import dev.lamina.layers.Flatten;
import dev.lamina.layers.GlobalAvgPool;
import dev.lamina.layers.Gru;
import dev.lamina.layers.Lstm;
import dev.lamina.layers.Masking;
import dev.lamina.layers.MultiHeadAttention;
import dev.lamina.layers.SimpleRnn;
import dev.lamina.layers.TimeDistributed;
import dev.lamina.losses.Losses;
import dev.lamina.optimizers.Optimizers;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.Input;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.Node;
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.Yaml;
import dev.lamina.train.FitOptions;
import dev.lamina.train.History;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Masks over time steps flowing through whole models, as Keras's: padding (id 0 with
 * {@code mask_zero}, or steps equal to {@code mask_value}) changes nothing a masked model
 * computes, wherever the padding is; recurrent states pass between layers of a functional model.
 */
class MaskingTest {
    /** Predictions of a model of input length {@code length}, seed 7, for the rows {@code x}. */
    static float[] predict(String engine, Shape input, Function<Sequential, Sequential> layers,
            float[] x) {
        try (Sequential m = layers.apply(new Sequential("m").input(input))) {
            m.engine(engine).seed(7);
            return m.predict(new Tensor(x, input)).data();
        }
    }

    static void assertClose(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-5, "at " + i);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void paddedIdsGiveWhatTheUnpaddedSequenceGives(String engine) {
        for (LayerSpec rnn : List.<LayerSpec>of(new Lstm(4), new Gru(3), new SimpleRnn(5),
                new Bidirectional(new Lstm(2)), new Lstm(3).with(s -> s.goBackwards(true)))) {
            Function<Sequential, Sequential> net = m -> m.add(new Embedding(10, 3)
                    .withMaskZero(true)).add(rnn).add(new Dense(2));
            float[] plain = predict(engine, new Shape(2), net, new float[] {3, 5, 7, 1});
            float[] post = predict(engine, new Shape(5), net,
                    new float[] {3, 5, 0, 0, 0, 7, 1, 0, 0, 0});
            float[] pre = predict(engine, new Shape(5), net,
                    new float[] {0, 0, 0, 3, 5, 0, 7, 1, 0, 0});
            assertClose(plain, post);
            assertClose(plain, pre);
            // without the mask the padding counts
            float[] unmasked = predict(engine, new Shape(5), m -> m.add(new Embedding(10, 3))
                    .add(rnn).add(new Dense(2)), new float[] {3, 5, 0, 0, 0, 7, 1, 0, 0, 0});
            assertNotEquals(plain[0], unmasked[0], 1e-4);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void attentionLeavesPaddedStepsOut(String engine) {
        Function<Sequential, Sequential> net = m -> m.add(new Embedding(10, 4).withMaskZero(true))
                .add(new MultiHeadAttention(2, 3)).add(new GlobalAvgPool(true)).add(new Dense(2));
        float[] plain = predict(engine, new Shape(3), net, new float[] {3, 5, 8, 7, 1, 2});
        float[] post = predict(engine, new Shape(5), net,
                new float[] {3, 5, 8, 0, 0, 7, 1, 2, 0, 0});
        assertClose(plain, post);
        float[] unmasked = predict(engine, new Shape(5), m -> m.add(new Embedding(10, 4))
                .add(new MultiHeadAttention(2, 3)).add(new GlobalAvgPool(true)).add(new Dense(2)),
                new float[] {3, 5, 8, 0, 0, 7, 1, 2, 0, 0});
        assertNotEquals(plain[0], unmasked[0], 1e-4);
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void theMaskingLayerMasksStepsOfTheMaskValue(String engine) {
        Function<Sequential, Sequential> net = m -> m.add(new Masking(-1))
                .add(new TimeDistributed(new Dense(4, "tanh"))).add(new Gru(3, true))
                .add(new SimpleRnn(2)).add(new Dense(1));
        float[] plain = predict(engine, new Shape(2, 2), net, new float[] {0.5f, 0.2f, -0.3f, 0.9f});
        float[] padded = predict(engine, new Shape(4, 2), net,
                new float[] {-1, -1, 0.5f, 0.2f, -1, -1, -0.3f, 0.9f});
        assertClose(plain, padded);
        // a step with only one feature at the mask value is kept
        float[] half = predict(engine, new Shape(3, 2), net,
                new float[] {-1, 0, 0.5f, 0.2f, -0.3f, 0.9f});
        assertNotEquals(plain[0], half[0], 1e-4);
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void aMaskedAverageLeavesOutThePadding(String engine) {
        float[] table = predict(engine, new Shape(10), m -> m.add(new Embedding(10, 3)
                .withMaskZero(true)), new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        float[] mean = predict(engine, new Shape(4), m -> m.add(new Embedding(10, 3)
                .withMaskZero(true)).add(new GlobalAvgPool(true)), new float[] {0, 4, 0, 9});
        float[] byHand = new float[3];
        for (int j = 0; j < 3; j++) {
            byHand[j] = (table[4 * 3 + j] + table[9 * 3 + j]) / 2;
        }
        assertClose(byHand, mean);
        // a mask stops at a layer that does not take it (flatten), as Keras 3 drops it
        float[] flat = predict(engine, new Shape(4), m -> m.add(new Embedding(10, 3)
                .withMaskZero(true)).add(new Flatten()), new float[] {0, 4, 0, 9});
        assertArrayEquals(new float[] {table[0], table[1], table[2]},
                new float[] {flat[0], flat[1], flat[2]});
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void anEncoderHandsItsStatesToADecoder(String engine) {
        Node source = Input.of("source", 4, 2);
        Node target = Input.of("target", 3, 2);
        Node enc = new Lstm(5).with(s -> s.returnState(true)).on(source);
        Node dec = new Lstm(5, true).on(target, enc.output(1), enc.output(2));
        Node out = new TimeDistributed(new Dense(2)).on(dec);
        float[] src = {0.1f, 0.2f, -0.3f, 0.4f, 0.5f, -0.6f, 0.7f, 0.8f};
        float[] tgt = {0.3f, -0.1f, 0.2f, 0.2f, -0.4f, 0.1f};
        Dataset d = new Dataset("pairs", List.of(new Tensor(src, new Shape(4, 2)),
                new Tensor(tgt, new Shape(3, 2))), List.of());
        try (Functional m = new Functional("seq2seq", List.of(source, target), List.of(out))) {
            m.engine(engine).seed(3);
            assertEquals(new Shape(5), m.nodeShape("pick"));
            assertEquals(List.of(new Shape(3, 2)), m.outputShapes());
            float[] y = m.predict(d).data();
            assertEquals(6, y.length);
            // the same model with the encoder's states cut off differs: the states do arrive
            Node dec0 = new Lstm(5, true).on(target);
            try (Functional cut = new Functional("cut", List.of(target),
                    List.of(new TimeDistributed(new Dense(2)).on(dec0)))) {
                cut.engine(engine).seed(3);
                float[] y0 = cut.predict(new Dataset("t", List.of(new Tensor(tgt, new Shape(3, 2))),
                        List.of())).data();
                assertNotEquals(y[0], y0[0], 1e-5);
            }
        }
        // the encoder's h is its last output
        Node enc2 = new Lstm(5).with(s -> s.returnState(true)).on(source);
        try (Functional a = new Functional("a", List.of(source), List.of(enc2.output(0)));
                Functional b = new Functional("b", List.of(source), List.of(enc2.output(1)))) {
            a.engine(engine).seed(3);
            b.engine(engine).seed(3);
            Dataset s = new Dataset("s", List.of(new Tensor(src, new Shape(4, 2))), List.of());
            assertClose(a.predict(s).data(), b.predict(s).data());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void aMaskFlowsThroughAFunctionalGraph(String engine) {
        Function<Long, float[]> run = len -> {
            Node ids = Input.of("ids", len);
            Node e = new Embedding(10, 3).withMaskZero(true).on(ids);
            Node seq = new Lstm(4, true).on(e);
            Node out = new Dense(1).on(new Lstm(2).on(seq));
            try (Functional m = new Functional("g", List.of(ids), List.of(out))) {
                m.engine(engine).seed(11);
                float[] x = len == 2 ? new float[] {6, 2} : new float[] {6, 2, 0, 0};
                return m.predict(new Tensor(x, new Shape(len))).data();
            }
        };
        assertClose(run.apply(2L), run.apply(4L));
    }

    @org.junit.jupiter.api.Test
    void pickingAnOutputPastTheLastIsRefused() {
        Node source = Input.of("source", 4, 2);
        Node enc = new Lstm(5).with(s -> s.returnState(true)).on(source);
        ShapeException e = assertThrows(ShapeException.class, () -> new Functional("x",
                List.of(source), List.of(enc.output(3))));
        assertTrue(e.getMessage().contains("index 3 is past the 3 outputs of the layer before"
                + " (indices from 0)"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void theReadmeSequenceExamplesBuildAndTrain(String engine) throws java.io.IOException {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("../README.md"));
        int at = readme.indexOf("### Sequences: masks, states, directions");
        int from = readme.indexOf("```yaml\n", at) + 8;
        String yaml = readme.substring(from, readme.indexOf("```", from));
        ConfigNode root = Yaml.read(yaml, "README.md");
        try (Model m = ModelFormat.read(root.asMap().get("model"), "readme")) {
            m.engine(engine).seed(1);
            m.compile(Optimizers.adam(0.01), Losses.meanSquaredError());
            Dataset d = dev.lamina.data.AddingProblem.generate(60, 20, 64, 1);
            History h = m.fit(d, FitOptions.defaults().epochs(2).batchSize(32));
            assertTrue(Double.isFinite(h.last("loss")), h.toString());
            // 32 forward + 32 backward LSTM units summed, then the GRU without reset_after
            assertEquals(2L * 4 * (2 * 32 + 32 * 32 + 32) + 3 * (32 * 16 + 16 * 16 + 16) + 17,
                    m.countParameters());
        }
        // the Java snippet, as the README shows it
        int j = readme.indexOf("```java\n", at) + 8;
        String java = readme.substring(j, readme.indexOf("```", j));
        assertTrue(java.contains("new Lstm(64).with(s -> s.returnState(true)).on(source);"), java);
        Node source = Input.of("source", 20, 8);
        Node target = Input.of("target", 15, 8);
        Node encoder = new Lstm(64).with(s -> s.returnState(true)).on(source);     // output, h, c
        Node decoder = new Lstm(64, true).on(target, encoder.output(1), encoder.output(2));
        Node words = new TimeDistributed(new Dense(8)).on(decoder);
        assertTrue(java.contains("Node words = new TimeDistributed(new Dense(8)).on(decoder);"));
        try (Functional m = new Functional("seq2seq", List.of(source, target), List.of(words))) {
            assertEquals(List.of(new Shape(15, 8)), m.outputShapes());
        }
    }
}
