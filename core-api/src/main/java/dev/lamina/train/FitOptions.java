package dev.lamina.train;

import dev.lamina.data.Dataset;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings of one {@code fit}, with Keras's defaults: 1 epoch, batch size 32, shuffled every
 * epoch, no validation; a NaN or infinite loss stops training with {@link NonFiniteLossException}.
 */
public final class FitOptions {
    private int epochs = 1;
    private int batchSize = 32;
    private boolean shuffle = true;
    private boolean terminateOnNan = true;
    private double validationSplit = 0;
    private Dataset validationData;
    private final List<Callback> callbacks = new ArrayList<>();

    /** Keras's defaults. */
    public static FitOptions defaults() {
        return new FitOptions();
    }

    /** Passes over the training data (default 1). */
    public FitOptions epochs(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("epochs must be positive, received epochs=" + n);
        }
        this.epochs = n;
        return this;
    }

    /** Samples per gradient step (default 32). */
    public FitOptions batchSize(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("batch_size must be positive, received batch_size=" + n);
        }
        this.batchSize = n;
        return this;
    }

    /** Whether to shuffle the training data before each epoch (default true). */
    public FitOptions shuffle(boolean s) {
        this.shuffle = s;
        return this;
    }

    /**
     * Whether a NaN or infinite training loss stops {@code fit} at once with {@link
     * NonFiniteLossException} (default true; Keras's {@code TerminateOnNaN}, on by default here).
     */
    public FitOptions terminateOnNan(boolean t) {
        this.terminateOnNan = t;
        return this;
    }

    /** See {@link #terminateOnNan(boolean)}. */
    public boolean terminateOnNan() {
        return terminateOnNan;
    }

    /** Holds out the last {@code fraction} of the training data for validation (default 0). */
    public FitOptions validationSplit(double fraction) {
        if (fraction < 0 || fraction >= 1 || Double.isNaN(fraction)) {
            throw new IllegalArgumentException(
                    "validation_split must be in [0, 1), received validation_split=" + fraction);
        }
        this.validationSplit = fraction;
        return this;
    }

    /** A separate validation set (replaces {@link #validationSplit}). */
    public FitOptions validationData(Dataset data) {
        this.validationData = data;
        return this;
    }

    /** Adds callbacks, called in order. */
    public FitOptions callbacks(Callback... cs) {
        callbacks.addAll(List.of(cs));
        return this;
    }

    public int epochs() {
        return epochs;
    }

    public int batchSize() {
        return batchSize;
    }

    public boolean shuffle() {
        return shuffle;
    }

    public double validationSplit() {
        return validationSplit;
    }

    public Dataset validationData() {
        return validationData;
    }

    public List<Callback> callbacks() {
        return List.copyOf(callbacks);
    }
}
