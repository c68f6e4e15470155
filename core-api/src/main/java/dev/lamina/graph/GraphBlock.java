package dev.lamina.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.lamina.layers.ReluMaxPool;
import dev.lamina.spec.Layer;
import dev.lamina.spec.MaskRule;
import dev.lamina.spec.Node;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A whole functional graph as one DJL block: its children are the graph's layers (a shared layer
 * once), and a forward pass evaluates the nodes in topological order.
 */
final class GraphBlock extends AbstractBlock {
    private static final byte VERSION = 1;
    private final List<Node> inputs;
    private final List<Node> order;
    private final List<Node> outputs;
    private final Map<Layer, Block> blocks;
    private final Map<Node, List<Shape>> shapes;
    /** The nodes whose output comes with a mask over time steps. */
    private final Set<Node> masked = Collections.newSetFromMap(new IdentityHashMap<>());
    /** The nodes whose ending ReLU runs after the max pool they alone feed ({@link ReluMaxPool}). */
    private final Set<Node> reluPastPool = Collections.newSetFromMap(new IdentityHashMap<>());

    /**
     * {@code order}: the non-input nodes, each after the nodes it takes; {@code blocks}: one block
     * per layer, added as children in {@code order}; {@code shapes}: per-sample output shapes.
     */
    GraphBlock(List<Node> inputs, List<Node> order, List<Node> outputs, Map<Layer, Block> blocks,
            Map<Node, List<Shape>> shapes, Map<Layer, String> names) {
        super(VERSION);
        this.inputs = inputs;
        this.order = order;
        this.outputs = outputs;
        this.blocks = blocks;
        this.shapes = shapes;
        for (Node n : order) {
            MaskRule rule = n.layer().spec().masking();
            boolean in = n.inputs().stream().anyMatch(masked::contains);
            if (rule == MaskRule.MAKES || in && rule.passes()) {
                masked.add(n);
            }
        }
        for (Node n : order) {
            if (reluCanMovePastPool(n)) {
                reluPastPool.add(n);
            }
        }
        Set<Layer> added = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Node n : order) {
            if (added.add(n.layer())) {
                addChildBlock(names.get(n.layer()), blocks.get(n.layer()));
            }
        }
    }

    /**
     * Whether node {@code n} ends in a ReLU whose output goes to one max pool and nowhere else
     * (not a model output, no other consumer), with no mask over time steps on either.
     */
    private boolean reluCanMovePastPool(Node n) {
        if (outputs.contains(n) || masked.contains(n) || n.inputs().stream().anyMatch(masked::contains)) {
            return false;
        }
        Node consumer = null;
        for (Node m : order) {
            for (Node from : m.inputs()) {
                if (from == n) {
                    if (consumer != null) {
                        return false;
                    }
                    consumer = m;
                }
            }
        }
        return consumer != null && consumer.inputs().size() == 1 && !masked.contains(consumer)
                && ReluMaxPool.applies(n.layer().spec(), blocks.get(n.layer()),
                        consumer.layer().spec());
    }

    /** Whether node {@code n}'s ending ReLU runs after the max pool it feeds (for tests). */
    boolean reluAfterPool(Node n) {
        return reluPastPool.contains(n);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training,
            PairList<String, Object> params) {
        Map<Node, NDList> values = new IdentityHashMap<>();
        walk(ps, in, training, params, values, null);
        NDList out = new NDList(outputs.size());
        for (Node o : outputs) {
            out.addAll(values.get(o));
        }
        return out;
    }

    /**
     * Runs the graph in inference mode and returns the first node, in the order they run, whose
     * output {@code stop} accepts, or null. For diagnosis (which layer went NaN), not training.
     */
    public Node firstWhere(ParameterStore ps, NDList in, Predicate<NDList> stop) {
        return walk(ps, in, false, null, new IdentityHashMap<>(), stop);
    }

    private Node walk(ParameterStore ps, NDList in, boolean training,
            PairList<String, Object> params, Map<Node, NDList> values, Predicate<NDList> stop) {
        for (int i = 0; i < inputs.size(); i++) {
            values.put(inputs.get(i), new NDList(in.get(i)));
        }
        Map<Node, NDArray> masks = new IdentityHashMap<>();
        for (Node n : order) {
            NDList args = new NDList();
            NDArray last = null; // the mask of the last input that has one
            NDArray all = null; // the masks of every input, combined
            for (Node from : n.inputs()) {
                args.addAll(values.get(from));
                NDArray m = masks.get(from);
                last = m == null ? last : m;
                all = MaskFlow.and(all, m);
            }
            MaskRule rule = n.layer().spec().masking();
            if (last != null && rule.takes()) {
                args.add(last);
            }
            Block block = blocks.get(n.layer());
            // a diagnosis (stop) sees each layer's own output, so it runs the ReLUs in place
            boolean defer = stop == null && reluPastPool.contains(n);
            NDList out = defer
                    ? ReluMaxPool.beforeRelu(n.layer().spec(), block, ps, args, training, params)
                    : block.forward(ps, args, training, params);
            if (stop == null && n.inputs().size() == 1 && reluPastPool.contains(n.inputs().get(0))) {
                out = ReluMaxPool.relu(out);
            }
            if (rule == MaskRule.MAKES) {
                masks.put(n, out.get(out.size() - 1));
                out = new NDList(out.subList(0, out.size() - 1));
            } else if (all != null && rule.passes()) {
                masks.put(n, all);
            }
            values.put(n, out);
            if (stop != null && stop.test(out)) {
                return n;
            }
        }
        return null;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long batch = inputShapes[0].get(0);
        return outputs.stream().flatMap(o -> shapes.get(o).stream())
                .map(s -> new Shape(batch).addAll(s)).toArray(Shape[]::new);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        Set<Layer> done = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Node n : order) {
            if (done.add(n.layer())) {
                List<Shape> in = new ArrayList<>();
                n.inputs().forEach(from -> shapes.get(from).forEach(
                        x -> in.add(new Shape(batch).addAll(x))));
                Node withMask = null;
                for (Node from : n.inputs()) {
                    withMask = masked.contains(from) ? from : withMask;
                }
                if (withMask != null && n.layer().spec().masking().takes()) {
                    in.add(new Shape(batch, shapes.get(withMask).get(0).get(0)));
                }
                Shape[] s = in.toArray(Shape[]::new);
                blocks.get(n.layer()).initialize(manager, dataType, s);
            }
        }
    }
}
