package dev.lamina.models.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The block behind {@link Maxout} and {@link MaxoutConv2d}: an affine block (a core dense or
 * convolution layer) giving {@code pieces·units} values along one axis, then the maximum over the
 * pieces. The axis is split piece-major: index {@code p·units + u} is piece {@code p} of unit
 * {@code u}. A reshape and a one-axis {@code max}: the same numbers and gradients on both engines.
 */
final class PieceMaxBlock extends AbstractBlock {
    private final Block affine;
    private final int pieces;
    private final int axis; // with the batch axis; -1: the last

    PieceMaxBlock(String name, Block affine, int pieces, int axis) {
        super((byte) 1);
        this.affine = addChildBlock(name, affine);
        this.pieces = pieces;
        this.axis = axis;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray z = affine.forward(ps, inputs, training, params).singletonOrThrow();
        Shape split = split(z.getShape());
        return new NDList(z.reshape(split).max(new int[] {axis(z.getShape())}, false));
    }

    private int axis(Shape s) {
        return axis < 0 ? s.dimension() - 1 : axis;
    }

    /** (..., pieces·units, ...) to (..., pieces, units, ...). */
    private Shape split(Shape s) {
        int a = axis(s);
        long[] d = s.getShape();
        long[] out = new long[d.length + 1];
        System.arraycopy(d, 0, out, 0, a);
        out[a] = pieces;
        out[a + 1] = d[a] / pieces;
        System.arraycopy(d, a + 1, out, a + 2, d.length - a - 1);
        return new Shape(out);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape z = affine.getOutputShapes(inputShapes)[0];
        long[] d = z.getShape().clone();
        d[axis(z)] /= pieces;
        return new Shape[] {new Shape(d)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        affine.initialize(manager, dataType, inputShapes);
    }
}
