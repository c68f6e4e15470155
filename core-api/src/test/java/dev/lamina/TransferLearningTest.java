package dev.lamina;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.lamina.data.Dataset;
import dev.lamina.data.Tensor;
import dev.lamina.layers.Dense;
import dev.lamina.losses.Losses;
import dev.lamina.metrics.Metrics;
import dev.lamina.optimizers.Optimizers;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.LayerTypes;
import dev.lamina.train.FitOptions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Freezing by name, prefix and index; a new classifier head; fine-tuning the Keras way. */
class TransferLearningTest {
    static Dataset data(int n, int classes) {
        Random r = new Random(4);
        float[] x = new float[n * 36];
        float[] y = new float[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            y[i] = x[i * 36 + 7] > 0 ? i % classes : 0;
        }
        return new Dataset("d", new Tensor(x, new Shape(1, 6, 6)), Tensor.scalars(y));
    }

    static Sequential convNet(String engine) {
        Sequential m = new Sequential("base").input(1, 6, 6);
        m.add(layer("conv2d", Map.of("filters", 4, "kernel_size", 3)))
                .add(layer("batch_norm", Map.of()))
                .add(layer("conv2d", Map.of("filters", 4, "kernel_size", 3, "activation", "relu")))
                .add(layer("flatten", Map.of()))
                .add(new Dense(3));
        m.engine(engine).seed(11);
        m.compile(Optimizers.adam(0.01), Losses.softmaxCrossEntropy(), Metrics.accuracy());
        return m;
    }

    static dev.lamina.spec.LayerSpec layer(String type, Map<String, Object> settings) {
        return LayerTypes.parse(ConfigNode.of(Map.of(type, settings)));
    }

