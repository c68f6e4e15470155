package dev.lamina;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.lamina.data.Dataset;
import dev.lamina.data.Tensor;
import dev.lamina.engine.Gradients;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Dropout;
import dev.lamina.layers.Merge;
import dev.lamina.losses.Losses;
import dev.lamina.metrics.Metrics;
import dev.lamina.optimizers.DirectUpdates;
import dev.lamina.optimizers.OptimizerSpec;
import dev.lamina.optimizers.Optimizers;
import dev.lamina.spec.Input;
import dev.lamina.spec.Layer;
import dev.lamina.spec.Node;
import dev.lamina.testing.SystemProperties;
import dev.lamina.testing.TestEngines;
import dev.lamina.train.FitOptions;
import dev.lamina.train.History;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No training step clears its gradients. On PyTorch it gives its forward pass fresh leaves of the
 * weights, so the backward pass stores each gradient without adding it to a cleared one ({@link
 * DirectUpdates}); on MXNet, which writes gradients afresh, an update resets MXNet's mark of a
 * fresh gradient instead of clearing it ({@link Gradients}). That must change no number: with a
 * layer used twice (two gradients added into one), a frozen layer, two outputs with loss weights,
 * dropout, global clipping and momentum, a fit gives the same history and the same weights, to
 * the last bit, as with gradients stored and cleared after every update.
 */
class FreshGradientsTest {
    static Stream<Arguments> cases() {
        return TestEngines.names().flatMap(engine -> Stream.of(
                Optimizers.sgd(0.05, 0.9, true).withGlobalClipnorm(0.5), Optimizers.adam(0.01),
                Optimizers.rmsprop(0.01).withWeightDecay(0.01).withClipvalue(0.1))
                .map(o -> Arguments.of(engine, o)));
    }

    /** The switch that turns the engine's way off: fresh leaves on PyTorch, marks on MXNet. */
    private static String property(String engine) {
        return engine.equals("PyTorch") ? DirectUpdates.FRESH_PROPERTY : Gradients.MARKS_PROPERTY;
    }

    private record Outcome(List<Map<String, Double>> history, Map<String, float[]> weights) {}

    private static Dataset data() {
        Random r = new Random(5);
        int n = 96;
        float[] x = new float[n * 6];
        float[] cls = new float[n];
        float[] val = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 6; j++) {
                x[i * 6 + j] = (float) r.nextGaussian();
            }
            cls[i] = x[i * 6] > 0 ? (x[i * 6 + 1] > 0 ? 2 : 1) : 0;
            val[i] = x[i * 6 + 2] - x[i * 6 + 3];
        }
        return new Dataset("xy", List.of(new Tensor(x, new Shape(6))),
                List.of(Tensor.scalars(cls), new Tensor(val, new Shape(1))));
    }

    /**
     * Two outputs from one input; layer {@code shared} is applied to two branches, so its
     * gradient is the sum of two; {@code b} is frozen by the caller.
     */
    private static Functional model(String engine, OptimizerSpec optimizer) {
        Node x = Input.of("x", 6);
        Node a = Layer.of("a", new Dense(8, "tanh")).on(x);
        Node b = Layer.of("b", new Dense(8, "relu")).on(x);
        Layer shared = Layer.of("shared", new Dense(8));
        Node sum = Layer.of("sum", Merge.add()).on(shared.on(a), shared.on(b));
        Node dropped = Layer.of("drop", new Dropout(0.25)).on(sum);
        Node classes = Layer.of("classes", new Dense(3)).on(dropped);
        Node value = Layer.of("value", new Dense(1)).on(a);
        Functional m = new Functional("fresh", List.of(x), List.of(classes, value));
        m.engine(engine).seed(11);
        m.compile(optimizer, List.of(Losses.softmaxCrossEntropy(), Losses.meanSquaredError()),
                List.of(1.0, 0.5), Metrics.accuracy());
        return m;
    }

    private static Outcome train(String engine, OptimizerSpec optimizer, boolean fresh) {
        return SystemProperties.with(property(engine), Boolean.toString(fresh), () -> {
            try (Functional m = model(engine, optimizer)) {
                m.setTrainable("b", false);
                History h = m.fit(data(), FitOptions.defaults().epochs(3).batchSize(16));
                List<Map<String, Double>> epochs = new ArrayList<>();
                for (int i = 0; i < h.epochs(); i++) {
                    epochs.add(h.epoch(i));
                }
                return new Outcome(epochs, weights(m));
            }
        });
    }

    /** Each weight's values, by its path in the model. */
    private static Map<String, float[]> weights(Model m) {
        Map<String, float[]> weights = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : m.block().getParameters()) {
            weights.put(p.getKey(), p.getValue().getArray().toFloatArray());
        }
        return weights;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void unclearedGradientsTrainToTheSameBits(String engine, OptimizerSpec optimizer) {
        Outcome stored = train(engine, optimizer, false);
        Outcome fresh = train(engine, optimizer, true);
        assertEquals(stored.history(), fresh.history());
        assertEquals(stored.weights().keySet(), fresh.weights().keySet());
        stored.weights().forEach((name, w) -> assertArrayEquals(w, fresh.weights().get(name), name));
        // the run trained (the shared layer moved from its start) and the frozen layer did not
        Outcome untrained = trainNothing(engine, optimizer);
        stored.weights().forEach((name, w) -> {
            if (name.matches("\\d+b_.*")) {
                assertArrayEquals(untrained.weights().get(name), w, name + " is frozen");
            } else {
                assertNotEquals(java.util.Arrays.toString(untrained.weights().get(name)),
                        java.util.Arrays.toString(w), name + " trained");
            }
        });
    }

    /** The same model's weights as built, before any update. */
    private static Outcome trainNothing(String engine, OptimizerSpec optimizer) {
        try (Functional m = model(engine, optimizer)) {
            m.build();
            return new Outcome(List.of(), weights(m));
        }
    }
}
