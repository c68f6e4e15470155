package dev.lamina;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import dev.lamina.data.Dataset;
import dev.lamina.data.Tensor;
import dev.lamina.engine.Backend;
import dev.lamina.layers.Bidirectional;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Embedding;
import dev.lamina.layers.Gru;
import dev.lamina.layers.Lstm;
import dev.lamina.layers.TimeDistributed;
import dev.lamina.losses.Losses;
import dev.lamina.metrics.Metrics;
import dev.lamina.optimizers.Optimizers;
import dev.lamina.train.FitOptions;
import dev.lamina.train.History;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Recurrent layers inside models: fit on both engines (training forwards), summary counts. */
class RecurrentModelTest {
    /** Sequences of 6 steps × 2 features; the class is the sign of the first step's first feature. */
    static Dataset firstStepSign(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * 12];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 12; k++) {
                x[i * 12 + k] = (float) r.nextGaussian();
            }
            y[i] = x[i * 12] > 0 ? 1 : 0;
        }
        return new Dataset("sign", new Tensor(x, new Shape(6, 2)), Tensor.scalars(y));
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void aStackedBidirectionalLstmLearnsToRemember(String engine) {
        try (Sequential m = new Sequential("rnn").input(6, 2)) {
            m.add(new Bidirectional(new Lstm(8).withLayers(2, 0.1))).add(new Dense(2));
            m.engine(engine).seed(5);
            m.compile(Optimizers.adam(0.01), Losses.softmaxCrossEntropy(), Metrics.accuracy());
            History h = m.fit(firstStepSign(320, 1), FitOptions.defaults().epochs(6).batchSize(64));
            assertTrue(h.last("loss") < h.get("loss").get(0), "loss falls: " + h.get("loss"));
            assertTrue(m.evaluate(firstStepSign(200, 2)).get("accuracy") > 0.8);
        }
    }

    @Test
    void summaryCountsTheRecurrentWeights() {
        try (Sequential m = new Sequential("text").input(5)) {
            m.add(new Embedding(10, 4)).add(new Gru(8)).add(new Dense(2));
            // 10·4 + 3·(4·8 + 8·8 + 2·8) + 8·2 + 2
            assertEquals(40 + 336 + 18, m.countParameters());
            String s = m.summary();
            assertTrue(s.contains("(None, 5, 4)") && s.contains("(None, 8)"), s);
            assertTrue(s.contains("Total params: 394"), s);
        }
    }

    @Test
    void savedOnOneEngineLoadsOnTheOther(@TempDir Path tmp) throws Exception {
        float[] ids = {1, 4, 2, 0, 3, 3, 9, 8, 7, 6, 5, 0};
        Tensor x = new Tensor(ids, new Shape(6));
        float[] before;
        try (Sequential m = new Sequential("tagger").input(6)) {
            m.add(new Embedding(10, 3)).add(new Bidirectional(new Gru(4, true)))
                    .add(new TimeDistributed(new Dense(2)));
            m.engine("pytorch").seed(3);
            m.compile(Optimizers.adam(0.01), Losses.softmaxCrossEntropy());
            before = m.predict(x).data();
            assertEquals(2 * 6 * 2, before.length);
            m.save(tmp.resolve("m"));
        }
        try (Model back = Model.load(tmp.resolve("m"), Backend.of("mxnet", "cpu"))) {
            assertArrayEquals(before, back.predict(x).data(), 1e-5f);
        }
    }
}
