package dev.lamina.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * A block without parameters: a function of its inputs (and whether it is training) with a known
 * output shape. Unlike DJL's {@code LambdaBlock} it never runs the function to learn the shape, so
 * no engine is touched before training.
 */
public final class FnBlock extends AbstractBlock {
    private final BiFunction<NDList, Boolean, NDList> fn;
    private final UnaryOperator<Shape[]> shapes;

    /** {@code fn(inputs, training)}; {@code shapes} maps input shapes (with batch) to output shapes. */
    public FnBlock(BiFunction<NDList, Boolean, NDList> fn, UnaryOperator<Shape[]> shapes) {
        super((byte) 1);
        this.fn = fn;
        this.shapes = shapes;
    }

    /** A shape-preserving function of one input. */
    public static FnBlock elementwise(UnaryOperator<NDArray> f) {
        return new FnBlock((l, t) -> new NDList(f.apply(l.singletonOrThrow())), s -> s);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return fn.apply(inputs, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return shapes.apply(inputShapes);
    }
}
