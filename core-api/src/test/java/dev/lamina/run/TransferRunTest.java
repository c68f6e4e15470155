package dev.lamina.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.lamina.Model;
import dev.lamina.engine.Backend;
import dev.lamina.spec.ConfigException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Transfer learning from a run file: a model trained on images:DIR, then loaded with a new head
 * and a frozen base ({@code model: {load, head, freeze}}) and trained on other classes.
 */
class TransferRunTest {
    @TempDir Path dir;

    /** {@code classes.size()} folders of 6x6 PNGs, each class one main colour with noise. */
    static Path images(Path root, List<String> classes, int perClass) throws IOException {
        Random r = new Random(classes.size());
        for (int c = 0; c < classes.size(); c++) {
            Path folder = Files.createDirectories(root.resolve(classes.get(c)));
            for (int i = 0; i < perClass; i++) {
                BufferedImage img = new BufferedImage(6, 6, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 6; y++) {
                    for (int x = 0; x < 6; x++) {
                        int[] rgb = {r.nextInt(60), r.nextInt(60), r.nextInt(60)};
                        rgb[c % 3] += 180 + (c / 3) * 10;
                        img.setRGB(x, y, rgb[0] << 16 | rgb[1] << 8 | rgb[2]);
                    }
                }
                ImageIO.write(img, "png", folder.resolve(i + ".png").toFile());
            }
        }
        return root;
    }

    static String base(Path images, String engine) {
        return "name: base\nengine: " + engine + "\nseed: 7\n"
                + "data: {train: 'images:" + images + "'}\n"
                + "model:\n"
                + "  input: [3, 4, 4]\n"
                + "  layers:\n"
                + "    - conv2d: {filters: 2, kernel_size: 3, name: conv}\n"
                + "    - batch_norm\n"
                + "    - flatten\n"
                + "    - dense: {units: 3}\n"
                + "compile: {optimizer: {adam: {learning_rate: 0.01}}, loss: softmax_cross_entropy}\n"
                + "fit: {epochs: 2, batch_size: 4}\n";
    }

    static List<float[]> weights(Model m, String layer) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : m.layerBlock(layer).getParameters()) {
            out.add(p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    private Path write(String name, String yaml) throws IOException {
        return Files.writeString(dir.resolve(name), yaml);
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void aSavedModelGetsANewHeadAndAFrozenBaseFromTheRunFile(String engine) throws IOException {
        String e = engine.toLowerCase();
        Path colours = images(dir.resolve("colours"), List.of("blue", "green", "red"), 4);
        Path baseDir = dir.resolve("runs/base");
        try (Run.Result r = Run.load(write("base.yaml", base(colours, e))).directory(baseDir)
                .train()) {
            assertEquals(List.of("blue", "green", "red"), r.model().classNames());
        }
        Path pairs = images(dir.resolve("pairs"), List.of("dark", "light"), 4);
        Path fine = write("fine.yaml", "name: fine\nengine: " + e + "\nseed: 7\n"
                + "data: {train: 'images:" + pairs + "'}\n"
                + "model: {load: " + baseDir.resolve("model") + ", head: {classes: 2},"
                + " freeze: [conv, batch]}\n"
                + "compile: {optimizer: {adam: {learning_rate: 0.01}}, loss: softmax_cross_entropy}\n"
                + "fit: {epochs: 2, batch_size: 4}\n");
        try (Model saved = Model.load(baseDir.resolve("model"), Backend.of(e));
                Run.Result r = Run.load(fine).directory(dir.resolve("runs/fine")).train()) {
            Model m = r.model();
            assertEquals(List.of(new Shape(2)), m.outputShapes());
            assertTrue(m.isFrozen("conv") && m.isFrozen("batch_norm"));
            assertFalse(m.isFrozen("dense"));
            for (String l : List.of("conv", "batch_norm")) {
                List<float[]> a = weights(saved, l);
                List<float[]> b = weights(m, l);
                for (int i = 0; i < a.size(); i++) {
                    assertArrayEquals(a.get(i), b.get(i), l + " weight " + i + " moved");
                }
            }
            assertEquals(List.of("dark", "light"), m.classNames());
            try (Model back = Model.load(dir.resolve("runs/fine/model"), Backend.of(e))) {
                assertEquals(List.of("dark", "light"), back.classNames());
            }
        }
    }

    @Test
    void freezingAndAHeadInTheArchitectureItself() throws IOException {
        Path colours = images(dir.resolve("colours"), List.of("blue", "green", "red", "white"), 2);
        String yaml = base(colours, "pytorch").replace("  input: [3, 4, 4]\n",
                "  input: [3, 4, 4]\n  freeze: conv\n  head: {classes: 4}\n");
        try (Model m = RunConfigTest.parse(yaml).model(Backend.of("pytorch"))) {
            assertEquals(List.of(new Shape(4)), m.outputShapes());
            assertTrue(m.isFrozen("conv"));
            assertFalse(m.isFrozen("batch_norm"));
        }
    }

    @Test
    void mistakesAreReportedAtTheirLine() throws IOException {
        Path colours = images(dir.resolve("colours"), List.of("a", "b", "c"), 1);
        String ok = base(colours, "pytorch");
        String freeze = RunConfigTest.error(ok.replace("  input: [3, 4, 4]\n",
                "  input: [3, 4, 4]\n  freeze: [conv, batchnorm]\n")).getMessage();
        assertTrue(freeze.contains("run.yaml:7") && freeze.contains("'batchnorm'")
                && freeze.contains("Did you mean 'batch_norm'?"), freeze);
        String head = RunConfigTest.error(ok.replace("  input: [3, 4, 4]\n",
                "  input: [3, 4, 4]\n  head: {clases: 2}\n")).getMessage();
        assertTrue(head.contains("run.yaml:7") && head.contains("classes"), head);
        String both = RunConfigTest.error(ok.replace("model:\n", "model:\n  load: runs/x/model\n"))
                .getMessage();
        assertTrue(both.contains("load takes the architecture from the saved model"), both);
        RunConfig missing = RunConfigTest.parse(ok.replaceAll("(?s)model:.*compile:",
                "model: {load: " + dir.resolve("nothing") + "}\ncompile:"));
        String m = assertThrows(ConfigException.class,
                () -> missing.model(Backend.of("pytorch"))).getMessage();
        assertTrue(m.contains("run.yaml:5") && m.contains("cannot load the model to start from")
                && m.contains("nothing"), m);
    }
}
