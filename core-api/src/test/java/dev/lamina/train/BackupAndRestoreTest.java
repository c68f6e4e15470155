package dev.lamina.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import dev.lamina.layers.GaussianNoise;
import dev.lamina.losses.Losses;
import dev.lamina.metrics.Metrics;
import dev.lamina.optimizers.Optimizers;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A fit stopped part-way and started again with {@link BackupAndRestore} ends with exactly the
 * weights and History of a fit never stopped: dropout, noise drawn in Java, shuffling, Adam's
 * moments and the position in the epoch all come back.
 */
class BackupAndRestoreTest {
    @TempDir
    Path tmp;

    static Dataset data() {
        Random r = new Random(4);
        float[] x = new float[200 * 6];
        float[] y = new float[200];
        for (int i = 0; i < 200; i++) {
            for (int j = 0; j < 6; j++) {
                x[i * 6 + j] = (float) r.nextGaussian();
            }
            y[i] = x[i * 6] + x[i * 6 + 1] > 0 ? 1 : 0;
        }
        return new Dataset("d", new Tensor(x, new Shape(6)), Tensor.scalars(y));
    }

    static Sequential model(String engine) {
        Sequential m = new Sequential("net").input(6);
        // noise drawn in Java (augmentation), dropout drawn by the engine
        m.add(new GaussianNoise(0.1)).add(new Dense(16, "relu")).add(new Dropout(0.3))
                .add(new Dense(2));
        m.engine(engine).seed(9);
        m.compile(Optimizers.adam(0.01), Losses.softmaxCrossEntropy(), Metrics.accuracy());
        return m;
    }

    static List<float[]> weights(Sequential m) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : m.block().getParameters()) {
            out.add(p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    /** Stands for a kill: throws after {@code afterBatches} batches of the fit. */
    static final class Crash implements Callback {
        private final int afterBatches;
        private int seen;

        Crash(int afterBatches) {
            this.afterBatches = afterBatches;
        }

        @Override
        public void onBatchEnd(int epoch, int batch, Map<String, Double> logs, FitContext run) {
            if (++seen == afterBatches) {
                throw new IllegalStateException("killed");
            }
        }
    }

    static FitOptions options() {
        return FitOptions.defaults().epochs(4).batchSize(32).validationSplit(0.2);
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void aStoppedFitResumesToTheSameWeightsAtAnEpochEnd(String engine) {
        assertResumesExactly(engine, 0, 12); // 5 batches an epoch: killed in the third epoch
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void aStoppedFitResumesToTheSameWeightsWithinAnEpoch(String engine) {
        assertResumesExactly(engine, 3, 13); // checkpoints every 3 batches: the last at batch 12
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void callbacksDecideAfterAResumeAsTheyWouldHave(String engine) {
        // early stopping with the best weights, a rate cut on plateaus: their counts, best
        // values and best weights ride through the checkpoint (killed in epoch 5 of up to 16)
        assertResumesExactly(engine, 0, 23, 16);
    }

    static Callback[] deciders() {
        return new Callback[] {new EarlyStopping("val_loss", 0.02, 3, "auto", null, true, 0),
                new ReduceLROnPlateau("val_loss", 0.5, 1, "auto", 0.05, 0, 1e-5)};
    }

    void assertResumesExactly(String engine, int saveFreq, int killAt) {
        assertResumesExactly(engine, saveFreq, killAt, 0);
    }

    /** With {@code epochs} > 0: that many epochs, with the {@link #deciders}. */
    void assertResumesExactly(String engine, int saveFreq, int killAt, int epochs) {
        java.util.function.Supplier<FitOptions> options = () -> epochs == 0 ? options()
                : options().epochs(epochs).callbacks(deciders());
        List<float[]> full;
        History fullHistory;
        try (Sequential m = model(engine)) {
            fullHistory = m.fit(data(), options.get());
            full = weights(m);
        }
        if (epochs > 0) { // the callbacks did act, after the kill
            assertTrue(new java.util.HashSet<>(fullHistory.get("learning_rate")).size() > 1,
                    "the rate was cut: " + fullHistory.get("learning_rate"));
            assertTrue(fullHistory.epochs() < epochs && fullHistory.epochs() > 5,
                    "stopped early, after the kill: " + fullHistory.get("val_loss"));
        }
        Path dir = tmp.resolve(engine + saveFreq);
        try (Sequential m = model(engine)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.fit(data(),
                    options.get().backupAndRestore(new BackupAndRestore(dir, saveFreq, true))
                            .callbacks(new Crash(killAt))));
            assertEquals("killed", e.getMessage());
        }
        assertTrue(Files.isRegularFile(dir.resolve(BackupAndRestore.JSON)), "a checkpoint is left");
        History resumed;
        List<float[]> after;
        try (Sequential m = model(engine)) { // a fresh model, as a new process makes it
            resumed = m.fit(data(), options.get().callbacks(new BackupAndRestore(dir, saveFreq,
                    true)));
            after = weights(m);
        }
        assertEquals(full.size(), after.size());
        for (int i = 0; i < full.size(); i++) {
            assertArrayEquals(full.get(i), after.get(i), "parameter " + i + ", bit for bit");
        }
        assertEquals(fullHistory.names(), resumed.names());
        for (String name : fullHistory.names()) {
            assertEquals(fullHistory.get(name), resumed.get(name), name);
        }
        assertFalse(Files.exists(dir), "a completed fit deletes its checkpoint");
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void aDamagedOrForeignCheckpointIsRefusedByName(String engine) throws Exception {
        Path dir = tmp.resolve("damaged-" + engine);
        try (Sequential m = model(engine)) {
            assertThrows(IllegalStateException.class, () -> m.fit(data(), options()
                    .backupAndRestore(new BackupAndRestore(dir, 0, true)).callbacks(new Crash(7))));
        }
        try (Sequential other = new Sequential("other").input(6)) {
            other.add(new Dense(2)).engine(engine).seed(1);
            other.compile(Optimizers.sgd(0.1), Losses.softmaxCrossEntropy());
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> other.fit(
                    data(), options().backupAndRestore(new BackupAndRestore(dir))));
            assertTrue(e.getMessage().contains("the checkpoint is of model 'net', not 'other'"),
                    e.getMessage());
        }
        Path weights;
        try (var files = Files.list(dir)) {
            weights = files.filter(p -> p.getFileName().toString().startsWith("weights-"))
                    .findFirst().orElseThrow();
        }
        byte[] b = Files.readAllBytes(weights);
        b[b.length / 2] ^= 1;
        Files.write(weights, b);
        try (Sequential m = model(engine)) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> m.fit(data(),
                    options().backupAndRestore(new BackupAndRestore(dir))));
            assertTrue(e.getMessage().contains("damaged: its checksum does not match its name"),
                    e.getMessage());
        }
    }
}
