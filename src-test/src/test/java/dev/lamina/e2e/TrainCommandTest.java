package dev.lamina.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lamina train} end to end on the shipped Fashion-MNIST sample: the README's example file,
 * shortened with --epochs, on both engines; then evaluate, predict and summary on what it saved.
 */
class TrainCommandTest {
    static final Path LENET = Path.of("..", "examples", "lenet.yaml");

    @TempDir
    static Path tmp;

    static Path runDir;
    static Cli train;

    @BeforeAll
    static void trainOnce() {
        runDir = tmp.resolve("lenet-run");
        train = Cli.run("train", LENET.toString(), "--epochs", "2", "--out", runDir.toString());
    }

    @Test
    void trainEndsWithTheTestAccuracyLine() {
        assertEquals(0, train.status(), train.err());
        String[] lines = train.out().strip().split("\n");
        String last = lines[lines.length - 1];
        assertTrue(last.matches("test accuracy: 0\\.\\d{4}"), last);
        double acc = Double.parseDouble(last.substring("test accuracy: ".length()));
        // two epochs of LeNet on 5,400 images: far above chance (0.1)
        assertTrue(acc > 0.6, "test accuracy " + acc);
        assertTrue(train.out().contains("Epoch 2/2"), train.out());
    }

    @Test
    void theRunDirectoryHoldsModelHistoryMetricsAndCurves() throws IOException {
        assertTrue(Files.isRegularFile(runDir.resolve("model/model.json")));
        Map<?, ?> saved = new ObjectMapper().readValue(runDir.resolve("model/model.json").toFile(),
                Map.class);
        assertTrue(Files.isRegularFile(runDir.resolve("model")
                .resolve((String) saved.get("params_file"))));
        assertTrue(Files.size(runDir.resolve("curves.png")) > 1000);
        List<String> history = Files.readAllLines(runDir.resolve("history.csv"));
        assertEquals("epoch,loss,accuracy,val_loss,val_accuracy,learning_rate", history.get(0));
        assertEquals(3, history.size(), "a header and a row per epoch");
        Map<?, ?> metrics = new ObjectMapper().readValue(runDir.resolve("metrics.json").toFile(),
                Map.class);
        for (String key : List.of("test_accuracy", "test_loss", "epochs", "train_seconds", "engine")) {
            assertTrue(metrics.containsKey(key), key + " in " + metrics.keySet());
        }
        assertEquals("pytorch", metrics.get("engine"));
        assertEquals(2, metrics.get("epochs"));
    }

    @Test
    void evaluateReadsTheSavedModelBack() {
        Cli ev = Cli.run("evaluate", runDir.resolve("model").toString(), "--data",
                "fashion-mnist-sample:test");
        assertEquals(0, ev.status(), ev.err());
        assertTrue(ev.out().contains("accuracy: "), ev.out());
        assertTrue(ev.out().contains("loss: "), ev.out());
    }

    @Test
    void evaluateOnTheOtherEngineGivesTheSameAccuracy() {
        Cli a = Cli.run("evaluate", runDir.resolve("model").toString(), "--data",
                "fashion-mnist-sample:test", "--engine", "pytorch");
        Cli b = Cli.run("evaluate", runDir.resolve("model").toString(), "--data",
                "fashion-mnist-sample:test", "--engine", "mxnet");
        assertEquals(0, b.status(), b.err());
        String accA = a.out().lines().filter(l -> l.startsWith("accuracy")).findFirst().orElseThrow();
        String accB = b.out().lines().filter(l -> l.startsWith("accuracy")).findFirst().orElseThrow();
        assertEquals(accA, accB);
    }

    @Test
    void predictPrintsOneCsvLinePerSample() {
        Cli p = Cli.run("predict", runDir.resolve("model").toString(), "--data",
                "fashion-mnist-sample:test", "--limit", "5");
        assertEquals(0, p.status(), p.err());
        List<String> lines = p.out().lines().toList();
        assertEquals("index,predicted,score,label", lines.get(0));
        assertEquals(6, lines.size(), p.out());
        assertTrue(lines.get(1).matches("0,\\d,-?[0-9.]+,\\d"), lines.get(1));
    }

    @Test
    void summaryOfTheRunFileCountsLeNetsParameters() {
        Cli s = Cli.run("summary", LENET.toString());
        assertEquals(0, s.status(), s.err());
        // LeNet-5 as published: 156 + 2,416 + 48,120 + 10,164 + 850
        assertTrue(s.out().contains("Total params: 61,706"), s.out());
        Cli saved = Cli.run("summary", runDir.resolve("model").toString());
        assertTrue(saved.out().contains("Total params: 61,706"), saved.out());
    }

    @Test
    void mxnetTrainsTheSameFile() {
        Path out = tmp.resolve("mx");
        Cli mx = Cli.run("train", LENET.toString(), "--epochs", "1", "--engine", "mxnet", "--out",
                out.toString());
        assertEquals(0, mx.status(), mx.err());
        assertTrue(mx.out().contains("on mxnet"), mx.out());
        assertFalse(mx.err().contains("Exception"), mx.err());
    }
}
