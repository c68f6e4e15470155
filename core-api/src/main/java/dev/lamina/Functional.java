package dev.lamina;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.lamina.graph.GraphModels;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.Layer;
import dev.lamina.spec.Names;
import dev.lamina.spec.Node;
import dev.lamina.spec.ShapeException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model made of a graph of layers applied to symbolic tensors, as Keras's functional API:
 *
 * <pre>{@code
 * Node image = Input.of("image", 1, 28, 28);
 * Node c1 = Layer.of("c1", new Conv2d(16, 3, 1, "same", "relu")).on(image);
 * Node c2 = Layer.of("c2", new Conv2d(16, 3, 1, "same", null)).on(c1);
 * Node sum = Layer.of("sum", Merge.add()).on(c1, c2);
 * Node out = Layer.of("out", new Dense(10)).on(Layer.of(new Flatten()).on(sum));
 * Functional model = new Functional("resnet-ish", List.of(image), List.of(out));
 * }</pre>
 *
 * Several inputs and outputs are allowed (a loss per output, with weights, at compile time). The
 * graph is checked when the model is made: an output that needs an input the model does not list,
 * an input no output uses, duplicate names, and a shared layer fed different shapes are refused
 * with the node names; every shape is inferred before any engine call.
 */
public final class Functional extends Model {
    private final List<Node> inputs;
    private final List<Node> outputs;
    private final List<Node> order = new ArrayList<>(); // non-input nodes, topological
    private final Map<Node, String> nodeNames = new IdentityHashMap<>();
    private final Map<Layer, String> layerNames = new IdentityHashMap<>();
    private final Map<Node, List<Shape>> shapes = new IdentityHashMap<>();
    private final Map<Layer, Block> blocks = new IdentityHashMap<>();

    /** A model from {@code inputs} to {@code outputs}. */
    public Functional(String name, List<Node> inputs, List<Node> outputs) {
        super(name);
        if (inputs == null || inputs.isEmpty()) {
            throw new IllegalArgumentException("model '" + name + "' needs at least one input");
        }
        if (outputs == null || outputs.isEmpty()) {
            throw new IllegalArgumentException("model '" + name + "' needs at least one output");
        }
        for (Node n : inputs) {
            if (!n.isInput()) {
                throw new IllegalArgumentException("model '" + name + "': inputs must be made with"
                        + " Input.of(...), got " + n);
            }
        }
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        sort();
        nameNodes();
        inferShapes();
    }

