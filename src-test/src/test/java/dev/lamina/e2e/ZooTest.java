package dev.lamina.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.Model;
import dev.lamina.ModelFormat;
import dev.lamina.engine.Backend;
import dev.lamina.run.Run;
import dev.lamina.run.RunConfig;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.Yaml;
import dev.lamina.zoo.Zoo;
import dev.lamina.zoo.ZooOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The zoo end to end: {@code lamina zoo list|show|export}, a run file that starts from a zoo model
 * and trains, and bad names and settings (one line, exit 2, no stack trace).
 */
class ZooTest {
    static final String RUN = """
            name: zoo-run
            engine: ENGINE
            seed: 7
            data: {train: fashion-mnist-sample:train, limit: 48}
            model: {zoo: resnet18, classes: 10, input: [1, 28, 28]}
            compile: {optimizer: {sgd: {learning_rate: 0.01}}, loss: softmax_cross_entropy,
                      metrics: [accuracy]}
            fit: {epochs: 1, batch_size: 16}
            """;

    @TempDir
    Path tmp;

    static void assertCleanError(Cli c, String message) {
        assertEquals(2, c.status(), c.err());
        assertEquals("error: " + message + "\n", c.err().replace("\r\n", "\n"));
        assertEquals("", c.out());
    }

    @Test
    void listShowsEveryNameWithItsParametersAndDescription() {
        Cli c = Cli.run("zoo", "list");
        assertEquals(0, c.status(), c.err());
        List<String> lines = c.out().lines().toList();
        assertEquals(1 + Zoo.names().size(), lines.size(), c.out());
        assertEquals("NAME              PARAMETERS  INPUT        PRETRAINED     DESCRIPTION",
                lines.get(0));
        assertTrue(lines.contains("vgg16            138,357,544  3×224×224    -              VGG-16"
                + " (Simonyan and Zisserman 2014), configuration D"), c.out());
        assertTrue(lines.contains("resnet50          25,636,712  3×224×224    imagenet       ResNet-50"
                + " v1 (He et al. 2015), as Keras's ResNet50"), c.out());
        assertTrue(lines.contains("lenet5                61,706  1×28×28      fashion_mnist  LeNet-5"
                + " (LeCun et al. 1998), as examples/lenet.yaml"), c.out());
        for (String name : Zoo.names()) {
            assertTrue(c.out().contains("\n" + name + " "), name);
        }
    }

    @Test
    void showPrintsTheSummaryWithTotalParameters() {
        Cli c = Cli.run("zoo", "show", "lenet5");
        assertEquals(0, c.status(), c.err());
        assertTrue(c.out().startsWith("Model: \"lenet5\""), c.out());
        assertTrue(c.out().contains("Total params: 61,706\n"), c.out());
        c = Cli.run("zoo", "show", "resnet18", "--classes", "10", "--input", "1,28,28",
                "--engine", "mxnet");
        assertEquals(0, c.status(), c.err());
        try (Model m = Zoo.load("resnet18", ZooOptions.defaults().withClasses(10)
                .withInput(1, 28, 28))) {
            assertTrue(c.out().contains(String.format("Total params: %,d%n",
                    m.countParameters())), c.out());
        }
        assertTrue(c.out().contains("predictions (dense)"), c.out());
        assertTrue(c.out().contains("(None, 10)"), c.out());
    }

    @Test
    void exportWritesAModelSectionThatReadsBack() throws IOException {
        Cli c = Cli.run("zoo", "export", "resnet50", "--yaml");
        assertEquals(0, c.status(), c.err());
        ConfigNode root = Yaml.read(c.out(), "export.yaml");
        assertEquals(List.of("model"), List.copyOf(root.asMap().keySet()));
        try (Model back = ModelFormat.read(root.asMap().get("model"), "back");
                Model zoo = Zoo.load("resnet50")) {
            assertEquals(zoo.architecture(), back.architecture());
        }
        Path f = tmp.resolve("vgg11.yaml");
        c = Cli.run("zoo", "export", "vgg11", "--yaml", "--classes", "10", "--input", "1,32,32",
                "--out", f.toString());
        assertEquals(0, c.status(), c.err());
        assertEquals("wrote " + f + "\n", c.out().replace("\r\n", "\n"));
        try (Model back = ModelFormat.read(Yaml.read(f).asMap().get("model"), "back");
                Model zoo = Zoo.load("vgg11", ZooOptions.defaults().withClasses(10)
                        .withInput(1, 32, 32))) {
            assertEquals(zoo.architecture(), back.architecture());
        }
    }

