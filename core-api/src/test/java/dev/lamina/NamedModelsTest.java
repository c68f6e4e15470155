package dev.lamina;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lamina.spec.ConfigException;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.Yaml;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code model: {zoo: NAME}} in the core alone: the core knows no zoo model, and says where they
 * come from; {@link Yaml#write} writes what {@link Yaml#read} reads.
 */
class NamedModelsTest {
    static Model read(String yaml) {
        return ModelFormat.read(Yaml.read(yaml, "run.yaml").asMap().get("model"), "run");
    }

    @Test
    void withoutTheZooModuleAZooModelIsRefusedWithWhereToFindIt() {
        assertEquals(List.of(), List.copyOf(NamedModels.catalog().names()));
        ConfigException e = assertThrows(ConfigException.class,
                () -> read("model: {zoo: vgg11, classes: 10}\n"));
        assertEquals("run.yaml:1: model.zoo: unknown zoo model 'vgg11': no zoo is on the class"
                + " path (the zoo is the lamina-zoo module, which the lamina command includes; add"
                + " it to your dependencies)", e.getMessage());
    }

    @Test
    void aZooKeyNeedsAName() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> read("model:\n  zoo: [vgg11]\n"));
        assertEquals("run.yaml:2: model.zoo: 'zoo' names a model of the zoo, such as"
                + " {zoo: vgg11, classes: 10, input: [1, 32, 32]}", e.getMessage());
    }

    @Test
    void aMisspeltZooKeyIsRefusedWithADidYouMean() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> read("model:\n  zooo: vgg11\n"));
        assertEquals("run.yaml:2: model.zooo: model has no setting 'zooo'. Did you mean 'zoo'? A"
                + " sequential model has: input, layers; a graph has: inputs, graph, outputs; a"
                + " model of the zoo has: zoo, and its settings", e.getMessage());
    }

    @Test
    void writtenYamlReadsBack() {
        Map<String, Object> shared = Map.of("seed", 3);
        Object plain = Map.of("model", Map.of("input", List.of(3, 32, 32),
                "a", shared, "b", shared, "rate", 0.5, "on", true, "name", "x"));
        String text = Yaml.write(plain);
        ConfigNode back = Yaml.read(text, "w.yaml");
        Map<String, ConfigNode> m = back.asMap().get("model").asMap();
        assertEquals(List.of(3L, 32L, 32L),
                m.get("input").asList().stream().map(ConfigNode::asLong).toList());
        assertEquals(3, m.get("b").asMap().get("seed").asInt()); // written out, not an alias
        assertEquals(0.5, m.get("rate").asDouble());
        assertEquals(true, m.get("on").asBoolean());
        assertEquals("x", m.get("name").asString());
        assertEquals(false, text.contains("&"), text);
    }
}
