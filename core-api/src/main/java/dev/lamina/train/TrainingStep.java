package dev.lamina.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lamina.data.Dataset;
import dev.lamina.optimizers.RateControl;
import java.util.Map;

/**
 * What a training procedure supplies to {@link TrainingLoop}: what one batch does. Supervised
 * backpropagation is {@link Supervised}; layer-wise pretraining and adversarial training are
 * others. The loop owns everything around it: epochs, batches and shuffling, validation,
 * callbacks, the history, the NaN guard, and freeing each batch's native memory.
 */
public interface TrainingStep extends AutoCloseable {
    /** Prepares for training {@code model} in batches of {@code batchSize} (optimizer state). */
    void begin(Trainable model, int batchSize);

    /**
     * Computes batch {@code idx} of {@code data} in {@code manager} (freed when the batch ends):
     * forward, loss and gradients, without changing a weight yet. Returns the batch's loss, a
     * scalar left on the engine: the loop reads it only to guard against a non-finite loss, and
     * the step keeps its running means on the engine too, so a batch need not wait for the
     * engine.
     */
    NDArray compute(NDManager manager, Dataset data, int[] idx);

    /** Applies the update computed by the last {@link #compute}. */
    void apply();

    /** The learning rate of the next update, for messages and logs (NaN when there is none). */
    double learningRate();

    /** What callbacks may do to the learning rate; null when the step has no optimizer. */
    default RateControl rateControl() {
        return null;
    }

    /** Starts a new epoch's running means. */
    void beginEpoch();

    /** The running means of the loss and metrics over the epoch so far (read from the engine). */
    Map<String, Double> epochLogs();

    /** The validation figures for {@code data}, keys prefixed with {@code val_}. */
    Map<String, Double> validate(Dataset data, int batchSize);

    /**
     * The step's state for a checkpoint (the optimizer's moments and counts, the epoch's running
     * means so far), arrays copied into {@code manager}. Nothing by default.
     */
    default Snapshot snapshot(NDManager manager) {
        return Snapshot.EMPTY;
    }

    /** Puts back what {@link #snapshot} gave, after {@link #begin} and {@link #beginEpoch}. */
    default void restore(Snapshot state) {}

    /**
     * Whether {@link #restore} puts back everything an update changes in the step (the
     * optimizer's state, the running sums), mid-epoch as well, and the losses {@link #compute}
     * returns stay alive until the epoch ends: then the NaN guard may check losses a few at a
     * time and put the state back when one is bad. False by default, and the guard checks each
     * batch's loss as it comes.
     */
    default boolean canRestore() {
        return false;
    }

    /** Frees what {@link #begin} made (optimizer state). */
    @Override
    void close();
}
