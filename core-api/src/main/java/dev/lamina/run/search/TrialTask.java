package dev.lamina.run.search;

import java.io.Serializable;

/**
 * What an executor needs to run one trial anywhere: the trial, its run directory (an absolute
 * path), the objective and the threads it may use. Serializable, so a Spark task can carry it.
 */
public record TrialTask(Trial trial, String directory, Objective objective, int threads)
        implements Serializable {
    public TrialTask {
        if (threads < 1) {
            throw new IllegalArgumentException("a trial needs at least one thread, received "
                    + threads);
        }
    }
}
