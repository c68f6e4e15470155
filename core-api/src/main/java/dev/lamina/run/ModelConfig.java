package dev.lamina.run;

import ai.djl.ndarray.types.Shape;
import dev.lamina.Model;
import dev.lamina.Sequential;
import dev.lamina.spec.ConfigException;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.Layers;
import dev.lamina.spec.Names;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code model:} section of a run file into a model (not yet built):
 *
 * <pre>
 * model:
 *   input: [1, 28, 28]
 *   layers:
 *     - conv2d: {filters: 6, kernel_size: 5, padding: same, activation: relu}
 *     - flatten
 *     - dense: {units: 10, name: logits}
 * </pre>
 *
 * A layer is a bare type name or a one-key map {type: settings}; {@code name} among the settings
 * names the layer. A shape mismatch is reported at the layer's line.
 */
public final class ModelConfig {
    private static final Set<String> SEQUENTIAL_KEYS = Set.of("input", "layers");

    private ModelConfig() {}

    /** Builds the model described by {@code node}, named {@code name}. */
    public static Model parse(ConfigNode node, String name) {
        Map<String, ConfigNode> m = node.asMap();
        for (Map.Entry<String, ConfigNode> e : m.entrySet()) {
            if (!SEQUENTIAL_KEYS.contains(e.getKey())) {
                throw e.getValue().error("model has no setting '" + e.getKey() + "'."
                        + Names.didYouMean(e.getKey(), SEQUENTIAL_KEYS)
                        + " A sequential model has: input, layers");
            }
        }
        ConfigNode input = m.get("input");
        if (input == null || input.isNull()) {
            throw node.error("model needs 'input', the shape of one sample, such as [1, 28, 28]");
        }
        Shape shape = shape(input);
        ConfigNode layers = m.get("layers");
        if (layers == null || layers.isNull() || layers.asList().isEmpty()) {
            throw node.error("model needs 'layers', a list such as [flatten, {dense: {units: 10}}]");
        }
        Sequential seq = new Sequential(name).input(shape);
        for (ConfigNode item : layers.asList()) {
            String layerName = null;
            ConfigNode spec = item;
            if (item.isMap() && item.asMap().size() == 1) {
                Map.Entry<String, ConfigNode> only = item.asMap().entrySet().iterator().next();
                ConfigNode settings = only.getValue();
                if (settings.isMap() && settings.asMap().containsKey("name")) {
                    layerName = settings.asMap().get("name").asString();
                    Map<String, ConfigNode> rest = new LinkedHashMap<>(settings.asMap());
                    rest.remove("name");
                    spec = ConfigNode.map(Map.of(only.getKey(),
                            ConfigNode.map(rest, settings.file(), settings.line(), settings.path())),
                            item.file(), item.line(), item.path());
                }
            }
            LayerSpec layer = Layers.parse(spec);
            try {
                seq.add(layerName, layer);
            } catch (IllegalArgumentException e) {
                if (e instanceof ConfigException) {
                    throw e;
                }
                throw item.error(e.getMessage());
            }
        }
        return seq;
    }

    /** A per-sample shape: a list of positive integers (or one integer). */
    public static Shape shape(ConfigNode node) {
        if (!node.isList()) {
            long d = node.asLong();
            if (d <= 0) {
                throw node.error("expected a positive size, got " + d);
            }
            return new Shape(d);
        }
        List<ConfigNode> dims = node.asList();
        long[] out = new long[dims.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = dims.get(i).asLong();
            if (out[i] <= 0) {
                throw dims.get(i).error("expected positive sizes (per sample, no batch axis), got "
                        + out[i]);
            }
        }
        return new Shape(out);
    }
}
