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
import dev.lamina.layers.Activation;
import java.util.ArrayList;
import java.util.List;

/**
 * The block of a {@link Residual}: children {@code pre_norm} (with pre-activation),
 * {@code layer_0}, {@code layer_1}, ... (the layers of F, in order) and {@code projection} (when
 * the skip path needs one), so their parameters are counted, saved and loaded with the model.
 *
 * <p>Without pre-activation: {@code y = activation(skip(x) + F(x))}. With it: {@code h =
 * activation(pre_norm(x))}, {@code y = skip + F(h)}, where skip is {@code x} or
 * {@code projection(h)}.
 */
final class ResidualBlock extends AbstractBlock {
    private static final byte VERSION = 1;
    private final Block preNorm;
    private final Activation activation;
    private final List<Block> layers = new ArrayList<>();
    private final Block projection;

    /** {@code preNorm} and {@code projection} may be null. */
    ResidualBlock(Block preNorm, Activation activation, List<Block> layers, Block projection) {
        super(VERSION);
        this.preNorm = preNorm == null ? null : addChildBlock("pre_norm", preNorm);
        this.activation = activation;
        for (int i = 0; i < layers.size(); i++) {
            this.layers.add(addChildBlock("layer_" + i, layers.get(i)));
        }
        this.projection = projection == null ? null : addChildBlock("projection", projection);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray h = x;
        if (preNorm != null) {
            h = activation.apply(preNorm.forward(ps, new NDList(x), training, params)
                    .singletonOrThrow());
        }
        NDList f = new NDList(h);
        for (Block b : layers) {
            f = b.forward(ps, f, training, params);
        }
        NDArray skip = projection == null ? x
                : projection.forward(ps, new NDList(h), training, params).singletonOrThrow();
        NDArray y = f.singletonOrThrow().add(skip);
        if (preNorm == null && !activation.isLinear()) {
            y = activation.apply(y);
        }
        return new NDList(y);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] s = inputShapes;
        for (Block b : layers) {
            s = b.getOutputShapes(s);
        }
        return s;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType,
            Shape... inputShapes) {
        if (preNorm != null) {
            preNorm.initialize(manager, dataType, inputShapes);
        }
        Shape[] s = inputShapes;
        for (Block b : layers) {
            b.initialize(manager, dataType, s);
            s = b.getOutputShapes(s);
        }
        if (projection != null) {
            projection.initialize(manager, dataType, inputShapes);
        }
    }
}
