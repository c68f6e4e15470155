package dev.lamina.train;

import java.util.Map;

/**
 * Hooks into {@code fit}, as Keras's callbacks: early stopping, checkpoints, CSV logs, progress
 * bars. Every method has an empty default. Epochs and batches are counted from 0, as in Keras.
 *
 * <p>A callback of your own overrides the hooks it needs. {@link FitContext} gives the model, the
 * {@link History} so far, the learning rate (and a way to change it) and {@link
 * FitContext#stopTraining()}:
 *
 * <pre>
 * // stops once the training accuracy reaches 0.95
 * Callback enough = new Callback() {
 *     &#64;Override
 *     public void onEpochEnd(int epoch, Map&lt;String, Double&gt; logs, FitContext run) {
 *         if (logs.get("accuracy") &gt;= 0.95) {
 *             run.stopTraining();
 *         }
 *     }
 * };
 * model.fit(data, FitOptions.defaults().epochs(50).callbacks(enough));
 * </pre>
 *
 * Keras's {@code on_train_batch_begin} and {@code on_train_batch_end} are {@link #onBatchBegin}
 * and {@link #onBatchEnd}.
 */
public interface Callback {
    /** Before the first epoch; {@code run} lets a callback stop training or reach the model. */
    default void onTrainBegin(FitContext run) {}

    /** Before each epoch (0-based). */
    default void onEpochBegin(int epoch, FitContext run) {}

    /** Before each training batch (0-based within the epoch). */
    default void onBatchBegin(int epoch, int batch, FitContext run) {}

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
