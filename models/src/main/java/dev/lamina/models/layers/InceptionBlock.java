package dev.lamina.models.layers;

import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * The block of an {@link Inception} module: children {@code path_1x1}, {@code path_3x3},
 * {@code path_5x5} and {@code path_pool}, each run on the same input; their outputs are
 * concatenated on the channel axis (axis 1 of the batch).
 */
final class InceptionBlock extends AbstractBlock {
    private static final byte VERSION = 1;
    private static final String[] NAMES = {"path_1x1", "path_3x3", "path_5x5", "path_pool"};
    private final List<Block> paths;

    InceptionBlock(List<Block> paths) {
        super(VERSION);
        for (int i = 0; i < paths.size(); i++) {
            addChildBlock(NAMES[i], paths.get(i));
        }
        this.paths = List.copyOf(paths);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList outs = new NDList();
        for (Block p : paths) {
            outs.add(p.forward(ps, inputs, training, params).singletonOrThrow());
        }
        return new NDList(NDArrays.concat(outs, 1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long channels = 0;
        Shape last = null;
        for (Block p : paths) {
            last = p.getOutputShapes(inputShapes)[0];
            channels += last.get(1);
        }
        long[] d = last.getShape().clone();
        d[1] = channels;
        return new Shape[] {new Shape(d)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType,
            Shape... inputShapes) {
        for (Block p : paths) {
            p.initialize(manager, dataType, inputShapes);
        }
    }
}
