package dev.lamina.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import dev.lamina.layers.LayerBlock;
import java.util.ArrayList;
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

    /**
     * {@code penalized}: the layer blocks that carry penalties. The loss count was checked by the
     * model's {@code compile} (one, or one per output).
     */
    private TrainingLoss(Compiled compiled, int outputs, List<LayerBlock> penalized) {
        super(compiled.loss().type());
        this.compiled = compiled;
        this.outputs = outputs;
        this.penalized = penalized;
    }

    /** The training loss of {@code model} under {@code compiled}, with its layers' penalties. */
    public static TrainingLoss of(Compiled compiled, Trainable model) {
        List<LayerBlock> penalized = new ArrayList<>();
        collectPenalized(model.block(), penalized);
        return new TrainingLoss(compiled, model.outputNames().size(), penalized);
    }

    private static void collectPenalized(Block b, List<LayerBlock> out) {
        if (b instanceof LayerBlock lb && lb.hasPenalties()) {
            out.add(lb);
        }
        for (Pair<String, Block> c : b.getChildren()) {
            collectPenalized(c.getValue(), out);
        }
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray[] parts = new NDArray[outputs];
        NDArray total = null;
        for (int i = 0; i < outputs; i++) {
            parts[i] = compiled.lossFor(i).compute(labels.get(i), predictions.get(i));
            if (parts[i].getShape().dimension() > 0) {
                // reduction none (evaluate only; fit refuses it): reported as the mean of the
                // per-sample losses, as Keras's loss tracker averages them
                parts[i] = parts[i].mean();
            }
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
