package dev.lamina.train;

import java.util.Locale;

/**
 * Thrown by {@code fit} when a training batch's loss is NaN or infinite (unless {@code
 * terminate_on_nan} is off). Training stops before that batch updates any weight; the history of
 * the epochs that finished is kept here.
 */
public final class NonFiniteLossException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final int batch;
    private final double loss;
    private final double learningRate;
    private final String layer;
    private final transient History history;

    /**
     * The stop at {@code epoch} and {@code batch} (both counted from 1) with this loss and rate;
     * {@code layer} says which layer's output first went non-finite (a clause such as "layer
     * 'dense' (2, dense) is the first whose output is not finite"), or is null when unknown.
     */
    public NonFiniteLossException(int epoch, int batch, double loss, double learningRate,
            String layer, History history) {
        super(String.format(Locale.ROOT, "training stopped: the loss is %s at epoch %d, batch %d"
                + " (learning rate %s)%s. Lower the learning rate, scale the inputs, or clip"
                + " gradients (clipnorm); fit: {terminate_on_nan: false} trains on regardless",
                Double.isNaN(loss) ? "NaN" : loss > 0 ? "infinite" : "-infinite", epoch, batch,
                Double.isNaN(learningRate) ? "unknown" : String.valueOf(learningRate),
                layer == null ? "" : "; " + layer));
        this.epoch = epoch;
        this.batch = batch;
        this.loss = loss;
        this.learningRate = learningRate;
        this.layer = layer;
        this.history = history;
    }

    /** The epoch, counted from 1. */
    public int epoch() {
        return epoch;
    }

    /** The batch within the epoch, counted from 1. */
    public int batch() {
        return batch;
    }

    /** The loss value (NaN or infinite). */
    public double loss() {
        return loss;
    }

    /** The learning rate of that step. */
    public double learningRate() {
        return learningRate;
    }

    /** Which layer's output first went non-finite, as a clause, or null when unknown. */
    public String layer() {
        return layer;
    }

    /** The epochs that finished before the stop. */
    public History history() {
        return history;
    }
}
