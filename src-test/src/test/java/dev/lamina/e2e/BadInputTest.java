package dev.lamina.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A broken run file or argument: one message with the file, line and field, exit status 2, and no
 * stack trace.
 */
class BadInputTest {
    @TempDir
    Path tmp;

    Cli trainWith(String from, String to) throws IOException {
        String yaml = Files.readString(Path.of("..", "examples", "lenet.yaml"));
        assertTrue(yaml.contains(from), "the example still contains " + from);
        Path f = tmp.resolve("run.yaml");
        Files.writeString(f, yaml.replace(from, to));
        return Cli.run("train", f.toString(), "--out", tmp.resolve("out").toString());
    }

    static void assertCleanError(Cli c, String... fragments) {
        assertEquals(2, c.status(), c.out() + c.err());
        assertTrue(c.err().startsWith("error: "), c.err());
        assertEquals(1, c.err().strip().lines().count(), "one line: " + c.err());
        assertFalse(c.err().contains("\tat "), "no stack trace: " + c.err());
        for (String f : fragments) {
            assertTrue(c.err().contains(f), "'" + f + "' in " + c.err());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "padding: same, activation: relu} | paddin: same, activation: relu} | run.yaml:10:"
            + " | 'conv2d' has no setting 'paddin'. Did you mean 'padding'?",
        "filters: 16 | filters: sixteen | run.yaml:12: | expected an integer, got 'sixteen'",
        "- flatten | - flaten | run.yaml:14: | unknown layer type 'flaten'. Did you mean 'flatten'?",
        "{adam: {learning_rate: 0.001}} | {adam: {learning_rate: fast}} | run.yaml:18:"
            + " | expected a learning rate as a number",
        "{adam: {learning_rate: 0.001}} | {adamm: {}} | run.yaml:18: | Did you mean 'adam'?",
        "loss: softmax_cross_entropy | loss: softmax_crossentropy | run.yaml:18:"
            + " | Did you mean 'softmax_cross_entropy'?",
        "epochs: 10 | epochs: -1 | run.yaml:19: | expected a positive integer, received epochs=-1",
        "seed: 42 | seeds: 42 | run.yaml:5: | unknown setting 'seeds'. Did you mean 'seed'?",
        "fashion-mnist-sample:train | fashion-mnist-sampel:train | run.yaml:6:"
            + " | Did you mean 'fashion-mnist-sample'?",
        "engine: pytorch | engine: tensorflow | run.yaml:4: | unknown engine 'tensorflow'",
        "input: [1, 28, 28] | input: [1, 8, 8] | run.yaml:12: | layer 2 'conv2d_1' (conv2d)",
        "units: 84, activation: relu} | units: 84, activation: relu}} | run.yaml:16:"
            + " | YAML syntax error",
    })
    void aBrokenRunFileGetsOneMessageWithItsLine(String from, String to, String where,
            String what) throws IOException {
        assertCleanError(trainWith(from.strip(), to.strip()), where.strip(), what.strip());
    }

    @Test
    void aMissingFileIsNamed() {
        assertCleanError(Cli.run("train", tmp.resolve("nope.yaml").toString()), "nope.yaml",
                "no such file");
    }

    @Test
    void anEmptyFileIsNamed() throws IOException {
        Path f = Files.writeString(tmp.resolve("empty.yaml"), "");
        assertCleanError(Cli.run("train", f.toString()), "empty.yaml", "the file is empty");
    }

    @Test
    void aFileThatIsNotAMapSaysWhatItNeeds() throws IOException {
        Path f = Files.writeString(tmp.resolve("list.yaml"), "- a\n- b\n");
        assertCleanError(Cli.run("train", f.toString()), "list.yaml:1", "expected a map");
    }

    @Test
    void aBadEngineOptionIsRefused() {
        Cli c = Cli.run("train", "../examples/lenet.yaml", "--engine", "tensorflw");
        assertCleanError(c, "unknown engine 'tensorflw'");
    }

    @Test
    void aNonNumericOptionIsAUsageError() {
        Cli c = Cli.run("train", "../examples/lenet.yaml", "--epochs", "many");
        assertEquals(2, c.status());
        assertTrue(c.err().contains("--epochs"), c.err());
    }

    @Test
    void evaluatingADirectoryThatIsNotAModelIsRefused() {
        assertCleanError(Cli.run("evaluate", tmp.toString(), "--data", "fashion-mnist-sample:test"),
                "model.json: missing");
    }

    @Test
    void anUnknownDataSourceOnTheCommandLineIsRefused() {
        assertCleanError(Cli.run("evaluate", tmp.toString(), "--data", "cifar:test"),
                "unknown data source 'cifar:test'");
    }
}
