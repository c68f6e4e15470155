package example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lamina.Sequential;
import dev.lamina.data.Dataset;
import dev.lamina.data.Tensor;
import dev.lamina.layers.Dense;
import dev.lamina.losses.Losses;
import dev.lamina.optimizers.Optimizers;
import dev.lamina.train.Callback;
import dev.lamina.train.FitContext;
import dev.lamina.train.FitOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A user's callback (outside Lamina's packages) may make arrays in its batch hooks and keep them:
 * on MXNet, where a batch's arrays are freed only after the next batch is issued, they must not
 * be freed with the batch.
 */
class KeptArraysCallbackTest {
    /** Keeps one array per batch hook, made in a manager of its own. */
    static final class Keeper implements Callback {
        final NDManager manager;
        final List<NDArray> kept = new ArrayList<>();

        Keeper(NDManager manager) {
            this.manager = manager;
        }

        @Override
        public void onBatchBegin(int epoch, int batch, FitContext run) {
            kept.add(manager.create(new float[] {batch}));
        }

        @Override
        public void onBatchEnd(int epoch, int batch, Map<String, Double> logs, FitContext run) {
            kept.add(manager.create(new float[] {-batch}));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void arraysACallbackKeepsOutliveTheBatch(String engine) {
        float[] x = new float[64 * 3];
        float[] y = new float[64];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 7) / 7f;
        }
        Dataset data = new Dataset("d", new Tensor(x, new Shape(3)), new Tensor(y, new Shape(1)));
        try (NDManager manager = Engine.getEngine(engine).newBaseManager();
                Sequential m = new Sequential("m").input(3)) {
            m.add(new Dense(1));
            m.engine(engine).seed(1);
            m.compile(Optimizers.sgd(0.1), Losses.meanSquaredError());
            Keeper keeper = new Keeper(manager);
            m.fit(data, FitOptions.defaults().epochs(2).batchSize(8).callbacks(keeper));
            assertEquals(32, keeper.kept.size());
            for (int i = 0; i < keeper.kept.size(); i++) {
                int batch = (i / 2) % 8;
                assertEquals(i % 2 == 0 ? batch : -batch, keeper.kept.get(i).getFloat(0), "array " + i);
            }
        }
    }
}
