package dev.lamina;

import ai.djl.ndarray.types.Shape;
import dev.lamina.spec.ConfigException;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.Input;
import dev.lamina.spec.Layer;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.LayerTypes;
import dev.lamina.spec.Names;
import dev.lamina.spec.Node;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The model format, and its one reader: the {@code model:} section of a run file and the {@code
 * architecture} of a saved {@code model.json} are the same thing, read here into a model (not
 * yet built). {@link Sequential#architecture()} and {@link Functional#architecture()} write it.
 * A Sequential model:
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
 * names the layer. A shape mismatch is reported at the layer's line. A graph has {@code inputs},
 * {@code graph} and {@code outputs} instead (see {@link #graph}). Files saved by Lamina 0.1.0
 * (format version 1) tag the kind with {@code class} and list a Sequential's layers as {@code
 * {name, layer}}; they are read too.
 *
 * <p>A run file may also start from a named model of the zoo: {@code model: {zoo: vgg11, classes:
 * 10, input: [1, 32, 32]}} ({@link NamedModels}, filled by {@link ModelProvider}s; the core knows no
 * name itself). The model it makes writes its full architecture, so a saved one loads without the
 * zoo.
 */
public final class ModelFormat {
    private static final Set<String> MODEL_KEYS = Set.of("input", "layers", NamedModels.KEY);
    private static final Set<String> GRAPH_KEYS = Set.of("inputs", "graph", "outputs");

    private ModelFormat() {}

    /** Builds the model described by {@code node}, named {@code name}. */
    public static Model read(ConfigNode node, String name) {
        Map<String, ConfigNode> m = node.asMap();
        if (m.containsKey("class")) {
            return version1(node, name);
        }
        if (m.containsKey(NamedModels.KEY)) {
            return NamedModels.read(node);
        }
        if (m.containsKey("graph") || m.containsKey("inputs") || m.containsKey("outputs")) {
            return graph(node, name);
        }
        node.allowKeys("model", MODEL_KEYS,
                "A sequential model has: input, layers; a graph has: inputs, graph, outputs; a model of"
                        + " the zoo has: zoo, and its settings");
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
            LayerSpec layer = LayerTypes.parse(spec);
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

    /**
     * Reads a functional model:
     *
     * <pre>
     * inputs: {image: [1, 28, 28]}
     * graph:
     *   - c1: {conv2d: {filters: 16, kernel_size: 3, padding: same}, from: image}
     *   - sum: {add: {}, from: [image, c1]}
     *   - c3: {share: c1, from: sum}       # the same layer (weights) as c1
     * outputs: [sum]
     * </pre>
     */
    public static Model graph(ConfigNode node, String name) {
        Map<String, ConfigNode> m = node.asMap();
        node.allowKeys("a graph model", GRAPH_KEYS, "It has: inputs, graph, outputs");
        for (String k : List.of("inputs", "graph", "outputs")) {
            if (!m.containsKey(k) || m.get(k).isNull()) {
                throw node.error("a graph model needs '" + k + "', such as " + switch (k) {
                    case "inputs" -> "inputs: {image: [1, 28, 28]}";
                    case "graph" -> "graph: [{out: {dense: {units: 10}, from: image}}]";
                    default -> "outputs: [out]";
                });
            }
        }
        Graph g = new Graph();
        List<Node> inputs = new ArrayList<>();
        for (Map.Entry<String, ConfigNode> e : m.get("inputs").asMap().entrySet()) {
            Node in = Input.of(e.getKey(), shape(e.getValue()));
            inputs.add(in);
            g.resolved.put(e.getKey(), in);
        }
        if (inputs.isEmpty()) {
            throw m.get("inputs").error("a graph model needs at least one input");
        }
        for (ConfigNode item : m.get("graph").asList()) {
            Map<String, ConfigNode> one = item.asMap();
            if (one.size() != 1) {
                throw item.error("a graph node is {name: {type: {settings}, from: input}}, got keys "
                        + one.keySet());
            }
            Map.Entry<String, ConfigNode> e = one.entrySet().iterator().next();
            if (g.entries.containsKey(e.getKey()) || g.resolved.containsKey(e.getKey())) {
                throw item.error("two nodes are named '" + e.getKey() + "': give each a unique name");
            }
            g.entries.put(e.getKey(), e.getValue());
        }
        List<Node> outputs = new ArrayList<>();
        ConfigNode outs = m.get("outputs");
        for (ConfigNode o : outs.isList() ? outs.asList() : List.of(outs)) {
            String n = o.asString();
            if (!g.entries.containsKey(n) && !g.resolved.containsKey(n)) {
                throw o.error("output '" + n + "' is not a node of the graph."
                        + Names.didYouMean(n, g.entries.keySet()));
            }
            outputs.add(g.resolve(n, o));
        }
        for (Map.Entry<String, ConfigNode> e : g.entries.entrySet()) {
            if (!g.resolved.containsKey(e.getKey())) {
                throw e.getValue().error("node '" + e.getKey() + "' feeds no output: use it, or"
                        + " remove it");
            }
        }
        try {
            return new Functional(name, inputs, outputs);
        } catch (IllegalArgumentException e) {
            if (e instanceof ConfigException) {
                throw e;
            }
            Matcher at = Pattern.compile("node '([^']+)'")
                    .matcher(e.getMessage());
            ConfigNode where = at.find() && g.entries.containsKey(at.group(1))
                    ? g.entries.get(at.group(1)) : node;
            throw where.error(e.getMessage());
        }
    }

    /** Resolves graph nodes by name, depth first, refusing cycles and unknown names. */
    private static final class Graph {
        final Map<String, ConfigNode> entries = new LinkedHashMap<>();
        final Map<String, Node> resolved = new LinkedHashMap<>();
        final Map<String, Layer> layers = new LinkedHashMap<>();
        final Deque<String> visiting = new ArrayDeque<>();

        Node resolve(String name, ConfigNode from) {
            Node done = resolved.get(name);
            if (done != null) {
                return done;
            }
            ConfigNode body = entries.get(name);
            if (body == null) {
                Set<String> known = new TreeSet<>(entries.keySet());
                known.addAll(resolved.keySet());
                throw from.error("'" + name + "' is not an input or a node of the graph."
                        + Names.didYouMean(name, known) + " Known: " + known);
            }
            if (visiting.contains(name)) {
                List<String> cycle = new ArrayList<>(visiting);
                Collections.reverse(cycle);
                cycle = cycle.subList(cycle.indexOf(name), cycle.size());
                throw body.error("the graph has a cycle: " + String.join(" -> ", cycle) + " -> "
                        + name);
            }
            visiting.push(name);
            Map<String, ConfigNode> b = body.asMap();
            ConfigNode fromNode = b.get("from");
            if (fromNode == null || fromNode.isNull()) {
                throw body.error("node '" + name + "' needs 'from', the node or input it takes");
            }
            List<Node> args = new ArrayList<>();
            for (ConfigNode f : fromNode.isList() ? fromNode.asList() : List.of(fromNode)) {
                args.add(resolve(f.asString(), f));
            }
            List<String> rest = new ArrayList<>(b.keySet());
            rest.remove("from");
            Layer layer;
            if (rest.size() == 1 && rest.get(0).equals("share")) {
                String other = b.get("share").asString();
                if (!entries.containsKey(other)) {
                    throw b.get("share").error("'share' names node '" + other + "', which is not a"
                            + " node of the graph." + Names.didYouMean(other, entries.keySet()));
                }
                resolve(other, b.get("share"));
                layer = layers.get(other);
            } else if (rest.size() == 1) {
                String type = rest.get(0);
                ConfigNode spec = ConfigNode.map(Map.of(type, b.get(type)), body.file(), body.line(),
                        body.path());
                layer = Layer.of(name, LayerTypes.parse(spec));
            } else {
                throw body.error("node '" + name + "' needs one layer type (or 'share: NODE')"
                        + " beside 'from', got " + rest);
            }
            Node n = layer.on(name, args.toArray(new Node[0]));
            layers.putIfAbsent(name, layer);
            visiting.pop();
            resolved.put(name, n);
            return n;
        }
    }

    /** An architecture as Lamina 0.1.0 saved it (format version 1). */
    private static Model version1(ConfigNode arch, String name) {
        Map<String, ConfigNode> a = new LinkedHashMap<>(arch.asMap());
        String kind = a.remove("class").asString();
        ConfigNode rest = ConfigNode.map(a, arch.file(), arch.line(), arch.path());
        if (kind.equals("functional")) {
            return graph(rest, name);
        }
        if (!kind.equals("sequential")) {
            throw arch.error("unknown model class '" + kind
                    + "' (this Lamina reads: sequential, functional)");
        }
        ConfigNode in = a.get("input");
        ConfigNode layers = a.get("layers");
        if (in == null || layers == null) {
            throw arch.error("a sequential model needs 'input' and 'layers'");
        }
        Sequential seq = new Sequential(name).input(shape(in));
        for (ConfigNode l : layers.asList()) {
            Map<String, ConfigNode> entry = l.asMap();
            seq.add(entry.containsKey("name") ? entry.get("name").asString() : null,
                    LayerTypes.parse(entry.get("layer")));
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
