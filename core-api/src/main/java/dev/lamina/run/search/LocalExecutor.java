package dev.lamina.run.search;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Runs {@code parallel} trials at once on this machine, each in a process of its own
 * ({@link TrialProcess}) given its share of the cores: the engines' thread settings, random
 * seed and native memory are per process, so trials side by side neither collapse on threads nor
 * draw each other's random numbers.
 */
public final class LocalExecutor implements TrialExecutor {
    private final int parallel;
    private final ExecutorService pool;

    /** Runs at most {@code parallel} trials at once. */
    public LocalExecutor(int parallel) {
        if (parallel < 1) {
            throw new IllegalArgumentException("expected a positive number of trials at once,"
                    + " received parallel=" + parallel);
        }
        this.parallel = parallel;
        this.pool = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "lamina-trial");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The cores divided among the trials at once (at least one each), unless threads were asked
     * for ({@code --threads}, {@code LAMINA_THREADS}): then that many per trial.
     */
    @Override
    public int threadsPerTrial(int parallel) {
        int asked = dev.lamina.engine.Threads.requested();
        return asked > 0 ? asked
                : Math.max(1, Runtime.getRuntime().availableProcessors() / parallel);
    }

    @Override
    public void run(List<TrialTask> tasks, Consumer<TrialResult> done) throws Exception {
        List<Future<?>> futures = new ArrayList<>();
        for (TrialTask t : tasks) {
            futures.add(pool.submit(() -> {
                TrialResult r = TrialProcess.run(t);
                synchronized (done) {
                    done.accept(r);
                }
                return null;
            }));
        }
        try {
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            throw e.getCause() instanceof Exception x ? x : e;
        }
    }

    /** The trials at once. */
    public int parallel() {
        return parallel;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
