package dev.lamina;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.lamina.layers.Dense;
import dev.lamina.losses.Losses;
import dev.lamina.metrics.Metrics;
import dev.lamina.optimizers.Optimizers;
import dev.lamina.spec.Input;
import dev.lamina.spec.Layer;
import dev.lamina.spec.Node;
import dev.lamina.train.FitOptions;
import dev.lamina.train.History;
import dev.lamina.train.NonFiniteLossException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** fit stops at the first batch whose loss is not finite, before that batch changes a weight. */
class NonFiniteLossTest {
    static Sequential model(String engine, double rate) {
        Sequential m = new Sequential("blow").input(4);
        m.add(new Dense(16, "relu")).add(new Dense(3));
        m.engine(engine).seed(3);
        m.compile(Optimizers.sgd(rate), Losses.softmaxCrossEntropy(), Metrics.accuracy());
        return m;
    }

    static List<float[]> weights(Model m) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : m.block().getParameters()) {
            NDArray a = p.getValue().getArray();
            out.add(a.toFloatArray());
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void aHugeLearningRateThrowsNamingEpochBatchAndRate(String engine) {
        try (Sequential m = model(engine, 1e30)) {
            NonFiniteLossException e = assertThrows(NonFiniteLossException.class,
                    () -> m.fit(SequentialTest.blobs(320, 1),
                            FitOptions.defaults().epochs(3).batchSize(32).shuffle(false)));
            assertEquals(1, e.epoch());
            assertTrue(e.batch() >= 2, "the first batch's loss is finite: " + e.batch());
            assertEquals(1e30, e.learningRate());
            assertEquals(0, e.history().epochs());
            assertTrue(e.getMessage().startsWith("training stopped: the loss is "
                    + (Double.isNaN(e.loss()) ? "NaN" : "infinite") + " at epoch 1, batch "
                    + e.batch() + " (learning rate 1.0E30); "), e.getMessage());
            assertTrue(e.getMessage().endsWith("fit: {terminate_on_nan: false} trains on"
                    + " regardless"), e.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void theBadBatchChangesNoWeight(String engine) {
        // stop at the bad batch: the weights are those that produced it, not the update after it
        try (Sequential m = model(engine, 1e30)) {
            NonFiniteLossException e = assertThrows(NonFiniteLossException.class,
                    () -> m.fit(SequentialTest.blobs(320, 1),
                            FitOptions.defaults().epochs(1).batchSize(32).shuffle(false)));
            List<float[]> after = weights(m);
            try (Sequential again = model(engine, 1e30)) {
                // the same run, stopped one batch earlier by a short data set, has the same weights
                again.fit(SequentialTest.blobs(320, 1).limit(32 * (e.batch() - 1)),
                        FitOptions.defaults().epochs(1).batchSize(32).shuffle(false)
                                .terminateOnNan(false));
                List<float[]> want = weights(again);
                for (int i = 0; i < want.size(); i++) {
                    assertEquals(java.util.Arrays.toString(want.get(i)),
                            java.util.Arrays.toString(after.get(i)));
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void aGraphNamesTheFirstNodeThatWentNonFinite(String engine) {
        Node x = Input.of("x", 4);
        Node hidden = Layer.of("hidden", new Dense(16, "relu")).on(x);
        Node out = Layer.of("out", new Dense(3)).on(hidden);
        try (Functional m = new Functional("blow-graph", List.of(x), List.of(out))) {
            m.engine(engine).seed(3);
            m.compile(Optimizers.sgd(1e30), Losses.softmaxCrossEntropy(), Metrics.accuracy());
            NonFiniteLossException e = assertThrows(NonFiniteLossException.class,
                    () -> m.fit(SequentialTest.blobs(320, 1),
                            FitOptions.defaults().epochs(1).batchSize(32).shuffle(false)));
            assertTrue(e.layer().startsWith("node '") || e.layer().startsWith("every node"),
                    e.getMessage());
            assertTrue(e.getMessage().contains(e.layer()), e.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void terminateOnNanFalseTrainsOn(String engine) {
        try (Sequential m = model(engine, 1e30)) {
            History h = m.fit(SequentialTest.blobs(320, 1),
                    FitOptions.defaults().epochs(2).terminateOnNan(false));
            assertEquals(2, h.epochs());
            assertTrue(!Double.isFinite(h.last("loss")), "loss " + h.get("loss"));
        }
    }
}
