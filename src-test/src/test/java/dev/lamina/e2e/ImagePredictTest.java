package dev.lamina.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lamina train} on a folder of class folders (images:DIR), then {@code lamina predict
 * --data image:PATH}: the top classes by name, with probabilities.
 */
class ImagePredictTest {
    @TempDir
    static Path tmp;

    static Path runDir;
    static Cli train;

    /** A 10x8 PNG of mostly one primary colour (0 red, 1 green, 2 blue), with noise. */
    static Path png(Path file, int colour, Random r) throws IOException {
        BufferedImage img = new BufferedImage(10, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 10; x++) {
                int[] rgb = {r.nextInt(70), r.nextInt(70), r.nextInt(70)};
                rgb[colour] += 170;
                img.setRGB(x, y, rgb[0] << 16 | rgb[1] << 8 | rgb[2]);
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    @BeforeAll
    static void trainOnColours() throws IOException {
        Random r = new Random(1);
        List<String> classes = List.of("red", "green", "blue");
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 8; i++) {
                png(tmp.resolve("colours").resolve(classes.get(c)).resolve(i + ".png"), c, r);
            }
        }
        png(tmp.resolve("a red one.png"), 0, r);
        Path run = Files.writeString(tmp.resolve("colours.yaml"), "name: colours\nseed: 3\n"
                + "data: {train: 'images:" + tmp.resolve("colours") + "'}\n"
                + "model: {input: [3, 4, 4], layers: [flatten, {dense: {units: 3}}]}\n"
                + "compile: {optimizer: {adam: {learning_rate: 0.05}}, loss: softmax_cross_entropy}\n"
                + "fit: {epochs: 10, batch_size: 8}\n");
        runDir = tmp.resolve("run");
        train = Cli.run("train", run.toString(), "--out", runDir.toString());
    }

    @Test
    void predictNamesTheMostProbableClasses() throws IOException {
        assertEquals(0, train.status(), train.err());
        assertTrue(Files.readString(runDir.resolve("model/model.json")).contains("\"class_names\""));
        Cli p = Cli.run("predict", runDir.resolve("model").toString(), "--data",
                "image:" + tmp.resolve("a red one.png"));
        assertEquals(0, p.status(), p.err());
        List<String> lines = p.out().lines().toList();
        assertEquals("rank,class,name,probability", lines.get(0));
        assertEquals(4, lines.size(), "three classes, fewer than five: " + p.out());
        assertTrue(lines.get(1).startsWith("1,2,red,"), "classes sorted by name, red first: "
                + p.out());
        double sum = 0;
        double last = 1;
        for (String l : lines.subList(1, 4)) {
            double prob = Double.parseDouble(l.split(",")[3]);
            assertTrue(prob <= last, "most probable first: " + p.out());
            last = prob;
            sum += prob;
        }
        assertEquals(1, sum, 1e-5, "a softmax of the logits: " + p.out());
        Cli two = Cli.run("predict", runDir.resolve("model").toString(), "--data",
                "image:" + tmp.resolve("a red one.png"), "--top", "2");
        assertEquals(3, two.out().lines().count(), two.out());
    }

    @Test
    void otherDataStillGivesTheCsvOfPredictions() {
        Cli p = Cli.run("predict", runDir.resolve("model").toString(), "--data",
                "images:" + tmp.resolve("colours"), "--limit", "2");
        assertEquals(0, p.status(), p.err());
        assertEquals("index,predicted,score,label", p.out().lines().findFirst().orElse(""));
    }

    @Test
    void aMissingOrBrokenImageIsOneLineAndStatus2() throws IOException {
        Path fake = Files.writeString(tmp.resolve("fake.png"), "not a picture");
        for (String source : List.of("image:" + tmp.resolve("cat.png"), "image:" + fake)) {
            Cli c = Cli.run("predict", runDir.resolve("model").toString(), "--data", source);
            assertEquals(2, c.status(), c.out() + c.err());
            assertEquals(1, c.err().strip().lines().count(), "one line: " + c.err());
            assertFalse(c.err().contains("\tat "), c.err());
        }
    }
}
