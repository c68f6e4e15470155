package dev.lamina.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lamina.engine.Backend;
import dev.lamina.run.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run file's {@code fit: {callbacks: [...]}} in a real run on both engines: reduce_lr_on_plateau
 * changes the rate the History logs, and csv_logger writes its file, with its separator, in the run
 * directory.
 */
class RunCallbacksTest {
    static final String RUN = """
            name: cb
            seed: 7
            data: {train: fashion-mnist-sample:train, limit: 512}
            model:
              input: [1, 28, 28]
              layers:
                - flatten
                - dense: {units: 32, activation: relu}
                - dense: {units: 10}
            compile: {optimizer: {adam: {learning_rate: 0.004}}, loss: softmax_cross_entropy}
            fit:
              epochs: 4
              batch_size: 64
              callbacks:
                - reduce_lr_on_plateau: {monitor: loss, mode: max, patience: 1, factor: 0.5}
                - csv_logger: {filename: logs/epochs.csv, separator: ';'}
            """;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"pytorch", "mxnet"})
    void theFilesCallbacksActInTheRun(String engine) throws IOException {
        Path f = tmp.resolve("cb.yaml");
        Files.writeString(f, RUN);
        Path dir = tmp.resolve("out-" + engine);
        try (Run.Result r = Run.load(f).directory(dir).backend(Backend.of(engine, "cpu")).train()) {
            // mode max on a falling loss: epoch 0 stays the best, and from epoch 1 on each epoch
            // ends a plateau of patience 1, so the rate halves after each; an epoch logs the rate
            // before its own callbacks act
            List<Double> rates = r.history().get("learning_rate");
            List<Double> want = List.of(0.004, 0.004, 0.002, 0.001);
            for (int e = 0; e < 4; e++) {
                assertEquals(want.get(e), rates.get(e), 1e-9, "epoch " + e + " of " + rates
                        + ", loss " + r.history().get("loss"));
            }
            List<String> csv = Files.readAllLines(dir.resolve("logs/epochs.csv"));
            assertEquals("epoch;loss;learning_rate", csv.get(0));
            assertEquals(5, csv.size(), "" + csv);
            assertEquals("4", csv.get(4).split(";")[0]);
            assertEquals(0.001, Double.parseDouble(csv.get(4).split(";")[2]), 1e-9);
        }
    }
}
