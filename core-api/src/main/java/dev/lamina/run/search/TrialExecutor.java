package dev.lamina.run.search;

import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a search's trials and hands each result back as the trial ends ({@code done} may be called
 * from any thread, one call at a time). The local executor runs them as processes on this
 * machine; the Spark executor ({@code lamina-cli}) as tasks of a Spark job.
 */
public interface TrialExecutor extends AutoCloseable {
    /** Runs {@code tasks}; returns when every one has ended and been handed to {@code done}. */
    void run(List<TrialTask> tasks, Consumer<TrialResult> done) throws Exception;

    /** The threads each trial gets, given {@code parallel} trials at once. */
    int threadsPerTrial(int parallel);

    /** Frees what the executor holds (a Spark context, a pool of threads). */
    @Override
    default void close() {
    }
}
