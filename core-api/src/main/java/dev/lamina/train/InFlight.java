package dev.lamina.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;

/**
 * Frees each batch's native arrays once the next batch is issued, on an engine that runs
 * operations asynchronously. MXNet computes on its own threads while Java issues operations, but
 * freeing an array waits until the engine has computed it: freed at the end of its batch, every
 * batch would wait for the engine, and the engine would wait while Java issues the next one.
 * Freed one batch late, the engine computes one batch while Java issues the next, and nothing
 * waits per batch. PyTorch computes each operation as it is called, so there a batch's arrays
 * are freed at once (keeping them would only hold memory).
 *
 * <p>Usage: {@link #begin()} before a batch, {@link #issued} after its last operation, and
 * {@link #settle()} before anything that must see every batch finished or that makes arrays to
 * keep beyond the batch (which would otherwise join the batch in flight's scope).
 */
final class InFlight implements AutoCloseable {
    /**
     * What one batch makes: a manager for its data and results, and a scope for what DJL puts
     * elsewhere (results of operations on weights, which it attaches to the weights' manager, and
     * gradient handles). Closing frees both.
     */
    static final class Batch implements AutoCloseable {
        private final NDScope scope;
        private final NDManager manager;

        private Batch(NDManager root) {
            this.scope = new NDScope();
            this.manager = root.newSubManager();
        }

        /** The batch's manager. */
        NDManager manager() {
            return manager;
        }

        @Override
        public void close() {
            try {
                scope.close();
            } finally {
                manager.close();
            }
        }
    }

    private final NDManager root;
    private final boolean async;
    private Batch last;

    /** Batches whose managers are children of {@code root}, on {@code root}'s engine. */
    InFlight(NDManager root) {
        this.root = root;
        this.async = root.getEngine().getEngineName().equals("MXNet");
    }

    /** Whether batches are freed one late (the engine runs asynchronously). */
    boolean isAsync() {
        return async;
    }

    /** The arrays of a new batch. */
    Batch begin() {
        return new Batch(root);
    }

    /** {@code batch} is issued: the batch before it is freed (waiting for it), or this one at once. */
    void issued(Batch batch) {
        if (!async) {
            batch.close();
            return;
        }
        Batch previous = last;
        last = batch;
        if (previous != null) {
            previous.close();
        }
    }

    /** Frees the batch in flight, if any, waiting for the engine to finish it. */
    void settle() {
        if (last != null) {
            Batch b = last;
            last = null;
            b.close();
        }
    }

    /** A batch that failed: frees it and the one in flight. */
    void abandon(Batch batch) {
        try {
            batch.close();
        } finally {
            settle();
        }
    }

    @Override
    public void close() {
        settle();
    }
}
