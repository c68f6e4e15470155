package dev.lamina.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.lamina.Sequential;
import dev.lamina.data.Dataset;
import dev.lamina.data.Tensor;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Dropout;
import dev.lamina.losses.Losses;
import dev.lamina.metrics.Metrics;
import dev.lamina.optimizers.Optimizers;
import dev.lamina.testing.SystemProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The NaN guard checks fast steps' losses a few at a time and, on a bad one, puts back the
 * state of its last check and runs the batches before the bad one again: the fit stops at the
 * same batch, with the same weights, as when every batch's loss is read as it comes. Shuffled
 * batches, dropout and Adam's moments make any difference in the replay show.
 */
class LossGuardTest {
    /** Samples of which three have inputs so large that the loss overflows when they arrive. */
    private static Dataset data() {
        Random r = new Random(5);
        int n = 400;
        float[] x = new float[n * 4];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 4; j++) {
                x[i * 4 + j] = (float) r.nextGaussian() * (i >= 397 ? 1e37f : 1f);
            }
            y[i] = r.nextInt(3);
        }
        return new Dataset("d", new Tensor(x, new Shape(4)), new Tensor(y, new Shape()));
    }

    private record Stop(int epoch, int batch, List<float[]> weights) {}

    private static Stop stop(String engine, String mode) {
        return SystemProperties.with(LossGuard.MODE_PROPERTY, mode, () -> stop(engine));
    }

    private static Stop stop(String engine) {
        try (Sequential m = new Sequential("guarded").input(4)) {
            m.add(new Dense(32, "relu")).add(new Dropout(0.2)).add(new Dense(3));
            m.engine(engine).seed(11);
            m.compile(Optimizers.adam(0.01), Losses.softmaxCrossEntropy(), Metrics.accuracy());
            NonFiniteLossException e = assertThrows(NonFiniteLossException.class,
                    () -> m.fit(data(), FitOptions.defaults().epochs(3).batchSize(8)));
            List<float[]> w = new ArrayList<>();
            for (Pair<String, Parameter> p : m.block().getParameters()) {
                w.add(p.getValue().getArray().toFloatArray());
            }
            return new Stop(e.epoch(), e.batch(), w);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void aBadLossFoundLaterStopsWhereCheckingEveryBatchStops(String engine) {
        Stop everyBatch = stop(engine, "every-batch");
        Stop deferred = stop(engine, "deferred");
        assertEquals(1, everyBatch.epoch());
        // checked at the epoch's end, the deferred guard runs batches 1 to 5 and more again
        assertTrue(everyBatch.batch() > 5, "a late bad batch: " + everyBatch.batch());
        assertEquals(everyBatch.epoch(), deferred.epoch());
        assertEquals(everyBatch.batch(), deferred.batch());
        for (int i = 0; i < everyBatch.weights().size(); i++) {
            assertArrayEquals(everyBatch.weights().get(i), deferred.weights().get(i));
        }
    }
}
