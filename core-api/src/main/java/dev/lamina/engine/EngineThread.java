package dev.lamina.engine;

/**
 * What an engine keeps per thread, set for Lamina's work on the calling thread. fit, evaluate and
 * predict call {@link #prepare} first, so a model works the same from any thread: a server's
 * worker, a pool, a thread of the user's own.
 *
 * <p>PyTorch keeps two such settings. Gradient recording: DJL turns it off only on the thread that
 * starts PyTorch, and on every other thread PyTorch records by default, so a fit there failed at
 * its first update ("a leaf Variable that requires grad is being used in an in-place operation")
 * and inference recorded a graph it never used. And the thread count one operation uses (see
 * {@link Threads}). MXNet keeps neither per thread.
 */
public final class EngineThread {
    private EngineThread() {}

    /** Gradient recording off and the thread count pinned, for {@code engine} (DJL's name). */
    public static void prepare(String engine) {
        if (engine.equals("PyTorch")) {
            TorchOneDnn.gradMode(false);
            Threads.pin(engine);
        }
    }
}
