package dev.lamina.train;

import dev.lamina.data.Dataset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
    private BackupAndRestore backupAndRestore;
    private float[] sampleWeight;
    private Map<Integer, Double> classWeight;

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

    /**
     * One weight per training sample, Keras's {@code sample_weight}: each sample's loss is
     * multiplied by its weight, then reduced as the loss says (the default mean divides by the
     * batch size, not by the weights' sum). With {@link #validationSplit} the weights are split
     * with the data, and the validation loss is weighted too, as in Keras. Each weight must be a
     * finite number >= 0; their number must be the data's, which {@code fit} checks.
     */
    public FitOptions sampleWeight(float... weights) {
        if (classWeight != null) {
            throw new IllegalArgumentException(BOTH_WEIGHTS);
        }
        for (int i = 0; i < weights.length; i++) {
            if (!(weights[i] >= 0 && Float.isFinite(weights[i]))) {
                throw new IllegalArgumentException("sample_weight[" + i + "] is " + weights[i]
                        + ": expected a finite number >= 0");
            }
        }
        this.sampleWeight = weights.clone();
        return this;
    }

    /**
     * Keras's {@code class_weight}: a training sample's loss is multiplied by the weight of its
     * class (its integer label, or the argmax of a one-hot label); a class not in the map weighs 1.
     * Training data only (validation figures are unweighted, as in Keras); one output only. Keys
     * are class ids >= 0 (fit checks that the model has them), weights finite numbers >= 0.
     */
    public FitOptions classWeight(Map<Integer, Double> weights) {
        if (sampleWeight != null) {
            throw new IllegalArgumentException(BOTH_WEIGHTS);
        }
        for (Map.Entry<Integer, Double> e : weights.entrySet()) {
            if (e.getKey() == null || e.getKey() < 0) {
                throw new IllegalArgumentException("class_weight keys are class ids >= 0, received " + e.getKey());
            }
            Double w = e.getValue();
            if (w == null || !(w >= 0 && Double.isFinite(w))) {
                throw new IllegalArgumentException("class_weight[" + e.getKey() + "] is " + w
                        + ": expected a finite number >= 0");
            }
        }
        this.classWeight = Collections.unmodifiableMap(new TreeMap<>(weights));
        return this;
    }

    private static final String BOTH_WEIGHTS = "class_weight and sample_weight cannot both be given, as in Keras:"
            + " multiply each sample's weight by its class's weight and give sample_weight alone";

    /** See {@link #sampleWeight(float...)}; null when not given. */
    public float[] sampleWeight() {
        return sampleWeight == null ? null : sampleWeight.clone();
    }

    /** See {@link #classWeight(Map)}; null when not given. */
    public Map<Integer, Double> classWeight() {
        return classWeight;
    }

    /**
     * Keeps a checkpoint in {@code backup}'s directory and, when one is there already, goes on
     * from it (Keras's {@code BackupAndRestore}, with the optimizer's state and the position in
     * the epoch too); null for none.
     */
    public FitOptions backupAndRestore(BackupAndRestore backup) {
        this.backupAndRestore = backup;
        return this;
    }

    /** See {@link #backupAndRestore(BackupAndRestore)}. */
    public BackupAndRestore backupAndRestore() {
        return backupAndRestore;
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