    /** Every weight of a layer (trainable or not), by parameter name. */
    static Map<String, float[]> weights(Model m, String layer) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : m.layerBlock(layer).getParameters()) {
            out.put(p.getKey(), p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    static void assertSame(Map<String, float[]> a, Map<String, float[]> b) {
        assertEquals(a.keySet(), b.keySet());
        a.forEach((k, v) -> assertArrayEquals(v, b.get(k), k + " changed"));
    }

    static boolean moved(Map<String, float[]> a, Map<String, float[]> b) {
        return a.keySet().stream().anyMatch(k -> !Arrays.equals(a.get(k), b.get(k)));
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void frozenLayersAndABatchNormsStatisticsStayBitForBitThroughFit(String engine) {
        try (Sequential m = convNet(engine)) {
            assertEquals(List.of("conv2d", "batch_norm", "conv2d_1", "flatten", "dense"),
                    m.layerNames());
            m.freeze(0, -1); // all but the head
            List<String> base = List.of("conv2d", "batch_norm", "conv2d_1");
            Map<String, Map<String, float[]>> before = new LinkedHashMap<>();
            base.forEach(l -> before.put(l, weights(m, l)));
            assertTrue(before.get("batch_norm").keySet().stream().anyMatch(k -> k.contains("moving")),
                    "the moving statistics are among the weights compared");
            Map<String, float[]> head = weights(m, "dense");
            m.fit(data(64, 3), FitOptions.defaults().epochs(2).batchSize(16));
            base.forEach(l -> assertSame(before.get(l), weights(m, l)));
            assertTrue(moved(head, weights(m, "dense")), "the head trains");
            // unfrozen by prefix, the convolutions train again; the batch norm stays frozen
            m.unfreeze("conv");
            assertFalse(m.isFrozen("conv2d_1"));
            assertTrue(m.isFrozen("batch_norm"));
            m.fit(data(64, 3), FitOptions.defaults().epochs(1).batchSize(16));
            assertTrue(moved(before.get("conv2d"), weights(m, "conv2d")));
            assertSame(before.get("batch_norm"), weights(m, "batch_norm"));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void aNewHeadKeepsTheBaseWeightsAndGivesNOutputs(String engine) {
        try (Sequential m = convNet(engine)) {
            m.fit(data(64, 3), FitOptions.defaults().epochs(1).batchSize(16));
            m.freeze("conv2d", "batch_norm");
            try (Sequential five = m.withHead(5)) {
                assertEquals(List.of(new Shape(5)), five.outputShapes());
                assertEquals(m.layerNames(), five.layerNames());
                for (String l : List.of("conv2d", "batch_norm", "conv2d_1")) {
                    assertSame(weights(m, l), weights(five, l));
                }
                assertTrue(five.isFrozen("conv2d") && five.isFrozen("batch_norm"));
                assertFalse(five.isFrozen("conv2d_1"));
                assertEquals(5 * 16 + 5, weights(five, "dense").values().stream()
                        .mapToInt(a -> a.length).sum(), "a dense of 5 on 4x2x2 features");
                // the frozen base stays the trained one's while the new head learns 5 classes
                five.fit(data(64, 5), FitOptions.defaults().epochs(1).batchSize(16));
                assertSame(weights(m, "conv2d"), weights(five, "conv2d"));
                assertSame(weights(m, "batch_norm"), weights(five, "batch_norm"));
                assertTrue(moved(weights(m, "conv2d_1"), weights(five, "conv2d_1")));
                assertEquals(5, five.predict(data(4, 5)).sampleSize());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void aGraphFreezesByNodeName(String engine) {
        dev.lamina.spec.Node in = dev.lamina.spec.Input.of("image", 1, 6, 6);
        dev.lamina.spec.Node flat = dev.lamina.spec.Layer.of("flat", layer("flatten", Map.of())).on(in);
        dev.lamina.spec.Node hidden = dev.lamina.spec.Layer.of("hidden", new Dense(8, "relu")).on(flat);
        dev.lamina.spec.Node out = dev.lamina.spec.Layer.of("logits", new Dense(3)).on(hidden);
        try (Functional m = new Functional("g", List.of(in), List.of(out))) {
            m.engine(engine).seed(2);
            m.compile(Optimizers.adam(0.01), Losses.softmaxCrossEntropy());
            assertEquals(List.of("flat", "hidden", "logits"), m.layerNames());
            m.freeze("hid");
            Map<String, float[]> hiddenBefore = weights(m, "hidden");
            Map<String, float[]> logitsBefore = weights(m, "logits");
            m.fit(data(32, 3), FitOptions.defaults().epochs(1).batchSize(8));
            assertSame(hiddenBefore, weights(m, "hidden"));
            assertTrue(moved(logitsBefore, weights(m, "logits")));
        }
    }

    @Test
    void theKerasFineTuningFlowTrainsTheHeadThenEverythingAtALowerRate() {
        try (Sequential m = convNet("PyTorch")) {
            m.setTrainable(false).setTrainable("dense", true);
            Map<String, float[]> conv = weights(m, "conv2d");
            m.fit(data(64, 3), FitOptions.defaults().epochs(1).batchSize(16));
            assertSame(conv, weights(m, "conv2d"));
            m.setTrainable(true);
            m.compile(Optimizers.adam(1e-4), Losses.softmaxCrossEntropy(), Metrics.accuracy());
            m.fit(data(64, 3), FitOptions.defaults().epochs(1).batchSize(16));
            assertTrue(moved(conv, weights(m, "conv2d")));
        }
    }

    @Test
    void anUnknownLayerIsNamedWithTheClosestAndTheList() {
        try (Sequential m = convNet("PyTorch")) {
            String msg = assertThrows(IllegalArgumentException.class, () -> m.freeze("batchnorm"))
                    .getMessage();
            assertTrue(msg.contains("no layer named 'batchnorm'")
                    && msg.contains("Did you mean 'batch_norm'?")
                    && msg.contains("[conv2d, batch_norm, conv2d_1, flatten, dense]"), msg);
            String range = assertThrows(IllegalArgumentException.class, () -> m.freeze(2, 9))
                    .getMessage();
            assertTrue(range.contains("which has 5 layers"), range);
            assertFalse(m.isFrozen("conv2d"), "nothing frozen by a failed call");
            String noDense = assertThrows(IllegalArgumentException.class,
                    () -> new Sequential("x").input(4).add(layer("flatten", Map.of())).withHead(2))
                    .getMessage();
            assertTrue(noDense.contains("no dense layer to replace"), noDense);
        }
    }
}
