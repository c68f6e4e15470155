package dev.lamina.train;

import dev.lamina.optimizers.RateControl;


/** What a callback sees of a running {@code fit}: the model, the plan, and a way to stop. */
public final class FitContext {
    private final Trainable model;
    private final int epochs;
    private final int batchesPerEpoch;
    private final History history;
    private final TrainingStep step;
    private volatile boolean stop;

    /** A run of {@code epochs} epochs of {@code batchesPerEpoch} batches by {@code step}. */
    public FitContext(Trainable model, int epochs, int batchesPerEpoch, History history,
            TrainingStep step) {
        this.model = model;
        this.epochs = epochs;
        this.batchesPerEpoch = batchesPerEpoch;
        this.history = history;
        this.step = step;
    }

    /** The learning rate of the next update (NaN when the training has none). */
    public double learningRate() {
        return step.learningRate();
    }

    /**
     * What a callback may do to the learning rate: multiply or set it for the updates to come.
     *
     * @throws IllegalStateException when this training has no learning rate
     */
    public RateControl rateControl() {
        RateControl c = step.rateControl();
        if (c == null) {
            throw new IllegalStateException("this training has no learning rate to change");
        }
        return c;
    }

    /** The model being trained. */
    public Trainable model() {
        return model;
    }

    /** The number of epochs asked for. */
    public int epochs() {
        return epochs;
    }

    /** Training batches per epoch. */
    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** The history so far. */
    public History history() {
        return history;
    }

    /**
     * Asks training to stop, as Keras's {@code model.stop_training = True}: from an epoch hook, no
     * further epoch starts; from a batch hook, the epoch ends after that batch (its validation and
     * {@code onEpochEnd} still run, over the batches done), and no further epoch starts.
     */
    public void stopTraining() {
        stop = true;
    }

    /** True once a callback asked to stop. */
    public boolean stopRequested() {
        return stop;
    }
}
