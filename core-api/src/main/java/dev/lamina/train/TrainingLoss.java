package dev.lamina.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import dev.lamina.layers.LayerBlock;
import java.util.List;

/**
 * The loss DJL's trainer minimises: the weighted sum of each output's loss, plus every layer's
 * weight penalties, so regularization shows in the reported loss as it does in Keras. The parts of
 * the last evaluation stay readable for per-output reporting.
 */
public final class TrainingLoss extends Loss {
    private final Compiled compiled;
    private final int outputs;
    private final List<LayerBlock> penalized;
    private NDArray[] lastParts;

    /** {@code penalized}: the layer blocks that carry penalties. */
    public TrainingLoss(Compiled compiled, int outputs, List<LayerBlock> penalized) {
        super(compiled.loss().type());
        if (compiled.losses().size() != 1 && compiled.losses().size() != outputs) {
            throw new IllegalArgumentException("compile gave " + compiled.losses().size()
                    + " losses for a model with " + outputs + " outputs: give one loss per output,"
                    + " or one for all");
        }
        this.compiled = compiled;
        this.outputs = outputs;
        this.penalized = penalized;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray[] parts = new NDArray[outputs];
        NDArray total = null;
        for (int i = 0; i < outputs; i++) {
            parts[i] = compiled.lossFor(i).compute(labels.get(i), predictions.get(i));
            double w = compiled.weightFor(i);
            NDArray term = w == 1.0 ? parts[i] : parts[i].mul((float) w);
            total = total == null ? term : total.add(term);
        }
        for (LayerBlock b : penalized) {
            for (NDArray p : b.penalties()) {
                total = total.add(p);
            }
        }
        lastParts = parts;
        return total;
    }

    /** Each output's own loss from the last {@link #evaluate}, unweighted. */
    public NDArray[] lastParts() {
        return lastParts;
    }
}
