package dev.lamina.graph;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lamina.spec.Layer;
import dev.lamina.spec.Node;
import java.util.List;
import java.util.Map;

/** Makes the DJL block of a functional graph (kept package-private in {@link GraphBlock}). */
public final class GraphModels {
    private GraphModels() {}

    /** The block evaluating {@code order} from {@code inputs} to {@code outputs}. */
    public static Block block(List<Node> inputs, List<Node> order, List<Node> outputs,
            Map<Layer, Block> blocks, Map<Node, List<Shape>> shapes, Map<Layer, String> names) {
        return new GraphBlock(inputs, order, outputs, blocks, shapes, names);
    }
}
