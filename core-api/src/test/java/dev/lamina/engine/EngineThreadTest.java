package dev.lamina.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import dev.lamina.Sequential;
import dev.lamina.data.Dataset;
import dev.lamina.data.Tensor;
import dev.lamina.layers.Dense;
import dev.lamina.losses.Losses;
import dev.lamina.metrics.Metrics;
import dev.lamina.optimizers.Optimizers;
import dev.lamina.train.FitOptions;
import dev.lamina.train.History;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A PyTorch model trains and predicts from a thread that did not start the engine, where PyTorch
 * records gradients by default; and fit, evaluate and predict put back the thread count PyTorch
 * started with, which MXNet's start sets to 1 on the thread that loads it.
 */
class EngineThreadTest {
    private static Dataset data() {
        float[] x = new float[8 * 4];
        float[] y = new float[8];
        for (int i = 0; i < 8; i++) {
            x[i * 4 + i % 3] = 1;
            y[i] = i % 3;
        }
        return new Dataset("d", new Tensor(x, new Shape(4)), Tensor.scalars(y));
    }

    private static Sequential model() {
        Sequential m = new Sequential("threads").input(4);
        m.add(new Dense(3));
        m.engine("PyTorch").seed(1);
        m.compile(Optimizers.sgd(0.5), Losses.softmaxCrossEntropy(), Metrics.accuracy());
        return m;
    }

    /** Runs {@code body} on a new thread (whose PyTorch settings nothing has touched). */
    private static void onANewThread(Runnable body) throws InterruptedException {
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failed.set(e);
            }
        });
        t.start();
        t.join();
        if (failed.get() != null) {
            throw new AssertionError(failed.get());
        }
    }

    @Test
    void aModelTrainsOnAThreadThatDidNotStartTheEngine() throws Exception {
        Backend.of("pytorch").djlEngine();
        onANewThread(() -> {
            assertTrue(TorchOneDnn.gradMode(), "PyTorch records gradients on a new thread");
            try (Sequential m = model()) {
                History h = m.fit(data(), FitOptions.defaults().epochs(20).batchSize(8));
                assertFalse(TorchOneDnn.gradMode(), "fit leaves recording off, as on the engine's thread");
                assertTrue(h.last("loss") < h.get("loss").get(0) / 2, "loss " + h.get("loss"));
                assertEquals(1.0, m.evaluate(data(), 8).get("accuracy"), 0);
            }
        });
    }

    @Test
    void fitEvaluateAndPredictPutBackPyTorchsThreadCount() throws Exception {
        Backend.of("pytorch").djlEngine();
        int n = Threads.torch();
        assertTrue(n >= 1, "PyTorch's count is recorded when it starts: " + n);
        int other = n == 1 ? 2 : 1; // what MXNet's start leaves (1), or another count on one core
        onANewThread(() -> {
            try (Sequential m = model()) {
                TorchOneDnn.threads(other);
                assertEquals(other, TorchOneDnn.threads());
                m.fit(data(), FitOptions.defaults().epochs(1).batchSize(4));
                assertEquals(n, TorchOneDnn.threads(), "after fit");
                TorchOneDnn.threads(other);
                m.evaluate(data(), 4);
                assertEquals(n, TorchOneDnn.threads(), "after evaluate");
                TorchOneDnn.threads(other);
                m.predict(data(), 4);
                assertEquals(n, TorchOneDnn.threads(), "after predict");
            }
        });
    }
}
