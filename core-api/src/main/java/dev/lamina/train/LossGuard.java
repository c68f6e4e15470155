package dev.lamina.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * The NaN guard's bookkeeping, so that it keeps its promise (training stops at the first batch
 * whose loss is not finite, with the weights as they were before that batch) without reading
 * every batch's loss back from the engine.
 *
 * <p>When steps are fast, each batch's loss stays on the engine in a list, and the list is
 * checked with one read at most {@value #CHECK_MILLIS} ms apart, at the end of each epoch,
 * before a checkpoint, and whenever a callback reads the logs. Before the first batch after a
 * good check, the guard copies the weights and the step's state (optimizer moments and counts,
 * the running sums) on the engine. When a check finds a bad loss, the loop puts that copy back
 * and runs the batches since again (the same indices and the same seeds: the same numbers),
 * reading each loss, so the bad one stops the fit exactly as a check of every batch would have;
 * a bad loss that does not repeat (a native read of memory it did not set, such as the freed
 * constants {@code engine.Constants} prevents) is reported and training goes on. When a step
 * takes {@value #SLOW_MILLIS} ms or more, reading its loss costs little next to it, and the
 * guard checks each batch as it comes instead of copying a large model again and again; so it
 * does for steps that cannot put back their state.
 */
final class LossGuard implements AutoCloseable {
    /** The most time between two checks of fast steps. */
    static final long CHECK_MILLIS = 250;
    /** A step this slow is checked at once. */
    static final long SLOW_MILLIS = 20;
    /**
     * {@code -Dlamina.nan.guard=every-batch} checks every batch as it comes; {@code deferred}
     * defers every batch, however slow (both for tests; unset, the step's time decides).
     */
    static final String MODE_PROPERTY = "lamina.nan.guard";

    /** A batch whose loss is not read yet. */
    record Pending(int epoch, int batch, int[] idx, long updates, NDArray loss) {}

    private final Trainable model;
    private final TrainingStep step;
    private final boolean deferrable;
    private final boolean alwaysDefer;
    private final List<Pending> pending = new ArrayList<>();
    private NDManager saved;
    private WeightSnapshot weights;
    private Snapshot stepState;
    private long savedUpdates;
    private long lastCheck = System.nanoTime();
    private long lastStepNanos = Long.MAX_VALUE;

    LossGuard(Trainable model, TrainingStep step) {
        this.model = model;
        this.step = step;
        String mode = System.getProperty(MODE_PROPERTY, "");
        this.deferrable = step.canRestore() && !mode.equals("every-batch");
        this.alwaysDefer = deferrable && mode.equals("deferred");
    }

    /** Whether the batch that takes {@code lastStepNanos} to run is checked as it comes. */
    boolean checkNow() {
        return !deferrable || !alwaysDefer && lastStepNanos >= SLOW_MILLIS * 1_000_000L;
    }

    /** Records how long the last batch took. */
    void stepTook(long nanos) {
        lastStepNanos = nanos;
    }

    /** Whether anything waits to be checked. */
    boolean hasPending() {
        return !pending.isEmpty();
    }

    /**
     * Remembers a batch's loss, to be checked later. The step keeps the array alive until the
     * epoch ends (Supervised's running sums hold it), so nothing is copied here.
     */
    void defer(int epoch, int batch, int[] idx, long updates, NDArray loss) {
        pending.add(new Pending(epoch, batch, idx, updates, loss));
    }

    /** Whether it is time for a check of the pending losses. */
    boolean due() {
        return !pending.isEmpty() && System.nanoTime() - lastCheck >= CHECK_MILLIS * 1_000_000L;
    }

    /**
     * Checks the pending losses with one read: null when all are finite (the next deferred
     * batch copies the state again), else the first bad batch (the copy kept, to be put back).
     */
    Pending check() {
        lastCheck = System.nanoTime();
        if (pending.isEmpty()) {
            return null;
        }
        NDList all = new NDList();
        pending.forEach(p -> all.add(p.loss().reshape(1)));
        try (NDManager m = model.djlModel().getNDManager().newSubManager()) {
            all.forEach(a -> a.attach(m));
            NDArray stacked = NDArrays.concat(all);
            stacked.attach(m);
            // x − x is 0 for a finite x, NaN for NaN and infinities (MXNet has no isInfinite)
            NDArray finite = stacked.sub(stacked).eq(0);
            finite.attach(m);
            boolean[] ok = finite.toBooleanArray();
            for (int i = 0; i < ok.length; i++) {
                if (!ok[i]) {
                    return pending.get(i);
                }
            }
        }
        clearPending();
        closeSaved();
        return null;
    }

    /** Whether the state must be copied before the next batch is deferred. */
    boolean needsSave() {
        return weights == null;
    }

    /** A new epoch's running sums begin: the next deferred batch copies the state again. */
    void epochBegins() {
        if (!pending.isEmpty()) {
            throw new IllegalStateException("losses of the last epoch were left unchecked");
        }
        closeSaved();
    }

    /**
     * Copies the weights and the step's state as they are before a batch, after {@code
     * updatesNow} updates: where a bad window starts again from.
     */
    void save(long updatesNow) {
        closeSaved();
        saved = model.djlModel().getNDManager().newSubManager();
        weights = WeightSnapshot.of(model);
        stepState = step.snapshot(saved);
        savedUpdates = updatesNow;
    }

    /**
     * Puts back the weights and step state of the last good check; returns the batches run
     * since, to run again, and forgets the pending losses.
     */
    List<Pending> rollBack() {
        weights.restoreTo(model);
        step.restore(stepState);
        // the engines clear a gradient by subtracting it from itself, which leaves a NaN there:
        // the bad batches' gradients are overwritten with zeros
        for (Pair<String, Parameter> p : model.block().getParameters()) {
            NDArray w = p.getValue().getArray();
            if (w.hasGradient()) {
                try (NDArray zeros = w.getGradient().zerosLike()) {
                    zeros.copyTo(w.getGradient());
                }
            }
        }
        List<Pending> window = new ArrayList<>(pending);
        clearPending();
        return window;
    }

    /** The window ran again cleanly: the next deferred batch copies the state afresh. */
    void replayed() {
        closeSaved();
    }

    /** The number of updates at the last good check. */
    long savedUpdates() {
        return savedUpdates;
    }

    private void clearPending() {
        pending.clear(); // the arrays are the step's
    }

    private void closeSaved() {
        if (weights != null) {
            weights.close();
            weights = null;
        }
        if (saved != null) {
            saved.close();
            saved = null;
        }
    }

    @Override
    public void close() {
        clearPending();
        closeSaved();
    }
}
