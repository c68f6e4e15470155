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
import dev.lamina.spec.MaskRule;
import java.util.Arrays;

/**
 * How a mask over time steps travels with the data through a model (see {@link MaskRule}). In a
 * stack of layers the mask rides as the last array of the list each block passes to the next:
 * {@link #step} wraps a layer's block so that it takes, passes or stops the mask as its rule
 * says, and {@link #strip} drops the mask at the end of the model. A functional graph keeps the
 * mask of each node beside its values (see {@link GraphBlock}).
 */
public final class MaskFlow {
    private MaskFlow() {}

    /**
     * The block to run for a layer whose input comes with a mask (as the list's last array).
     * {@code inner} is the layer's own block; the result returns the mask last when the rule
     * passes it on or makes one.
     */
    public static Block step(Block inner, MaskRule rule) {
        return new Step(inner, rule);
    }

    /** A block that drops the mask (the list's last array) at the end of a model. */
    public static Block strip() {
        return new Step(null, MaskRule.STOPS);
    }

    /** The combined mask of several inputs, as Keras merges them: a step is kept if every input keeps it. */
    static NDArray and(NDArray a, NDArray b) {
        return a == null ? b : b == null ? a : a.mul(b);
    }

    /** Wraps a layer's block: the mask in, taken or not, and out again or not. */
    private static final class Step extends AbstractBlock {
        private final Block inner;
        private final MaskRule rule;

        Step(Block inner, MaskRule rule) {
            super((byte) 1);
            this.inner = inner;
            this.rule = rule;
            if (inner != null) {
                addChildBlock("layer", inner);
            }
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training,
                PairList<String, Object> params) {
            NDArray mask = in.get(in.size() - 1);
            NDList data = new NDList(in.subList(0, in.size() - 1));
            if (inner == null) {
                return data;
            }
            NDList out = inner.forward(ps, rule.takes() ? in : data, training, params);
            if (rule.passes()) {
                out = new NDList(out);
                out.add(mask);
            }
            return out;
        }

        private Shape[] innerShapes(Shape[] in) {
            return rule.takes() ? in : Arrays.copyOf(in, in.length - 1);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] in) {
            Shape[] data = Arrays.copyOf(in, in.length - 1);
            if (inner == null) {
                return data;
            }
            Shape[] out = inner.getOutputShapes(innerShapes(in));
            if (rule.passes()) {
                out = Arrays.copyOf(out, out.length + 1);
                out[out.length - 1] = in[in.length - 1];
            }
            return out;
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... in) {
            if (inner != null) {
                inner.initialize(manager, dataType, innerShapes(in));
            }
        }
    }
}
