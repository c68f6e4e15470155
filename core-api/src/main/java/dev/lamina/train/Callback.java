package dev.lamina.train;

import java.util.Map;

/**
 * Hooks into {@code fit}, as Keras's callbacks: early stopping, checkpoints, CSV logs, progress
 * bars. Every method has an empty default.
 */
public interface Callback {
    /** Before the first epoch; {@code run} lets a callback stop training or reach the model. */
    default void onTrainBegin(FitContext run) {}

    /** Before each epoch (0-based). */
    default void onEpochBegin(int epoch, FitContext run) {}

    /** After each training batch: {@code logs} has the running epoch averages so far. */
    default void onBatchEnd(int epoch, int batch, Map<String, Double> logs, FitContext run) {}

    /** After each epoch, with its metrics (training and {@code val_}). */
    default void onEpochEnd(int epoch, Map<String, Double> logs, FitContext run) {}

    /** After the last epoch (or an early stop). */
    default void onTrainEnd(History history, FitContext run) {}

    /**
     * What this callback must carry through a checkpoint to decide as it would have in a run that
     * was never stopped (early stopping's best value and wait, its best weights): arrays copied
     * into {@code manager}. Nothing by default.
     */
    default Snapshot snapshot(ai.djl.ndarray.NDManager manager) {
        return Snapshot.EMPTY;
    }

    /** Puts back what {@link #snapshot} gave, after {@link #onTrainBegin} of a resumed run. */
    default void restore(Snapshot state, FitContext run) {}
}