    /** Orders the nodes so each comes after its inputs, and checks inputs are used and listed. */
    private void sort() {
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Node> reachedInputs = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Node out : outputs) {
            visit(out, seen, reachedInputs, out);
        }
        for (Node in : inputs) {
            if (!reachedInputs.contains(in)) {
                throw new IllegalArgumentException("model '" + name() + "': input '" + in.name()
                        + "' feeds no output (a dangling input): use it, or leave it out of the"
                        + " model's inputs");
            }
        }
    }

    private void visit(Node n, Set<Node> seen, Set<Node> reachedInputs, Node output) {
        if (!seen.add(n)) {
            return;
        }
        if (n.isInput()) {
            if (!inputs.contains(n)) {
                throw new IllegalArgumentException("model '" + name() + "': output '"
                        + nameOf(output) + "' depends on input '" + n.name() + "', which is not"
                        + " among the model's inputs " + names(inputs));
            }
            reachedInputs.add(n);
            return;
        }
        for (Node from : n.inputs()) {
            visit(from, seen, reachedInputs, output);
        }
        order.add(n);
    }

    private static String nameOf(Node n) {
        return n.name() == null ? n.layer().spec().type() : n.name();
    }

    private static List<String> names(List<Node> nodes) {
        List<String> out = new ArrayList<>();
        nodes.forEach(n -> out.add(nameOf(n)));
        return out;
    }

    private void nameNodes() {
        Set<String> taken = new HashSet<>();
        for (Node n : inputs) {
            if (!taken.add(n.name())) {
                throw new IllegalArgumentException("model '" + name() + "' has two inputs named '"
                        + n.name() + "': give each input a unique name");
            }
            nodeNames.put(n, n.name());
        }
        for (Node n : order) {
            if (n.name() != null) {
                if (!taken.add(n.name())) {
                    throw new IllegalArgumentException("model '" + name() + "' has two nodes named '"
                            + n.name() + "': give each layer a unique name");
                }
                nodeNames.put(n, n.name());
            }
        }
        Map<String, Integer> counts = new HashMap<>();
        for (Node n : order) {
            if (!nodeNames.containsKey(n)) {
                String type = n.layer().spec().type();
                String candidate;
                do {
                    int k = counts.merge(type, 1, Integer::sum) - 1;
                    candidate = k == 0 ? type : type + "_" + k;
                } while (taken.contains(candidate));
                taken.add(candidate);
                nodeNames.put(n, candidate);
            }
            layerNames.putIfAbsent(n.layer(),
                    n.layer().name() != null ? n.layer().name() : nodeNames.get(n));
        }
    }

    private void inferShapes() {
        for (Node n : inputs) {
            shapes.put(n, List.of(n.inputShape()));
        }
        Map<Layer, List<Shape>> firstUse = new IdentityHashMap<>();
        Map<Layer, Node> firstNode = new IdentityHashMap<>();
        for (Node n : order) {
            List<Shape> in = new ArrayList<>();
            n.inputs().forEach(from -> in.addAll(shapes.get(from)));
            List<Shape> before = firstUse.putIfAbsent(n.layer(), in);
            if (before != null && !before.equals(in)) {
                throw new ShapeException("node '" + nodeNames.get(n) + "' shares the layer of '"
                        + nodeNames.get(firstNode.get(n.layer())) + "', which took " + before
                        + ", but gets " + in + ": a shared layer needs the same input shapes");
            }
            firstNode.putIfAbsent(n.layer(), n);
            try {
                shapes.put(n, n.layer().spec().outputShapes(in));
            } catch (ShapeException e) {
                List<String> from = new ArrayList<>();
                n.inputs().forEach(x -> from.add(nodeNames.get(x)));
                throw new ShapeException("node '" + nodeNames.get(n) + "' (" + n.layer().spec().type()
                        + ") from " + from + " cannot take input of shape "
                        + shapeList(in) + ": " + e.getMessage());
            }
        }
    }

    private static String shapeList(List<Shape> in) {
        List<String> s = new ArrayList<>();
        in.forEach(x -> s.add(Summary.shape(x)));
        return in.size() == 1 ? s.get(0) : s.toString();
    }

    /** The per-sample output shape of the node named {@code nodeName}. */
    public Shape nodeShape(String nodeName) {
        for (Map.Entry<Node, String> e : nodeNames.entrySet()) {
            if (e.getValue().equals(nodeName)) {
                return shapes.get(e.getKey()).get(0);
            }
        }
        throw new IllegalArgumentException("model '" + name() + "' has no node '" + nodeName + "'."
                + Names.didYouMean(nodeName, nodeNames.values()));
    }

    /** The model's inputs. */
    public List<Node> inputs() {
        return inputs;
    }

    /** The model's outputs. */
    public List<Node> outputs() {
        return outputs;
    }

    /** The name the model gave a node. */
    public String nodeName(Node n) {
        return nodeNames.get(n);
    }

    /** The names of the output nodes, in order. */
    @Override
    public List<String> outputNames() {
        List<String> out = new ArrayList<>();
        outputs.forEach(o -> out.add(nodeNames.get(o)));
        return out;
    }

    @Override
    protected List<Shape> checkShapes() {
        List<Shape> out = new ArrayList<>();
        inputs.forEach(n -> out.add(n.inputShape()));
        return out;
    }

    @Override
    public List<Shape> outputShapes() {
        List<Shape> out = new ArrayList<>();
        outputs.forEach(o -> out.addAll(shapes.get(o)));
        return out;
    }

    @Override
    protected Block newBlock(BuildContext ctx) {
        blocks.clear();
        for (Node n : order) {
            if (!blocks.containsKey(n.layer())) {
                List<Shape> in = new ArrayList<>();
                n.inputs().forEach(from -> in.addAll(shapes.get(from)));
                blocks.put(n.layer(), n.layer().spec().toBlock(ctx, in));
            }
        }
        return GraphModels.block(inputs, order, outputs, blocks, shapes, layerNames);
    }

    /** True when a layer of the graph pretrains ({@code dbn}, ...): {@link #pretrain} refuses it. */
    @Override
    public boolean hasPretraining() {
        return layerNames.keySet().stream()
                .anyMatch(l -> l.spec() instanceof dev.lamina.train.Pretrainable);
    }

    /**
     * Refused when the graph has a layer that pretrains: greedy pretraining runs on the layers of
     * a {@link Sequential}; a graph's layers are not yet pretrained (rather than fine-tuned from
     * their initial weights without a word).
     */
    @Override
    public Map<String, dev.lamina.train.History> pretrain(dev.lamina.data.Dataset data,
            dev.lamina.train.Pretraining how) {
        if (hasPretraining()) {
            throw new UnsupportedOperationException("model '" + name() + "' is a graph with a"
                    + " layer that pretrains (" + String.join(", ", layerNames.entrySet().stream()
                            .filter(e -> e.getKey().spec() instanceof dev.lamina.train.Pretrainable)
                            .map(e -> e.getValue() + " (" + e.getKey().spec().type() + ")").toList())
                    + "): pretraining runs on Sequential models only; build it as a Sequential,"
                    + " or pretrain the stack in a Sequential and load its weights");
        }
        return Map.of();
    }

    @Override
    public String describeNonFinite(NDList x) {
        Node bad = GraphModels.firstWhere(block(), new ParameterStore(x.head().getManager(),
                false), x, out -> !allFinite(out));
        return bad == null ? "every node's output is finite: the loss itself overflowed"
                : "node '" + nodeNames.get(bad) + "' (" + bad.layer().spec().type() + ") is the"
                        + " first whose output is not finite";
    }

    @Override
    public Map<String, Object> architecture() {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> ins = new LinkedHashMap<>();
        for (Node n : inputs) {
            List<Long> dims = new ArrayList<>();
            for (long d : n.inputShape().getShape()) {
                dims.add(d);
            }
            ins.put(n.name(), dims);
        }
        out.put("inputs", ins);
        List<Object> graph = new ArrayList<>();
        Map<Layer, String> firstNode = new IdentityHashMap<>();
        for (Node n : order) {
            Map<String, Object> body = new LinkedHashMap<>();
            String first = firstNode.putIfAbsent(n.layer(), nodeNames.get(n));
            if (first == null) {
                body.putAll(n.layer().spec().toMap());
            } else {
                body.put("share", first);
            }
            List<String> from = new ArrayList<>();
            n.inputs().forEach(x -> from.add(nodeNames.get(x)));
            body.put("from", from.size() == 1 ? from.get(0) : from);
            graph.add(Map.of(nodeNames.get(n), body));
        }
        out.put("graph", graph);
        out.put("outputs", outputNames());
        return out;
    }

    @Override
    protected List<Summary.Row> summaryRows() {
        List<Summary.Row> rows = new ArrayList<>();
        for (Node n : inputs) {
            rows.add(new Summary.Row(n.name(), "input", n.inputShape(), null, List.of()));
        }
        Map<Layer, String> firstUse = new IdentityHashMap<>();
        for (Node n : order) {
            List<String> from = new ArrayList<>();
            n.inputs().forEach(x -> from.add(nodeNames.get(x)));
            String first = firstUse.putIfAbsent(n.layer(), nodeNames.get(n));
            // a shared layer's weights are counted at its first use; later uses say whose they are
            Block b = first == null ? blocks.get(n.layer()) : null;
            String type = n.layer().spec().type() + (first == null ? "" : ", shares " + first);
            rows.add(new Summary.Row(nodeNames.get(n), type, shapes.get(n).get(0), b, from));
        }
        return rows;
    }

    /**
     * The nodes that hold a layer, in the order they run; a layer shared by several nodes appears
     * once, under its first node's name.
     */
    @Override
    public List<String> layerNames() {
        List<String> out = new ArrayList<>();
        Set<Layer> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Node n : order) {
            if (n.layer() != null && seen.add(n.layer())) {
                out.add(nodeNames.get(n));
            }
        }
        return out;
    }

    /** The DJL block of the layer first used by node {@code nodeName}. */
    @Override
    public Block layerBlock(String nodeName) {
        build();
        for (Node n : order) {
            if (nodeNames.get(n).equals(nodeName)) {
                return blocks.get(n.layer());
            }
        }
        throw new IllegalArgumentException("model '" + name() + "' has no node '" + nodeName + "'."
                + Names.didYouMean(nodeName, nodeNames.values()) + " Nodes: " + nodeNames.values());
    }
}
