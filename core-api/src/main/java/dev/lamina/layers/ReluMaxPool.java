package dev.lamina.layers;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.lamina.spec.LayerSpec;

/**
 * A ReLU followed by a max pool, run the other way round: pool first, then the ReLU over the
 * pooled array, a quarter of the elements for a 2×2 window (conv → relu → pool, as in LeNet, VGG
 * and AlexNet). The models ({@code Sequential}, the functional graph) apply it where a layer that
 * ends in a ReLU feeds only a max pool; each layer alone, its parameters and the saved file are
 * unchanged.
 *
 * <p>The numbers are the same. ReLU never decreases, so the largest of the ReLUs of a window is
 * the ReLU of its largest element; a padded element (−{@code Float.MAX_VALUE}) never wins where
 * a real one can. The gradient goes to the same element: where a window's maximum is positive,
 * the elements tied with it are the same before and after the ReLU and the first of them takes
 * the gradient either way; where it is not positive the ReLU's gradient is 0 whichever element
 * the pool picked; a NaN passes both (the first NaN of a window wins the pool, and PyTorch's ReLU
 * keeps it and passes its gradient). Only the sign of a zero can differ (PyTorch's ReLU keeps
 * −0.0, so a window whose maximum is −0.0 gives −0.0 where the ReLU first gives the +0.0 of an
 * earlier negative element), and a sign of zero changes no non-zero number downstream: it vanishes
 * in any sum with a non-zero term, and a product with it is zero. The tests compare outputs and
 * every gradient as numbers (a zero of either sign equal to the other) with the layers run one by
 * one, on both engines, over integer data and weights, so that windows tie and sums cancel.
 *
 * <p>Measured (PyTorch, 2 threads, forward + backward, median of 12 alternating runs): 6.82 →
 * 6.35 ms over 128×6×28×28, 14.5 → 12.6 ms over 128×16×28×28.
 */
public final class ReluMaxPool {
    private static final Activation RELU = new Activation("relu");

    private ReluMaxPool() {}

    /**
     * Whether the ReLU ending layer {@code spec} (built as {@code block}) can run after layer
     * {@code next}, given that {@code next} is all it feeds: {@code spec} ends in a plain ReLU (a
     * layer with {@code activation: relu}, or an {@code activation: relu} layer) and {@code next}
     * is a max pool (1-D or 2-D, any window, stride and padding).
     */
    public static boolean applies(LayerSpec spec, Block block, LayerSpec next) {
        boolean relu = spec instanceof Activation a ? isRelu(a)
                : block instanceof LayerBlock lb && isRelu(lb.activation());
        return relu && next instanceof PoolLayer p && p.max();
    }

    /**
     * The output of layer {@code spec}'s {@code block} before its ReLU (given {@link #applies}):
     * the core's output, or the input itself for an activation layer.
     */
    public static NDList beforeRelu(LayerSpec spec, Block block, ParameterStore ps, NDList inputs,
            boolean training, PairList<String, Object> params) {
        if (spec instanceof Activation) {
            return inputs;
        }
        return ((LayerBlock) block).forwardBeforeActivation(ps, inputs, training, params);
    }

    /** The ReLU deferred past the pool, over the pooled output. */
    public static NDList relu(NDList pooled) {
        return new NDList(RELU.apply(pooled.singletonOrThrow()));
    }

    private static boolean isRelu(Activation a) {
        return a.activation().equals("relu");
    }
}
