package dev.lamina.graph;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.lamina.spec.Layer;
import dev.lamina.spec.Node;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Makes the DJL block of a functional graph (kept package-private in {@link GraphBlock}). */
public final class GraphModels {
    private GraphModels() {}

    /** The block evaluating {@code order} from {@code inputs} to {@code outputs}. */
    public static Block block(List<Node> inputs, List<Node> order, List<Node> outputs,
            Map<Layer, Block> blocks, Map<Node, List<Shape>> shapes, Map<Layer, String> names) {
        return new GraphBlock(inputs, order, outputs, blocks, shapes, names);
    }

    /**
     * Runs a graph block made by {@link #block} in inference mode and returns the first node
     * whose output {@code stop} accepts, or null (also when {@code graph} is not such a block).
     */
    public static Node firstWhere(Block graph, ParameterStore ps, NDList in,
            Predicate<NDList> stop) {
        return graph instanceof GraphBlock g ? g.firstWhere(ps, in, stop) : null;
    }
}