    @Test
    void badNamesAndSettingsAreOneLineAndExit2() {
        assertCleanError(Cli.run("zoo", "show", "resnet51"), "unknown zoo model 'resnet51'."
                + " Did you mean 'resnet50'? Known: lenet5, alexnet, alexnet_no_lrn, vgg11,"
                + " vgg13, vgg16, vgg19, vgg11_bn, vgg13_bn, vgg16_bn, vgg19_bn, resnet18,"
                + " resnet34, resnet50, googlenet");
        assertCleanError(Cli.run("zoo", "export", "vgg_16", "--yaml"), "unknown zoo model"
                + " 'vgg_16'. Did you mean 'vgg16'? Known: lenet5, alexnet, alexnet_no_lrn, vgg11,"
                + " vgg13, vgg16, vgg19, vgg11_bn, vgg13_bn, vgg16_bn, vgg19_bn, resnet18,"
                + " resnet34, resnet50, googlenet");
        assertCleanError(Cli.run("zoo", "show", "vgg16", "--classes", "0"),
                "vgg16.classes: expected a positive number of classes, received classes=0");
        Cli c = Cli.run("zoo", "show", "vgg16", "--input", "3,x,32");
        assertEquals(2, c.status(), c.err());
        assertEquals("error: --input expects positive sizes C,H,W (channels first), such as"
                + " 3,224,224; received '3,x,32'\nsee 'lamina zoo show --help'\n",
                c.err().replace("\r\n", "\n"));
        c = Cli.run("zoo", "export", "vgg16");
        assertEquals(2, c.status(), c.err());
        assertEquals("error: choose the format: --yaml (the one this build writes)\nsee 'lamina"
                + " zoo export --help'\n", c.err().replace("\r\n", "\n"));
        assertCleanError(Cli.run("zoo", "show", "googlenet", "--input", "3,32"),
                "googlenet.input: expected (channels, height, width), such as [3, 224, 224],"
                + " received input=[3, 32]");
        c = Cli.run("zoo", "show", "alexnet", "--input", "3,32,32");
        assertEquals(2, c.status(), c.err());
        assertTrue(c.err().startsWith("error: alexnet.input: alexnet cannot take input"
                + " [3, 32, 32] (default [3, 224, 224]): layer "), c.err());
        assertFalse(c.err().contains("\tat "), c.err());
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void aRunFileStartingFromAZooModelTrains(String engine) throws IOException {
        Path f = tmp.resolve("run.yaml");
        Files.writeString(f, RUN.replace("ENGINE", engine.toLowerCase()));
        Path dir = tmp.resolve("out-" + engine);
        try (Run.Result r = Run.load(f).directory(dir).train()) {
            assertEquals(1, r.history().epochs());
            double loss = r.history().last("loss");
            assertTrue(Double.isFinite(loss), "loss " + loss);
            assertEquals("resnet18", r.model().name());
            try (Model back = Model.load(dir.resolve("model"), Backend.of(engine.toLowerCase(),
                    "cpu"))) {
                assertEquals(r.model().architecture(), back.architecture());
                assertEquals(r.model().countParameters(), back.countParameters());
            }
        }
    }

    @Test
    void theZooExampleIsResnet18OnTheSample() throws IOException {
        try (Model m = RunConfig.read(Path.of("../examples/zoo.yaml")).model();
                Model zoo = Zoo.load("resnet18", ZooOptions.defaults().withClasses(10)
                        .withInput(1, 28, 28))) {
            assertEquals(zoo.architecture(), m.architecture());
        }
    }

    @Test
    void aRunFileWithABadZooModelIsRefusedAtItsLine() throws IOException {
        Path f = tmp.resolve("bad.yaml");
        Files.writeString(f, RUN.replace("ENGINE", "pytorch")
                .replace("zoo: resnet18, classes: 10", "zoo: resnet18, clases: 10"));
        Cli c = Cli.run("train", f.toString(), "--out", tmp.resolve("o").toString());
        assertEquals(2, c.status(), c.err());
        assertEquals("error: " + f + ":5: model.clases: 'resnet18' has no setting 'clases'. Did"
                + " you mean 'classes'? Settings of 'resnet18': classes, input, pretrained\n",
                c.err().replace("\r\n", "\n"));
        Files.writeString(f, RUN.replace("ENGINE", "pytorch")
                .replace("zoo: resnet18, classes: 10", "zoo: vgg11, classes: 10"));
        c = Cli.run("train", f.toString(), "--out", tmp.resolve("o").toString());
        assertEquals(2, c.status(), c.err());
        assertTrue(c.err().startsWith("error: " + f + ":5: model.input: vgg11 cannot take input"
                + " [1, 28, 28] (default [3, 224, 224]): layer 12 'block5_pool' (max_pool2d)"),
                c.err());
        Files.writeString(f, RUN.replace("ENGINE", "pytorch")
                .replace("classes: 10", "classes: 10, pretrained: true"));
        c = Cli.run("train", f.toString(), "--out", tmp.resolve("o").toString());
        assertEquals(2, c.status(), c.err());
        assertEquals("error: " + f + ":5: model.pretrained: no pretrained weights for resnet18 in"
                + " this build; leave out pretrained (or set it to false) to start from random"
                + " weights\n", c.err().replace("\r\n", "\n"));
    }

    @Test
    void predictWithAZooModelWithoutWeightsSaysWhichHaveThem() {
        Cli c = Cli.run("predict", "zoo:vgg16", "--data", "fashion-mnist-sample:test");
        assertEquals(2, c.status(), c.out());
        assertEquals("error: zoo:vgg16 has no pretrained weights in this build, and a model with"
                + " random weights predicts nothing; 'lamina zoo list' shows the models with"
                + " weights (PRETRAINED column)", c.err().strip());
    }
}
