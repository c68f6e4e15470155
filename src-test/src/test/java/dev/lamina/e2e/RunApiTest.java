package dev.lamina.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.Model;
import dev.lamina.engine.Backend;
import dev.lamina.run.Run;
import dev.lamina.spec.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A YAML run file run from Java through {@link Run}, end to end, and the run directory's safety:
 * no name leads out of it, and a directory that cannot be written is refused before training.
 */
class RunApiTest {
    static final String RUN = """
            name: NAME
            seed: 7
            data: {train: fashion-mnist-sample:train, test: fashion-mnist-sample:test, limit: 512}
            model:
              input: [1, 28, 28]
              layers:
                - flatten
                - dense: {units: 32, activation: relu}
                - dense: {units: 10}
            compile: {optimizer: {adam: {learning_rate: 0.003}}, loss: softmax_cross_entropy,
                      metrics: [accuracy]}
            fit: {epochs: 2, batch_size: 64}
            """;

    @TempDir
    Path tmp;

    Path file(String name) throws IOException {
        Path f = tmp.resolve("run.yaml");
        Files.writeString(f, RUN.replace("NAME", name));
        return f;
    }

    @Test
    void aRunFileTrainsFromJava() throws IOException {
        Path dir = tmp.resolve("out");
        try (Run.Result r = Run.load(file("mlp")).directory(dir)
                .backend(Backend.of("pytorch", "cpu")).train()) {
            assertEquals(2, r.history().epochs());
            double acc = r.testScores().get("accuracy");
            assertTrue(acc > 0.5, "two epochs on 512 images: far above chance, got " + acc);
            assertEquals(acc, ((Number) r.metrics().get("test_accuracy")).doubleValue(), 1e-6);
            assertEquals(dir, r.directory());
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(Set.of("model", "history.csv", "metrics.json"),
                        Set.copyOf(files.map(p -> p.getFileName().toString()).toList()));
            }
            assertEquals(3, Files.readAllLines(dir.resolve("history.csv")).size());
            // the saved model is the trained one
            try (Model back = Model.load(dir.resolve("model"))) {
                assertEquals(r.model().architecture(), back.architecture());
            }
        }
    }

    @Test
    void aNameThatLeadsOutOfRunsIsRefusedAtItsLine() throws IOException {
        for (String bad : List.of("../../escaped", "/abs", "a/b", "..", ".hidden", "")) {
            Path f = file("\"" + bad + "\"");
            ConfigException e = assertThrows(ConfigException.class, () -> Run.load(f), bad);
            assertTrue(e.getMessage().contains(":1:"), e.getMessage());
            assertTrue(e.getMessage().contains("expected a plain name for the run"),
                    e.getMessage());
        }
        assertFalse(Files.exists(tmp.resolve("escaped")));
    }

    @Test
    void aRunDirectoryThatIsAFileOrEmptyIsRefusedBeforeTraining() throws IOException {
        Path notDir = Files.writeString(tmp.resolve("taken"), "keep me");
        Run run = Run.load(file("mlp")).directory(notDir);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, run::train);
        assertEquals("the run directory " + notDir + " is a file: give a directory (--out DIR),"
                + " or remove the file", e.getMessage());
        assertEquals("keep me", Files.readString(notDir));
        assertThrows(IllegalArgumentException.class, () -> Run.load(file("mlp"))
                .directory(Path.of("")));
    }
}
