package dev.lamina.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lamina.Sequential;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Lstm;
import dev.lamina.losses.Losses;
import dev.lamina.optimizers.Optimizers;
import dev.lamina.testing.SystemProperties;
import org.junit.jupiter.api.Test;

class InferenceBatchTest {
    /** An LSTM of {@code units} over 28 rows of 28, then 10 classes, built on {@code engine}. */
    private static Sequential rows(int units, String engine) {
        Sequential m = new Sequential("rows").input(28, 28);
        m.add(new Lstm(units)).add(new Dense(10));
        m.engine(engine).seed(1);
        m.compile(Optimizers.sgd(0.1), Losses.softmaxCrossEntropy());
        m.summary();
        return m;
    }

    @Test
    void aRecurrentLayersStepsCountTowardsTheBudget() {
        try (Sequential m = rows(64, "mxnet")) {
            // the layers' outputs: the LSTM's last step 64, the dense 10 (the input is not made
            // by the pass); inside the LSTM, 28 steps of 4 gates and 2 states of 64 units
            long values = 64 + 10 + 28 * (4 + 2) * 64;
            assertEquals(values, m.valuesPerSample());
            // 256 MiB for twice the values at 4 bytes each: 3,099 samples, capped at 512
            assertEquals(512, Budgets.inferenceBatch(m, 32));
            // 8 MiB: 96 samples; never under the batch asked for
            SystemProperties.with(Budgets.INFERENCE_PROPERTY, "8", () -> {
                assertEquals(8L * 1024 * 1024 / (values * 8), Budgets.inferenceBatch(m, 32));
                assertEquals(96, Budgets.inferenceBatch(m, 32));
                assertEquals(128, Budgets.inferenceBatch(m, 128));
                return null;
            });
        }
    }

    @Test
    void bothEnginesHaveTheSameBudget() {
        for (String engine : new String[] {"pytorch", "mxnet"}) {
            try (Sequential m = rows(256, engine)) {
                long values = 256 + 10 + 28 * (4 + 2) * 256;
                assertEquals(values, m.valuesPerSample());
                // 256 MiB for twice the values at 4 bytes each: 774 samples, capped at 512; with
                // a budget of 64 MiB, 193
                assertEquals(512, Budgets.inferenceBatch(m, 32), engine);
                SystemProperties.with(Budgets.INFERENCE_PROPERTY, "64", () -> {
                    assertEquals(193, Budgets.inferenceBatch(m, 32), engine);
                    assertEquals(256, Budgets.inferenceBatch(m, 256), engine);
                    return null;
                });
            }
        }
    }

    @Test
    void aDenseNetworkCountsItsOutputs() {
        try (Sequential m = new Sequential("mlp").input(784)) {
            m.add(new Dense(256, "relu")).add(new Dense(10));
            m.engine("pytorch").seed(1);
            m.compile(Optimizers.sgd(0.1), Losses.softmaxCrossEntropy());
            m.summary();
            assertEquals(256 + 10, m.valuesPerSample());
            assertEquals(512, Budgets.inferenceBatch(m, 32)); // 256 MiB / 2,128 B: the 512 cap
        }
    }
}
