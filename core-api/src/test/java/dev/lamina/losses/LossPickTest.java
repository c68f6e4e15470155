package dev.lamina.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.lamina.testing.TestEngines;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The class-id losses pick each sample's log-probability with one gather: the same values and
 * the same gradients, bit for bit, as the one-hot rows times the log-probabilities summed.
 */
class LossPickTest {
    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void pickingGivesTheOneHotSumsValuesAndGradients(String engine) {
        Random r = new Random(3);
        int n = 64;
        int classes = 10;
        float[] logits = new float[n * classes];
        float[] ids = new float[n];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (r.nextGaussian() * 5);
        }
        for (int i = 0; i < n; i++) {
            ids[i] = r.nextInt(classes);
        }
        for (Shape idShape : new Shape[] {new Shape(n), new Shape(n, 1)}) {
            float[][] values = new float[2][];
            float[][] grads = new float[2][];
            for (int mode = 0; mode < 2; mode++) {
                try (NDManager m = TestEngines.manager(engine)) {
                    NDArray x = m.create(logits, new Shape(n, classes));
                    x.setRequiresGradient(true);
                    NDArray y = m.create(ids, idShape);
                    try (GradientCollector gc = Engine.getEngine(engine).newGradientCollector()) {
                        NDArray logp = x.logSoftmax(-1);
                        NDArray picked = mode == 0
                                ? LossMath.oneHot(y, logp, "t").mul(logp).sum(new int[] {-1})
                                : LossMath.pick(y, logp, "t");
                        assertEquals(new Shape(n), picked.getShape());
                        values[mode] = picked.toFloatArray();
                        gc.backward(picked.neg().mean());
                    }
                    grads[mode] = x.getGradient().toFloatArray();
                }
            }
            assertArrayEquals(values[0], values[1]);
            assertArrayEquals(grads[0], grads[1]);
            // by hand: sample 0's entry is its logit minus log Σ exp
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < classes; j++) {
                max = Math.max(max, logits[j]);
            }
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                sum += Math.exp(logits[j] - max);
            }
            assertEquals(logits[(int) ids[0]] - max - Math.log(sum), values[1][0], 1e-5);
        }
    }
}
