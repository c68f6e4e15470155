package dev.lamina.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * A labelled data set in Java memory: one or more input tensors and zero or more label tensors,
 * all with the same number of samples, and optionally one weight per sample (Keras's
 * {@code sample_weight}: each sample's loss is multiplied by it). Batches are copied into a batch's
 * own NDManager, so native memory lives only as long as a batch does; a data set copied to the
 * engine once ({@link #onEngine}) gathers its batches there instead.
 */
public final class Dataset {
    private final List<Tensor> inputs;
    private final List<Tensor> labels;
    private final String name;
    /** One weight per sample, or null for none (every sample weighs 1). */
    private final float[] sampleWeights;
    /** The name of each class id, in order (empty when the classes have no names). */
    private final List<String> classNames;
    /** A copy of every tensor on the engine, or null: see {@link #onEngine}. */
    private final Resident resident;

    /** The tensors copied to the engine once (weights null when there are none). */
    private record Resident(NDList inputs, NDList labels, NDArray weights) {}

    /**
     * One batch gathered in Java memory ahead of its use ({@link #gather}): the values of the
     * samples at {@code idx} of every input and label tensor, and their weights (or null).
     */
    public record HostBatch(int[] idx, float[][] inputs, float[][] labels, float[] weights) {}

    /** A batch gathered ahead, used when asked for exactly its indices; or null. */
    private final HostBatch prepared;

    /** A data set of several inputs and labels; every tensor has the same number of samples. */
    public Dataset(String name, List<Tensor> inputs, List<Tensor> labels) {
        this(name, inputs, labels, null, List.of());
    }

    private Dataset(String name, List<Tensor> inputs, List<Tensor> labels, float[] sampleWeights,
            List<String> classNames) {
        this(name, inputs, labels, sampleWeights, classNames, null, null);
    }

    private Dataset(String name, List<Tensor> inputs, List<Tensor> labels, float[] sampleWeights,
            List<String> classNames, Resident resident, HostBatch prepared) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("a data set needs at least one input tensor");
        }
        int n = inputs.get(0).size();
        for (Tensor t : inputs) {
            check(t, n, "input");
        }
        for (Tensor t : labels) {
            check(t, n, "label");
        }
        this.name = name;
        this.inputs = List.copyOf(inputs);
        this.labels = List.copyOf(labels);
        this.sampleWeights = sampleWeights;
        this.classNames = List.copyOf(classNames);
        this.resident = resident;
        this.prepared = prepared;
    }

    /**
     * The values of the samples at {@code idx}, gathered in Java memory: what {@link
     * #inputs(NDManager, int[])} and the others copy to the engine. Safe to call from another
     * thread, so that the next batch is gathered while this one trains.
     */
    public HostBatch gather(int[] idx) {
        float[][] in = new float[inputs.size()][];
        for (int i = 0; i < in.length; i++) {
            in[i] = inputs.get(i).values(idx);
        }
        float[][] lab = new float[labels.size()][];
        for (int i = 0; i < lab.length; i++) {
            lab[i] = labels.get(i).values(idx);
        }
        float[] w = null;
        if (sampleWeights != null) {
            w = new float[idx.length];
            for (int i = 0; i < idx.length; i++) {
                w[i] = sampleWeights[idx[i]];
            }
        }
        return new HostBatch(idx, in, lab, w);
    }

    /**
     * This data set with {@code batch} gathered ahead: asking it for exactly that batch's
     * indices (the same array) copies the gathered values instead of gathering them again.
     */
    public Dataset withPrepared(HostBatch batch) {
        return new Dataset(name, inputs, labels, sampleWeights, classNames, resident, batch);
    }

    private boolean isPrepared(int[] idx) {
        return prepared != null && prepared.idx() == idx;
    }

    /** The bytes this data set's values take (4 per value), for deciding where they live. */
    public long bytes() {
        long n = sampleWeights == null ? 0 : sampleWeights.length;
        for (Tensor t : inputs) {
            n += (long) t.size() * t.sampleSize();
        }
        for (Tensor t : labels) {
            n += (long) t.size() * t.sampleSize();
        }
        return 4 * n;
    }

    /**
     * This data set with every tensor also copied once into {@code manager} (on its engine and
     * device): its batches are then gathered there by index ({@link #inputs(NDManager, int[])}
     * and the others), one operation per tensor instead of a copy from Java memory per batch,
     * with the same values. The copy lives as long as {@code manager}; the training loop makes
     * one per fit when the data fits its memory budget.
     */
    public Dataset onEngine(NDManager manager) {
        int[] all = new int[size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        NDList in = new NDList(inputs.size());
        for (Tensor t : inputs) {
            in.add(t.gather(manager, all));
        }
        NDList lab = new NDList(labels.size());
        for (Tensor t : labels) {
            lab.add(t.gather(manager, all));
        }
        NDArray w = sampleWeights == null ? null : manager.create(sampleWeights);
        return new Dataset(name, inputs, labels, sampleWeights, classNames,
                new Resident(in, lab, w), null);
    }

    /** True when the tensors have a copy on the engine ({@link #onEngine}). */
    public boolean isOnEngine() {
        return resident != null;
    }

    /**
     * Rows {@code idx} of an engine-resident array, in {@code manager}: a slice when they are
     * consecutive (every batch of evaluation and prediction, and of a fit without shuffling; on
     * PyTorch a view of the resident rows, no copy), gathered by index otherwise. Layers never
     * write into their inputs, so a view is safe.
     */
    private static NDArray take(NDArray from, NDManager manager, int[] idx) {
        NDArray out = isRun(idx)
                ? from.get(new NDIndex().addSliceDim(idx[0], idx[0] + (long) idx.length))
                : from.get(manager.create(idx));
        out.attach(manager);
        return out;
    }

    /** True when {@code idx} is a run of consecutive ascending indices. */
    static boolean isRun(int[] idx) {
        for (int i = 1; i < idx.length; i++) {
            if (idx[i] != idx[0] + i) {
                return false;
            }
        }
        return idx.length > 0;
    }

    /**
     * This data set with a name for each class id (class {@code i} is {@code names.get(i)}), as
     * {@code images:DIR} gives its folders' names; slices and splits keep them, and a model trained
     * on the data set takes them when it has none (see {@code Model.classNames}).
     */
    public Dataset withClassNames(List<String> names) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i) == null || names.get(i).isBlank()) {
                throw new IllegalArgumentException("class name " + i + " of data set '" + name
                        + "' is empty: give every class a name");
            }
        }
        return new Dataset(name, inputs, labels, sampleWeights, names);
    }

    /** The name of each class id, in order; empty when the classes have no names. */
    public List<String> classNames() {
        return classNames;
    }

    /** This data set under another name (for messages), with everything else kept. */
    public Dataset named(String newName) {
        return new Dataset(newName, inputs, labels, sampleWeights, classNames);
    }

    /**
     * This data set with one weight per sample, Keras's {@code sample_weight}: each sample's loss is
     * multiplied by its weight before the loss is reduced (so the mean still divides by the number
     * of samples, not by the weights' sum). Weights must be finite and >= 0.
     */
    public Dataset withSampleWeights(float... weights) {
        if (weights.length != size()) {
            throw new IllegalArgumentException("sample_weight has " + weights.length + " values, data set '" + name
                    + "' has " + size() + " samples: give one weight per sample");
        }
        for (int i = 0; i < weights.length; i++) {
            if (!(weights[i] >= 0 && Float.isFinite(weights[i]))) {
                throw new IllegalArgumentException("sample_weight[" + i + "] is " + weights[i]
                        + ": expected a finite number >= 0");
            }
        }
        return new Dataset(name, inputs, labels, weights.clone(), classNames);
    }

    /** The per-sample weights (a copy), or null when the samples are not weighted. */
    public float[] sampleWeights() {
        return sampleWeights == null ? null : sampleWeights.clone();
    }

    /** The weights of the samples at {@code idx}, in {@code manager}, or null when there are none. */
    public NDArray sampleWeights(NDManager manager, int[] idx) {
        if (sampleWeights == null) {
            return null;
        }
        if (resident != null) {
            return take(resident.weights(), manager, idx);
        }
        if (isPrepared(idx)) {
            return manager.create(prepared.weights());
        }
        float[] w = new float[idx.length];
        for (int i = 0; i < idx.length; i++) {
            w[i] = sampleWeights[idx[i]];
        }
        return manager.create(w);
    }

    /** One input and one label tensor. */
    public Dataset(String name, Tensor x, Tensor y) {
        this(name, List.of(x), y == null ? List.of() : List.of(y));
    }

    /** Unlabelled data, for {@code predict}. */
    public static Dataset unlabelled(String name, Tensor x) {
        return new Dataset(name, List.of(x), List.of());
    }

    private static void check(Tensor t, int n, String what) {
        if (t.size() != n) {
            throw new IllegalArgumentException("every tensor of a data set needs the same number"
                    + " of samples: the first input has " + n + ", a " + what + " has " + t.size());
        }
    }

    /** A name for messages and metrics.json, such as {@code fashion-mnist:train}. */
    public String name() {
        return name;
    }

    /** The number of samples. */
    public int size() {
        return inputs.get(0).size();
    }

    /** The input tensors. */
    public List<Tensor> inputs() {
        return inputs;
    }

    /** The label tensors (empty when unlabelled). */
    public List<Tensor> labels() {
        return labels;
    }

    /** Samples {@code from} (inclusive) to {@code to} (exclusive). */
    public Dataset slice(int from, int to) {
        List<Tensor> x = new ArrayList<>();
        inputs.forEach(t -> x.add(t.slice(from, to)));
        List<Tensor> y = new ArrayList<>();
        labels.forEach(t -> y.add(t.slice(from, to)));
        return new Dataset(name, x, y,
                sampleWeights == null ? null : Arrays.copyOfRange(sampleWeights, from, to), classNames);
    }

    /** The first {@code n} samples (all when {@code n} is larger). */
    public Dataset limit(int n) {
        return n >= size() ? this : slice(0, n);
    }

    /**
     * Splits off the last {@code fraction} of the samples for validation, as Keras's
     * {@code validation_split} does (before any shuffling): returns {train, validation}.
     */
    public Dataset[] splitValidation(double fraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException(
                    "validation_split must be between 0 and 1 (exclusive), received " + fraction);
        }
        int nVal = (int) Math.round(size() * fraction);
        if (nVal == 0 || nVal == size()) {
            throw new IllegalArgumentException("validation_split=" + fraction + " of " + size()
                    + " samples leaves an empty training or validation set");
        }
        int cut = size() - nVal;
        return new Dataset[] {slice(0, cut).renamed(name + "[train]"),
            slice(cut, size()).renamed(name + "[validation]")};
    }

    private Dataset renamed(String n) {
        return named(n);
    }

    /** The inputs of the samples at {@code idx}, in {@code manager}. */
    public NDList inputs(NDManager manager, int[] idx) {
        NDList out = new NDList(inputs.size());
        if (resident != null) {
            resident.inputs().forEach(a -> out.add(take(a, manager, idx)));
            return out;
        }
        if (isPrepared(idx)) {
            for (int i = 0; i < inputs.size(); i++) {
                out.add(Staging.create(manager, prepared.inputs()[i], inputs.get(i).batchShape(idx.length)));
            }
            return out;
        }
        for (Tensor t : inputs) {
            out.add(t.gather(manager, idx));
        }
        return out;
    }

    /** The labels of the samples at {@code idx}, in {@code manager}. */
    public NDList labels(NDManager manager, int[] idx) {
        NDList out = new NDList(labels.size());
        if (resident != null) {
            resident.labels().forEach(a -> out.add(take(a, manager, idx)));
            return out;
        }
        if (isPrepared(idx)) {
            for (int i = 0; i < labels.size(); i++) {
                out.add(Staging.create(manager, prepared.labels()[i], labels.get(i).batchShape(idx.length)));
            }
            return out;
        }
        for (Tensor t : labels) {
            out.add(t.gather(manager, idx));
        }
        return out;
    }

    /**
     * The sample indices of each batch of one pass: in order, or in a fresh random order drawn from
     * {@code random}. The last batch may be smaller.
     */
    public Iterable<int[]> batches(int batchSize, boolean shuffle, Random random) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch_size must be positive, received " + batchSize);
        }
        int n = size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (shuffle) {
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return () -> new Iterator<>() {
            private int next = 0;

            @Override
            public boolean hasNext() {
                return next < n;
            }

            @Override
            public int[] next() {
                if (next >= n) {
                    throw new NoSuchElementException();
                }
                int end = Math.min(n, next + batchSize);
                int[] idx = Arrays.copyOfRange(order, next, end);
                next = end;
                return idx;
            }
        };
    }

    /** The number of batches of one pass. */
    public int batchCount(int batchSize) {
        return (size() + batchSize - 1) / batchSize;
    }
}
