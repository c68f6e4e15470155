package dev.lamina.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code examples/lenet-decay.yaml} (SGD at an exponentially decaying rate, early stopping with
 * the best weights restored) through {@code lamina train} on both engines, made quick: the first
 * 1,000 training images, the test set as the validation set, 8 epochs, patience 1 and min_delta
 * 0.05 (so that it stops: the validation loss still falls, by less and less). The run must stop
 * where Keras's rule says its own History makes it stop, log the scheduled rate of each epoch, and
 * save the best epoch's weights: evaluated on the validation set, the saved model gives the
 * val_loss of the epoch Keras's rule calls the best (not the lowest: a fall of less than
 * min_delta is no improvement).
 */
class DecayAndEarlyStopTest {
    static final Path EXAMPLE = Path.of("..", "examples", "lenet-decay.yaml");
    static final int EPOCHS = 8;
    static final int PATIENCE = 1;
    static final double MIN_DELTA = 0.05;

    @TempDir
    Path tmp;

    /** The example with a data limit, the test set for validation, patience 1, min_delta 0.05. */
    private Path quick() throws IOException {
        String yaml = Files.readString(EXAMPLE);
        String data = "data: {train: fashion-mnist-sample:train, test: fashion-mnist-sample:test,"
                + " validation_split: 0.1}";
        String patience = "patience: 3";
        assertTrue(yaml.contains(data) && yaml.contains(patience), "the example changed: " + yaml);
        yaml = yaml.replace(data, "data: {train: fashion-mnist-sample:train, test:"
                + " fashion-mnist-sample:test, validation: fashion-mnist-sample:test, limit: 1000}")
                .replace(patience, "patience: " + PATIENCE + ", min_delta: " + MIN_DELTA);
        Path f = tmp.resolve("lenet-decay.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    /**
     * Keras 3's EarlyStopping on a loss, no baseline: {stop, best}, the 0-based epoch it stops at
     * (-1 if it does not) and the best epoch (whose weights it restores).
     */
    static int[] keras(List<Double> valLoss) {
        Double best = null;
        int bestEpoch = -1;
        int wait = 0;
        for (int e = 0; e < valLoss.size(); e++) {
            double v = valLoss.get(e);
            wait++;
            if (best == null || v + MIN_DELTA < best) {
                best = v;
                bestEpoch = e;
                wait = 0;
                continue;
            }
            if (wait >= PATIENCE && e > 0) {
                return new int[] {e, bestEpoch};
            }
        }
        return new int[] {-1, bestEpoch};
    }

    @ParameterizedTest
    @ValueSource(strings = {"pytorch", "mxnet"})
    void stopsWhereItsHistorySaysAndKeepsTheBestWeights(String engine) throws IOException {
        Path out = tmp.resolve("run-" + engine);
        Cli train = Cli.run("train", quick().toString(), "--epochs", "" + EPOCHS, "--engine",
                engine, "--out", out.toString());
        assertEquals(0, train.status(), train.err());

        List<String> lines = Files.readAllLines(out.resolve("history.csv"));
        List<String> header = Arrays.asList(lines.get(0).split(","));
        assertEquals(List.of("epoch", "loss", "accuracy", "val_loss", "val_accuracy",
                "learning_rate"), header);
        List<Double> valLoss = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        for (String row : lines.subList(1, lines.size())) {
            String[] f = row.split(",");
            valLoss.add(Double.parseDouble(f[header.indexOf("val_loss")]));
            rates.add(Double.parseDouble(f[header.indexOf("learning_rate")]));
        }
        int ran = valLoss.size();

        // the epochs that ran are exactly those Keras's rule allows on these numbers: it stops at
        // the epoch the rule picks (the quick settings make sure there is one)
        int[] keras = keras(valLoss);
        assertTrue(keras[0] >= 0, "the quick run should stop early: val_loss " + valLoss);
        assertEquals(keras[0] + 1, ran, "val_loss " + valLoss);
        assertTrue(ran < EPOCHS, "stopped early: val_loss " + valLoss);
        assertTrue(train.out().contains("Epoch " + ran + ": early stopping"), train.out());

        // each epoch logs the rate of the next update: 0.05 · 0.9^(updates / 85), 16 updates of
        // 64 of the 1,000 images per epoch
        for (int e = 0; e < ran; e++) {
            double want = 0.05 * Math.pow(0.9, 16.0 * (e + 1) / 85);
            assertEquals(want, rates.get(e), want * 1e-5, "learning_rate of epoch " + (e + 1));
        }

        // the saved model has the best epoch's weights
        double best = valLoss.get(keras[1]);
        Cli ev = Cli.run("evaluate", out.resolve("model").toString(), "--data",
                "fashion-mnist-sample:test", "--engine", engine);
        assertEquals(0, ev.status(), ev.err());
        double loss = Double.parseDouble(ev.out().lines().filter(l -> l.startsWith("loss: "))
                .findFirst().orElseThrow().substring("loss: ".length()).trim());
        assertEquals(best, loss, 1e-3, "evaluated " + loss + ", History's val_loss " + valLoss);
    }
}
