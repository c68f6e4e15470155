package dev.lamina.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lamina.spec.ConfigException;
import dev.lamina.spec.ConfigNode;
import dev.lamina.testing.TestEngines;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Keras 3's loss reduction: sum_over_batch_size (the mean, default), sum, none (per sample). */
class LossReductionTest {
    private static final double TOL = 1e-6;

    private static NDArray arr(NDManager m, float[] v, long... shape) {
        return m.create(v, new Shape(shape));
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void meanSquaredErrorEachReduction(String engine) {
        try (NDManager m = TestEngines.manager(engine)) {
            // per sample, the mean over the last axis: (0.5² + 0²)/2 = 0.125, (0² + 2²)/2 = 2,
            // (1² + 1²)/2 = 1; sum 3.125; sum over batch size 3.125/3
            NDArray y = arr(m, new float[] {1, 2, 3, 4, 0, 0}, 3, 2);
            NDArray p = arr(m, new float[] {1.5f, 2, 3, 2, 1, -1}, 3, 2);
            LossSpec mse = Losses.meanSquaredError();
            NDArray none = mse.withReduction(Reduction.NONE).compute(y, p);
            assertEquals(new Shape(3), none.getShape());
            assertArrayEquals(new float[] {0.125f, 2f, 1f}, none.toFloatArray(), 1e-6f);
            assertEquals(3.125, mse.withReduction(Reduction.SUM).compute(y, p).getFloat(), TOL);
            assertEquals(3.125 / 3, mse.compute(y, p).getFloat(), TOL);
            assertEquals(3.125 / 3, mse.withReduction(Reduction.SUM_OVER_BATCH_SIZE).compute(y, p).getFloat(), TOL);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void crossEntropyEachReduction(String engine) {
        try (NDManager m = TestEngines.manager(engine)) {
            // logits (0, 0) and (ln 3, 0), both of class 0: −log ½ = ln 2, −log ¾ = ln 4/3
            NDArray logits = arr(m, new float[] {0, 0, (float) Math.log(3), 0}, 2, 2);
            NDArray ids = arr(m, new float[] {0, 0}, 2);
            double a = Math.log(2);
            double b = Math.log(4.0 / 3);
            LossSpec ce = Losses.softmaxCrossEntropy();
            assertArrayEquals(new float[] {(float) a, (float) b},
                    ce.withReduction(Reduction.NONE).compute(ids, logits).toFloatArray(), 1e-5f);
            // MXNet's fused log-softmax is good to a few float32 ulps
            assertEquals(a + b, ce.withReduction(Reduction.SUM).compute(ids, logits).getFloat(), 1e-5);
            assertEquals((a + b) / 2, ce.compute(ids, logits).getFloat(), 1e-5);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void sequenceOutputsKeepOneLossPerSampleAndStep(String engine) {
        try (NDManager m = TestEngines.manager(engine)) {
            // (batch 2, time 2, features 1): |p − y| = 1, 2, 3, 4; the mean divides by all 4 values
            NDArray y = arr(m, new float[] {0, 0, 0, 0}, 2, 2, 1);
            NDArray p = arr(m, new float[] {1, -2, 3, -4}, 2, 2, 1);
            LossSpec mae = Losses.meanAbsoluteError();
            NDArray none = mae.withReduction(Reduction.NONE).compute(y, p);
            assertEquals(new Shape(2, 2), none.getShape());
            assertArrayEquals(new float[] {1, 2, 3, 4}, none.toFloatArray(), 1e-6f);
            assertEquals(10, mae.withReduction(Reduction.SUM).compute(y, p).getFloat(), TOL);
            assertEquals(2.5, mae.compute(y, p).getFloat(), TOL);
        }
    }

    @Test
    void everyLossTakesReductionInFiles() {
        for (String name : Losses.CATALOG.names()) {
            LossSpec plain = Losses.parse(ConfigNode.of(name));
            assertEquals(Reduction.SUM_OVER_BATCH_SIZE, plain.reduction(), name);
            assertTrue(!plain.config().containsKey("reduction"), name);
            for (Reduction r : Reduction.values()) {
                LossSpec spec = Losses.parse(ConfigNode.of(Map.of(name, Map.of("reduction", r.kerasName()))));
                assertEquals(r, spec.reduction(), name);
                assertEquals(plain.withReduction(r), spec, name);
                assertEquals(name, spec.type());
                assertEquals(spec, Losses.parse(ConfigNode.of(spec.toMap())), name + " " + r);
            }
        }
        assertEquals(Map.of("mse", Map.of("reduction", "sum")),
                Losses.parse(ConfigNode.of(Map.of("mse", Map.of("reduction", "sum")))).toMap());
        assertEquals(List.of("from_logits", "reduction"), List.copyOf(Losses.parse(ConfigNode.of(
                Map.of("softmax_cross_entropy", Map.of("reduction", "none")))).config().keySet()));
    }

    @Test
    void unknownReductionListsTheNames() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Losses.parse(ConfigNode.of(Map.of("mse", Map.of("reduction", "mean_over_batch")))));
        assertTrue(e.getMessage().contains(
                "expected one of sum_over_batch_size, sum, none, received reduction=mean_over_batch"), e.getMessage());
        assertTrue(e.field().endsWith("reduction"), e.field());
    }
}
