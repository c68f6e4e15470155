package dev.lamina.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose loss goes NaN stops at once: exit status 3, the epoch, batch and learning rate in
 * the message, no accuracy line, no result in metrics.json, and an earlier model left as it was.
 * The same file at a sane rate learns: the two stacked convolutions that trained to NaN on CPUs
 * with libtorch's faulty oneDNN input gradient.
 */
class NonFiniteLossTest {
    static final String RUN = """
            name: conv2
            seed: 5
            data: {train: fashion-mnist-sample:train, test: fashion-mnist-sample:test, limit: 640}
            model:
              input: [1, 28, 28]
              layers:
                - conv2d: {filters: 8, kernel_size: 3, padding: same, activation: relu}
                - conv2d: {filters: 8, kernel_size: 3, padding: same}
                - flatten
                - dense: {units: 10}
            compile: {optimizer: {sgd: {learning_rate: RATE}}, loss: softmax_cross_entropy,
                      metrics: [accuracy]}
            fit: {epochs: 1, batch_size: 64}
            """;

    @TempDir
    Path tmp;

    @Test
    void aHugeLearningRateStopsWithStatus3AndNoResult() throws IOException {
        Path dir = tmp.resolve("run");
        Path good = tmp.resolve("good.yaml");
        Files.writeString(good, RUN.replace("RATE", "0.01"));
        Cli first = Cli.run("train", good.toString(), "--out", dir.toString());
        assertEquals(0, first.status(), first.err());
        byte[] model = Files.readAllBytes(dir.resolve("model/model.json"));

        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, RUN.replace("RATE", "1e30"));
        Cli c = Cli.run("train", bad.toString(), "--out", dir.toString());
        assertEquals(3, c.status(), c.out() + c.err());
        assertFalse(c.out().contains("test accuracy"), c.out());
        assertTrue(c.err().contains("error: training stopped: the loss is NaN at epoch 1, batch 2"
                + " (learning rate 1.0E30); layer 'conv2d_1' (2, conv2d) is the first whose output"
                + " is not finite. Lower the learning rate"), c.err());
        assertFalse(c.err().contains("Exception"), c.err());
        Map<?, ?> metrics = new ObjectMapper().readValue(dir.resolve("metrics.json").toFile(),
                Map.class);
        assertEquals("stopped: non-finite loss", metrics.get("status"));
        assertFalse(metrics.keySet().stream().anyMatch(k -> k.toString().startsWith("test_")
                || k.toString().startsWith("final_")), metrics.toString());
        assertTrue(java.util.Arrays.equals(model,
                Files.readAllBytes(dir.resolve("model/model.json"))),
                "the last good model is untouched");
    }

    @Test
    void learningRate1000StopsWithStatus3() throws IOException {
        Path bad = tmp.resolve("rate1000.yaml");
        Files.writeString(bad, RUN.replace("RATE", "1000"));
        Cli c = Cli.run("train", bad.toString(), "--out", tmp.resolve("r1000").toString());
        assertEquals(3, c.status(), c.out() + c.err());
        assertFalse(c.out().contains("test accuracy"), c.out());
        assertTrue(c.err().matches("(?s).*error: training stopped: the loss is (NaN|infinite) at"
                + " epoch 1, batch \\d+ \\(learning rate 1000\\.0\\).*"), c.err());
    }

    @Test
    void twoStackedConvolutionsLearnOnPyTorch() throws IOException {
        Path good = tmp.resolve("good.yaml");
        Files.writeString(good, RUN.replace("RATE", "0.01"));
        Cli c = Cli.run("train", good.toString(), "--out", tmp.resolve("r").toString());
        assertEquals(0, c.status(), c.err());
        assertFalse(c.out().contains("NaN"), c.out());
        String last = c.out().strip().substring(c.out().strip().lastIndexOf('\n') + 1);
        double acc = Double.parseDouble(last.substring("test accuracy: ".length()));
        assertTrue(acc > 0.3, "well above chance (0.1): " + acc);
    }
}
