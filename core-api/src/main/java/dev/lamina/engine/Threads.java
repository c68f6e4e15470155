package dev.lamina.engine;

/**
 * How many threads one operation may use. By default every core (PyTorch's and MXNet's own
 * default); {@code LAMINA_THREADS} or the system property {@code lamina.threads} (the command
 * line's {@code --threads}) sets a number. PyTorch takes it from DJL's {@code
 * ai.djl.pytorch.num_threads} when the engine starts; MXNet reads {@code OMP_NUM_THREADS} from
 * the environment before it loads, which only a launcher can set (the {@code lamina} script does).
 *
 * <p>Several trainings on the same cores stay usable because the {@code lamina} launcher and the
 * test configuration set {@code OMP_WAIT_POLICY=PASSIVE}: an idle OpenMP thread sleeps instead of
 * spinning for the next parallel region, which with two processes on two cores took the core the
 * other one needed.
 *
 * <p>PyTorch's count is held by each thread (OpenMP's), and other libraries change it: MXNet, when
 * it starts, sets the count of the thread that loads it to 1, and in one process the two engines
 * share one OpenMP library, so PyTorch then ran single-threaded on that thread without a word
 * (DJL starts MXNet, its default engine, from {@code Trainer.initialize} when both are on the
 * class path). {@link #pin} puts the count back, on the calling thread, to the one asked for or
 * PyTorch's own when it started; fit, evaluate and predict call it first (through {@link
 * EngineThread#prepare}).
 */
public final class Threads {
    /** The system property that holds the thread count. */
    public static final String PROPERTY = "lamina.threads";

    private Threads() {}

    /** The thread count asked for, or 0 for the engines' default (every core). */
    public static int requested() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) {
            v = System.getenv("LAMINA_THREADS");
        }
        if (v == null || v.isBlank()) {
            return 0;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new IllegalArgumentException("threads must be a whole number >= 1, received '" + v
                + "' (from --threads, -D" + PROPERTY + " or LAMINA_THREADS)");
    }

    /** PyTorch's thread count when Lamina first started it (or the one asked for); 0 before. */
    private static volatile int torchThreads;

    /** Records PyTorch's count after it starts ({@code engine} is DJL's name); once a process. */
    static void started(String engine) {
        if (engine.equals("PyTorch") && torchThreads == 0) {
            int n = requested();
            torchThreads = n > 0 ? n : TorchOneDnn.threads();
        }
    }

    /**
     * The thread count one PyTorch operation uses from this process's Lamina models: the one asked
     * for, else PyTorch's own default when it started (0 before it started).
     */
    public static int torch() {
        return torchThreads;
    }

    /**
     * Sets PyTorch's thread count for the calling thread back to {@link #torch()} where something
     * changed it (see the class); nothing for another engine ({@code engine} is DJL's name).
     */
    public static void pin(String engine) {
        int n = torchThreads;
        if (engine.equals("PyTorch") && n > 0 && TorchOneDnn.threads() != n) {
            TorchOneDnn.threads(n);
        }
    }

    /** Passes the count to the engines; call before an engine starts (it is read once). */
    public static void configure() {
        int n = requested();
        if (n > 0 && System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(n));
        }
    }
}
