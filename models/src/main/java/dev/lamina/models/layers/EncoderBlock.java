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
import dev.lamina.layers.Dropout;

/**
 * The block behind {@link TransformerEncoder}: self-attention, residual and layer norm, then the
 * feed-forward network, residual and layer norm (pre-norm when {@code normalizeFirst}). Children,
 * in order: {@code attention}, {@code attention_norm}, {@code intermediate}, {@code output},
 * {@code output_norm}; parameter names are DJL's child prefixes ({@code 01attention_query_kernel},
 * ...). An array after the input is a key padding mask, passed to the attention.
 */
final class EncoderBlock extends AbstractBlock {
    private final boolean normalizeFirst;
    private final double dropout;
    private final long intermediateDim;
    private final Block attention;
    private final Block attentionNorm;
    private final Block intermediate;
    private final Block output;
    private final Block outputNorm;

    EncoderBlock(boolean normalizeFirst, double dropout, Block attention, Block attentionNorm,
            Block intermediate, Block output, Block outputNorm, long intermediateDim) {
        super((byte) 1);
        this.normalizeFirst = normalizeFirst;
        this.dropout = dropout;
        this.intermediateDim = intermediateDim;
        this.attention = addChildBlock("attention", attention);
        this.attentionNorm = addChildBlock("attention_norm", attentionNorm);
        this.intermediate = addChildBlock("intermediate", intermediate);
        this.output = addChildBlock("output", output);
        this.outputNorm = addChildBlock("output_norm", outputNorm);
    }

    private static NDArray one(Block b, ParameterStore ps, NDArray x, boolean training,
            PairList<String, Object> params) {
        return b.forward(ps, new NDList(x), training, params).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray h = normalizeFirst ? one(attentionNorm, ps, x, training, params) : x;
        NDList attIn = inputs.size() > 1 ? new NDList(h, inputs.get(1)) : new NDList(h);
        NDArray a = attention.forward(ps, attIn, training, params).singletonOrThrow();
        x = dropout(a, training).add(x);
        if (!normalizeFirst) {
            x = one(attentionNorm, ps, x, training, params);
        }
        h = normalizeFirst ? one(outputNorm, ps, x, training, params) : x;
        h = one(output, ps, one(intermediate, ps, h, training, params), training, params);
        x = dropout(h, training).add(x);
        if (!normalizeFirst) {
            x = one(outputNorm, ps, x, training, params);
        }
        return new NDList(x);
    }

    private NDArray dropout(NDArray x, boolean training) {
        if (!training || dropout == 0) {
            return x;
        }
        return Dropout.drop(x, x.getShape(), dropout);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType,
            Shape... inputShapes) {
        Shape in = inputShapes[0];
        attention.initialize(manager, dataType, in);
        attentionNorm.initialize(manager, dataType, in);
        intermediate.initialize(manager, dataType, in);
        output.initialize(manager, dataType, new Shape(in.get(0), in.get(1), intermediateDim));
        outputNorm.initialize(manager, dataType, in);
    }
}
