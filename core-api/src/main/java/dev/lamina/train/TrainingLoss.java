package dev.lamina.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import dev.lamina.layers.LayerBlock;
import dev.lamina.losses.LossSpec;
import java.util.List;

/**
 * The loss DJL's trainer minimises: the compiled loss of the first output plus every layer's weight
 * penalties, so regularization shows in the reported loss as it does in Keras.
 */
public final class TrainingLoss extends Loss {
    private final LossSpec loss;
    private final List<LayerBlock> penalized;

    /** {@code penalized}: the layer blocks that carry penalties. */
    public TrainingLoss(LossSpec loss, List<LayerBlock> penalized) {
        super(loss.type());
        this.loss = loss;
        this.penalized = penalized;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray total = loss.compute(labels.head(), predictions.head());
        for (LayerBlock b : penalized) {
            for (NDArray p : b.penalties()) {
                total = total.add(p);
            }
        }
        return total;
    }
}
