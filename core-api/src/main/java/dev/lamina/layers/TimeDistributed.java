package dev.lamina.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.LayerTypes;
import dev.lamina.spec.MaskRule;
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.Map;

/**
 * Keras's {@code TimeDistributed}: applies {@code layer} (one set of weights) to every time step, by
 * folding time into the batch: (batch, time, ...) → (batch·time, ...) → layer → (batch, time, ...').
 *
 * <p>Input (time, ...) per sample, the same on every engine; output (time, layer's output).
 */
public record TimeDistributed(LayerSpec layer) implements LayerSpec {
    public static final String TYPE = "time_distributed";

    public TimeDistributed {
        if (layer == null) {
            throw new SpecException(TYPE, "layer", "expected a layer, received layer=null");
        }
    }

    /** The mask over time steps passes on (the layer acts on each step alone), as in Keras. */
    @Override
    public MaskRule masking() {
        return MaskRule.PASSES;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.dimension() < 2) {
            throw new ShapeException("expected (time, ...) per sample, got " + in);
        }
        Shape inner = layer.outputShape(in.slice(1));
        return new Shape(in.get(0)).addAll(inner);
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        outputShape(input);
        return new Folded(layer.toBlock(ctx, input.slice(1)));
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("layer", layer.toMap());
    }

    /** Reads {@code layer}, a nested layer spec. */
    public static TimeDistributed fromMap(SpecMap m) {
        return new TimeDistributed(LayerTypes.parse(m.require("layer")));
    }

    /** The inner block on (batch·time, ...). */
    static final class Folded extends AbstractBlock {
        private final Block inner;

        Folded(Block inner) {
            super((byte) 1);
            this.inner = addChildBlock("layer", inner);
        }

        private static Shape fold(Shape s) {
            return new Shape(s.get(0) * s.get(1)).addAll(s.slice(2));
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            Shape s = x.getShape();
            NDArray y = inner.forward(ps, new NDList(x.reshape(fold(s))), training, params)
                    .singletonOrThrow();
            return new NDList(y.reshape(new Shape(s.get(0), s.get(1)).addAll(y.getShape().slice(1))));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] in) {
            Shape y = inner.getOutputShapes(new Shape[] {fold(in[0])})[0];
            return new Shape[] {new Shape(in[0].get(0), in[0].get(1)).addAll(y.slice(1))};
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... in) {
            inner.initialize(manager, dataType, fold(in[0]));
        }
    }
}
