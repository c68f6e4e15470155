package dev.lamina.train;


/** What a callback sees of a running {@code fit}: the model, the plan, and a way to stop. */
public final class FitContext {
    private final Trainable model;
    private final int epochs;
    private final int batchesPerEpoch;
    private final History history;
    private volatile boolean stop;

    /** A run of {@code epochs} epochs of {@code batchesPerEpoch} batches. */
    public FitContext(Trainable model, int epochs, int batchesPerEpoch, History history) {
        this.model = model;
        this.epochs = epochs;
        this.batchesPerEpoch = batchesPerEpoch;
        this.history = history;
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

    /** Asks training to stop after the current epoch. */
    public void stopTraining() {
        stop = true;
    }

    /** True once a callback asked to stop. */
    public boolean stopRequested() {
        return stop;
    }
}
