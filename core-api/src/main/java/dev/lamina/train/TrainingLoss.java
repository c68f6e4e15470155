package dev.lamina.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import dev.lamina.engine.Constants;
import dev.lamina.layers.LayerBlock;
import dev.lamina.losses.LossSpec;
import java.util.ArrayList;
import java.util.Arrays;
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
        return evaluate(labels, predictions, null);
    }

    /**
     * The loss with each sample's loss multiplied by its weight in {@code sampleWeights} (one per
     * sample of the batch, or null for none) before each output's loss is reduced, as Keras does:
     * the mean still divides by the number of per-sample values, not by the weights' sum.
     */
    public NDArray evaluate(NDList labels, NDList predictions, NDArray sampleWeights) {
        NDArray[] parts = new NDArray[outputs];
        NDArray total = null;
        for (int i = 0; i < outputs; i++) {
            LossSpec spec = compiled.lossFor(i);
            if (sampleWeights == null) {
                parts[i] = spec.compute(labels.get(i), predictions.get(i));
            } else {
                NDArray values = spec.perSample(labels.get(i), predictions.get(i));
                parts[i] = spec.reduction().apply(values.mul(alignWeights(sampleWeights, values)));
            }
            if (parts[i].getShape().dimension() > 0) {
                // reduction none (evaluate only; fit refuses it): reported as the mean of the
                // per-sample losses, as Keras's loss tracker averages them
                parts[i] = parts[i].mean();
            }
            double w = compiled.weightFor(i);
            NDArray term = w == 1.0 ? parts[i] : Constants.times(parts[i], (float) w);
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

    /** Per-sample weights (batch) shaped to multiply per-sample losses (batch, ...). */
    private static NDArray alignWeights(NDArray weights, NDArray values) {
        Shape s = values.getShape();
        long[] dims = new long[Math.max(1, s.dimension())];
        Arrays.fill(dims, 1);
        dims[0] = weights.size();
        return weights.toType(values.getDataType(), false).reshape(new Shape(dims));
    }

    /** Each output's own loss from the last {@link #evaluate}, not multiplied by its loss weight. */
    public NDArray[] lastParts() {
        return lastParts;
    }

    /**
     * Cuts the last {@link #evaluate}'s parts from the graph that computed them (arrays with the
     * same values and no history), so that keeping them keeps nothing else alive.
     */
    void unlinkParts() {
        if (lastParts != null && lastParts.length > 1) {
            for (int i = 0; i < lastParts.length; i++) {
                lastParts[i] = lastParts[i].stopGradient();
            }
        }
    }
}
