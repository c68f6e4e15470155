package dev.lamina.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lamina train} on a run file with {@code gan:}, then {@code lamina sample}. */
class GanCommandTest {
    @TempDir
    Path tmp;

    static final String RUN = """
            name: tiny-gan
            seed: 3
            data: {train: fashion-mnist-sample:train, limit: 256}
            gan:
              noise: 8
              label_smoothing: 0.9
              generator:
                layers:
                  - dense: {units: 16, activation: relu}
                  - dense: {units: 784, activation: sigmoid}
                  - reshape: {target_shape: [1, 28, 28]}
              discriminator:
                input: [1, 28, 28]
                layers:
                  - flatten
                  - dense: {units: 1, activation: sigmoid}
            fit: {epochs: 2, batch_size: 64}
            """;

    @Test
    void trainWritesTheRunDirectoryAndSampleDrawsAGrid() throws IOException {
        Path f = tmp.resolve("gan.yaml");
        Files.writeString(f, RUN);
        Path out = tmp.resolve("run");
        Cli train = Cli.run("train", f.toString(), "--out", out.toString());
        assertEquals(0, train.status(), train.out() + train.err());
        for (String p : new String[] {"model/gan.json", "model/generator/model.json",
            "model/discriminator/model.json", "history.csv", "metrics.json", "curves.png",
            "samples.png", "samples/epoch-001.png", "samples/epoch-002.png"}) {
            assertTrue(Files.isRegularFile(out.resolve(p)), p + " in " + train.out());
        }
        String history = Files.readString(out.resolve("history.csv"));
        assertTrue(history.startsWith("epoch,d_loss,g_loss,d_real,d_fake"), history);
        assertEquals(3, history.strip().lines().count(), history);
        Path grid = tmp.resolve("grid.png");
        Cli sample = Cli.run("sample", out.resolve("model").toString(), "--n", "9", "--out",
                grid.toString());
        assertEquals(0, sample.status(), sample.out() + sample.err());
        var img = javax.imageio.ImageIO.read(grid.toFile());
        // 3 x 3 samples of 28 pixels drawn twice as large, 2-pixel gaps
        assertEquals(3 * 58 + 2, img.getWidth());
        assertEquals(3 * 58 + 2, img.getHeight());
    }

    @Test
    void aGeneratorThatDoesNotFitTheDiscriminatorIsOneMessageWithStatus2() throws IOException {
        Path f = tmp.resolve("gan.yaml");
        Files.writeString(f, RUN.replace("      - reshape: {target_shape: [1, 28, 28]}\n",
                ""));
        BadInputTest.assertCleanError(Cli.run("train", f.toString(), "--out",
                tmp.resolve("run").toString()), "gan.yaml:5: gan:", "the generator's output (784) does"
                + " not match the discriminator's input (1, 28, 28): end the generator with"
                + " reshape: {target_shape: [1, 28, 28]}, or give the discriminator input [784]");
        Files.writeString(f, RUN.replace("noise: 8", "noise: 0"));
        BadInputTest.assertCleanError(Cli.run("train", f.toString()), "gan.yaml:5:",
                "gan.noise: expected a positive number");
        BadInputTest.assertCleanError(Cli.run("sample", tmp.toString()), "gan.json",
                "not a saved GAN");
    }
}
