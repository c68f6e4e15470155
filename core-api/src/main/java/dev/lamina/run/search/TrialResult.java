package dev.lamina.run.search;

import java.io.Serializable;

/**
 * How one trial ended: {@code ok} with its objective's best value and the epoch (from 1) that gave
 * it (0 for a test score), {@code stopped} when its loss became NaN or infinite, {@code failed}
 * when it threw; {@code message} says why (empty when ok). {@code seconds} is its wall time.
 */
public record TrialResult(int number, String status, double metric, int bestEpoch,
        double seconds, String message) implements Serializable {
    /** The trial finished and reported its metric. */
    public static final String OK = "ok";
    /** The trial stopped because its loss became NaN or infinite. */
    public static final String STOPPED = "stopped";
    /** The trial threw, or its process ended without a result. */
    public static final String FAILED = "failed";

    public TrialResult {
        message = message == null ? "" : message;
    }

    /** True when the trial finished with a metric to compare. */
    public boolean ok() {
        return status.equals(OK) && !Double.isNaN(metric);
    }
}
