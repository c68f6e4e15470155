package dev.lamina.train;

import ai.djl.ndarray.NDManager;
import dev.lamina.spec.SpecException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stops training when a monitored quantity has stopped improving, as Keras 3's {@code
 * EarlyStopping}, with its settings and rules:
 *
 * <ul>
 *   <li>{@code monitor} (default {@code val_loss}); {@code mode} {@code auto} (a loss is
 *       minimised; accuracy, auc, precision and recall are maximised; any other name needs
 *       {@code min} or {@code max}), {@code min} or {@code max};
 *   <li>{@code min_delta} (0): a change of at most this much is no improvement;
 *   <li>{@code patience} (0): epochs without improvement after which training stops. Each epoch
 *       counts one; an improvement sets the count back to 0, and training stops at the first
 *       epoch that does not improve once the count has reached {@code patience};
 *   <li>{@code baseline} (none): an improvement only sets the count back when it also beats the
 *       baseline, so training stops after {@code patience} epochs unless one beats it;
 *   <li>{@code restore_best_weights} (false): at the end of training, whether it stopped early
 *       or ran all its epochs (Keras 3's rule), the weights of the best epoch are put back. The
 *       copy is kept in native memory that is freed when training ends;
 *   <li>{@code start_from_epoch} (0): epochs before this one (0-based) are not watched.
 * </ul>
 *
 * Keras's {@code verbose} is left out: Lamina's progress output shows the epochs. Where Keras
 * warns that the monitored quantity is missing and carries on, Lamina stops with an error naming
 * what the run reports.
 */
public final class EarlyStopping implements Callback {
    /** The name in run files. */
    public static final String TYPE = "early_stopping";

    private final Monitor monitor;
    private final double minDelta;
    private final int patience;
    private final Double baseline;
    private final boolean restoreBestWeights;
    private final int startFromEpoch;
    private Double best;
    private int wait;
    private int stoppedEpoch = -1;
    private int bestEpoch = -1;
    private WeightSnapshot bestWeights;

    /** Watches {@code monitor} (such as {@code val_loss}) with {@code patience} epochs of patience. */
    public EarlyStopping(String monitor, int patience) {
        this(monitor, 0, patience, "auto", null, false, 0);
    }

    /** {@code mode} is auto, min or max. */
    public EarlyStopping(String monitor, int patience, double minDelta, String mode) {
        this(monitor, minDelta, patience, mode, null, false, 0);
    }

    /**
     * Every setting, in Keras's order: {@code baseline} may be null (none).
     *
     * @throws SpecException naming the setting that cannot be taken
     */
    public EarlyStopping(String monitor, double minDelta, int patience, String mode,
            Double baseline, boolean restoreBestWeights, int startFromEpoch) {
        if (patience < 0) {
            throw new SpecException(TYPE, "patience", "expected an integer >= 0, received patience="
                    + patience);
        }
        if (startFromEpoch < 0) {
            throw new SpecException(TYPE, "start_from_epoch", "expected an integer >= 0, received"
                    + " start_from_epoch=" + startFromEpoch);
        }
        if (baseline != null && !Double.isFinite(baseline)) {
            throw new SpecException(TYPE, "baseline", "expected a finite number, received baseline="
                    + baseline);
        }
        this.monitor = new Monitor(TYPE, monitor, mode, minDelta);
        this.minDelta = Math.abs(minDelta);
        this.patience = patience;
        this.baseline = baseline;
        this.restoreBestWeights = restoreBestWeights;
        this.startFromEpoch = startFromEpoch;
    }

    @Override
    public void onTrainBegin(FitContext run) {
        best = null;
        wait = 0;
        stoppedEpoch = -1;
        bestEpoch = -1;
        freeBest();
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs, FitContext run) {
        double current = monitor.value(logs);
        if (epoch < startFromEpoch) {
            return;
        }
        if (restoreBestWeights && bestWeights == null) {
            // no best yet: the weights now are the best
            bestWeights = WeightSnapshot.of(run.model());
            bestEpoch = epoch;
        }
        wait++;
        if (monitor.improves(current, best)) {
            best = current;
            bestEpoch = epoch;
            if (restoreBestWeights) {
                freeBest();
                bestWeights = WeightSnapshot.of(run.model());
            }
            // the count starts again only when the value beats the baseline too
            if (baseline == null || monitor.improves(current, baseline)) {
                wait = 0;
            }
            return;
        }
        if (wait >= patience && epoch > 0) {
            stoppedEpoch = epoch;
            run.stopTraining();
        }
    }

    @Override
    public void onTrainEnd(History history, FitContext run) {
        try {
            if (restoreBestWeights && bestWeights != null) {
                bestWeights.restoreTo(run.model());
            }
        } finally {
            freeBest();
        }
    }

    /** The best value, the wait, and the best weights so far ride through a checkpoint. */
    @Override
    public Snapshot snapshot(NDManager manager) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("best", best == null ? "none" : best);
        v.put("wait", wait);
        v.put("best_epoch", bestEpoch);
        return new Snapshot(bestWeights == null ? Map.of() : bestWeights.toArrays(manager), v);
    }

    @Override
    public void restore(Snapshot state, FitContext run) {
        best = state.values().get("best") instanceof Number n ? n.doubleValue() : null;
        wait = (int) state.number("wait", 0);
        bestEpoch = (int) state.number("best_epoch", -1);
        freeBest();
        if (!state.arrays().isEmpty()) {
            bestWeights = WeightSnapshot.fromArrays(run.model(), state.arrays());
        }
    }

    private void freeBest() {
        if (bestWeights != null) {
            bestWeights.close();
            bestWeights = null;
        }
    }

    /** True while it holds a copy of the best weights (between the first watched epoch and the end). */
    boolean holdsWeights() {
        return bestWeights != null;
    }

    /** The epoch (0-based) training stopped at, or -1 when it ran to the end. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    /** The best epoch so far (0-based; -1 before any): the one whose weights are restored. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The best monitored value so far, or null before any. */
    public Double best() {
        return best;
    }

    public String monitor() {
        return monitor.monitor;
    }

    public String mode() {
        return monitor.mode;
    }

    public double minDelta() {
        return minDelta;
    }

    public int patience() {
        return patience;
    }

    /** The baseline, or null for none. */
    public Double baseline() {
        return baseline;
    }

    public boolean restoreBestWeights() {
        return restoreBestWeights;
    }

    public int startFromEpoch() {
        return startFromEpoch;
    }
}
