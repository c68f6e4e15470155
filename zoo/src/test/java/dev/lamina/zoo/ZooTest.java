package dev.lamina.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import dev.lamina.Model;
import dev.lamina.ModelFormat;
import dev.lamina.NamedModels;
import dev.lamina.Sequential;
import dev.lamina.spec.ConfigException;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.Yaml;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Zoo.load, its options and errors, and the run file's {@code model: {zoo: NAME}}. */
class ZooTest {
    static Model read(String yaml) {
        ConfigNode root = Yaml.read(yaml, "run.yaml");
        return ModelFormat.read(root.asMap().get("model"), "run");
    }

    @Test
    void namesAreListedInOrderAndRegisteredWithTheCore() {
        List<String> expected = List.of("lenet5", "alexnet", "alexnet_no_lrn", "vgg11", "vgg13",
                "vgg16", "vgg19", "vgg11_bn", "vgg13_bn", "vgg16_bn", "vgg19_bn", "resnet18",
                "resnet34", "resnet50", "googlenet");
        assertEquals(expected, List.copyOf(Zoo.names()));
        assertEquals(Set.copyOf(expected), NamedModels.catalog().names());
    }

    @Test
    void optionsOverrideTheDefaults() {
        try (Model m = Zoo.load("vgg11", ZooOptions.defaults().withClasses(10)
                .withInput(1, 32, 32))) {
            assertEquals(List.of(new Shape(1, 32, 32)), m.inputShapes());
            assertEquals(List.of(new Shape(10)), m.outputShapes());
        }
        try (Model m = Zoo.load("resnet50")) {
            assertEquals(List.of(new Shape(3, 224, 224)), m.inputShapes());
            assertEquals(List.of(new Shape(1000)), m.outputShapes());
        }
    }

    @Test
    void lenet5IsExamplesLenetYaml() throws IOException {
        ConfigNode root = Yaml.read(Path.of("..", "examples", "lenet.yaml"));
        try (Model file = ModelFormat.read(root.asMap().get("model"), "lenet");
                Model zoo = Zoo.load("lenet5")) {
            assertEquals(specs(file), specs(zoo));
            assertEquals(((Sequential) file).inputShape(), ((Sequential) zoo).inputShape());
        }
    }

    static List<LayerSpec> specs(Model m) {
        return ((Sequential) m).layers().stream().map(Sequential.Entry::spec).toList();
    }

    @Test
    void unknownNamesAreRefusedWithADidYouMean() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Zoo.load("vgg_16"));
        assertEquals("unknown zoo model 'vgg_16'. Did you mean 'vgg16'? Known: lenet5, alexnet,"
                + " alexnet_no_lrn, vgg11, vgg13, vgg16, vgg19, vgg11_bn, vgg13_bn, vgg16_bn,"
                + " vgg19_bn, resnet18, resnet34, resnet50, googlenet", e.getMessage());
    }

    @Test
    void badSettingsNameTheModelAndTheSetting() {
        SpecException e = assertThrows(SpecException.class,
                () -> Zoo.load("vgg16", ZooOptions.defaults().withClasses(0)));
        assertEquals("vgg16.classes: expected a positive number of classes, received classes=0",
                e.getMessage());
        e = assertThrows(SpecException.class,
                () -> Zoo.load("resnet18", ZooOptions.defaults().withInput(784)));
        assertEquals("resnet18.input: expected (channels, height, width), such as [3, 224, 224],"
                + " received input=[784]", e.getMessage());
        e = assertThrows(SpecException.class,
                () -> Zoo.load("vgg11", ZooOptions.defaults().withInput(1, 28, 28)));
        assertEquals("vgg11.input: vgg11 cannot take input [1, 28, 28] (default [3, 224, 224]):"
                + " layer 12 'block5_pool' (max_pool2d) cannot take input of shape"
                + " (None, 512, 1, 1): input (512, 1, 1) is too small for a max_pool2d window of 2"
                + " along axis 1 with padding 'valid'; it needs at least 2, got 1 (use padding"
                + " 'same' or a smaller window)", e.getMessage());
    }

    @Test
    void pretrainedIsRefusedUntilWeightsExist() {
        SpecException e = assertThrows(SpecException.class,
                () -> Zoo.load("vgg16", ZooOptions.defaults().withPretrained(true)));
        assertEquals("vgg16.pretrained: no pretrained weights for vgg16 in this build; leave out"
                + " pretrained (or set it to false) to start from random weights", e.getMessage());
    }

    @Test
    void aRunFileStartsFromAZooModel() {
        try (Model m = read("model: {zoo: vgg11, classes: 10, input: [1, 32, 32]}\n")) {
            assertEquals("vgg11", m.name());
            assertEquals(List.of(new Shape(1, 32, 32)), m.inputShapes());
            assertEquals(List.of(new Shape(10)), m.outputShapes());
        }
        try (Model m = read("model: {zoo: lenet5, pretrained: false}\n")) {
            assertEquals(61_706, m.countParameters());
        }
    }

    @Test
    void aRunFilesBadZooSettingsAreRefusedAtTheirLine() {
        assertEquals("run.yaml:2: model.zoo: unknown zoo model 'resnet51'. Did you mean"
                + " 'resnet50'? Known: alexnet, alexnet_no_lrn, googlenet, lenet5, resnet18,"
                + " resnet34, resnet50, vgg11, vgg11_bn, vgg13, vgg13_bn, vgg16, vgg16_bn, vgg19,"
                + " vgg19_bn",
                assertThrows(ConfigException.class,
                        () -> read("model:\n  zoo: resnet51\n")).getMessage());
        assertEquals("run.yaml:3: model.clases: 'resnet18' has no setting 'clases'. Did you mean"
                + " 'classes'? Settings of 'resnet18': classes, input, pretrained",
                assertThrows(ConfigException.class,
                        () -> read("model:\n  zoo: resnet18\n  clases: 10\n")).getMessage());
        assertEquals("run.yaml:3: model.classes: expected a positive number of classes,"
                + " received classes=-1",
                assertThrows(ConfigException.class,
                        () -> read("model:\n  zoo: resnet18\n  classes: -1\n")).getMessage());
        assertEquals("run.yaml:3: model.pretrained: no pretrained weights for googlenet in this"
                + " build; leave out pretrained (or set it to false) to start from random weights",
                assertThrows(ConfigException.class,
                        () -> read("model:\n  zoo: googlenet\n  pretrained: true\n")).getMessage());
        String tooSmall = assertThrows(ConfigException.class,
                () -> read("model:\n  zoo: alexnet\n  input: [3, 32, 32]\n")).getMessage();
        assertTrue(tooSmall.startsWith("run.yaml:3: model.input: alexnet cannot take input"
                + " [3, 32, 32] (default [3, 224, 224]): layer "), tooSmall);
    }

    @Test
    void theExportedYamlReadsBackToTheSameModel() {
        for (String name : List.of("lenet5", "resnet18", "googlenet", "vgg11_bn")) {
            try (Model m = Zoo.load(name, ZooOptions.defaults().withClasses(5)
                    .withInput(3, 32, 32))) {
                String yaml = Yaml.write(Map.of("model", m.architecture()));
                try (Model back = read(yaml)) {
                    assertEquals(m.architecture(), back.architecture(), name);
                    assertEquals(m.countParameters(), back.countParameters(), name);
                }
            }
        }
    }
}
