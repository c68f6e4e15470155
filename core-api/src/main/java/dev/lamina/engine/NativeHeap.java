package dev.lamina.engine;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.util.Locale;
import java.util.Map;

/**
 * Settings for the C allocator the engines' arrays come from, made once when the first engine
 * loads.
 *
 * <p>libtorch has no memory pool on the CPU: every array of every step is a {@code malloc} and a
 * {@code free} of a few megabytes. With glibc's defaults, a thread other than the process's first
 * (every Java thread) allocates from a heap that glibc shrinks as soon as its free top passes a
 * small threshold, giving the pages back to the system; the next step asks for them again, and
 * each page touched afresh is a page fault. Measured on this project's machines, in a JVM with
 * the default heap, a small residual network trained on PyTorch took about 40,000 page faults per
 * 30 steps and ran at 2,700 to 4,900 samples/s; with these settings, under 6,300 and 4,500 to
 * 5,100 samples/s, the same peak resident memory. PyTorch's own guides give the same advice for
 * Python (a caching allocator such as jemalloc); these settings get most of it from the allocator
 * already loaded.
 *
 * <p>The settings: blocks come from the heap instead of a mapping of their own (glibc maps
 * blocks of more than {@value #MMAP_MIB} MiB at most, and unmaps them when freed: an LSTM of 128
 * units on batches of 128 rows made and freed a 38.5 MB block every step: 1.4 million page faults
 * in one epoch of Fashion-MNIST and 36 s, against 0.58 million and 17 s; a block too large for a
 * thread's heap, above 64 MiB, is still mapped: the {@code lamina} launcher and the test
 * configuration set {@code MALLOC_ARENA_MAX=1}, which only the environment can, so that every
 * thread allocates from the main heap and no block is too large for it), the heap grows
 * {@value #TOP_PAD_MIB} MiB at a time, and gives
 * memory back only when {@value #TRIM_MIB} MiB at its top are free. Resident memory so stays at
 * what training needs instead of rising and falling every step (five epochs of that LSTM: peak
 * 1,234 MB against 1,308 MB without). The threshold was 128 MiB first; evaluation in batches as
 * large as its budget (see the training loop's budgets) grows the heap past that, the free then
 * gave it back, and the next fit faulted it in again: the bench's ResNet on PyTorch, a fit after
 * each two evaluations, took 40,000 to 120,000 page faults a round and ran at 0.6 to 0.8 of the
 * same fit without them; at 512 MiB, 0 to 3,200 a round after the first three, for a peak
 * resident memory of 1,869 MB against 1,743 MB.
 *
 * <p>Only on Linux with glibc; never when the environment already sets glibc's allocator
 * ({@code MALLOC_*_} variables or {@code GLIBC_TUNABLES}), and not when {@code
 * -Dlamina.native.heap=system} or {@code LAMINA_NATIVE_HEAP=system} asks for glibc's defaults.
 */
public final class NativeHeap {
    /** The system property that chooses: {@code tuned} (default) or {@code system}. */
    public static final String PROPERTY = "lamina.native.heap";

    static final int MMAP_MIB = 32;
    static final int TOP_PAD_MIB = 16;
    static final int TRIM_MIB = 512;

    // mallopt's parameters, from glibc's malloc.h
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_TOP_PAD = -2;
    private static final int M_MMAP_THRESHOLD = -3;
    private static final int M_MMAP_MAX = -4;

    private static String state;

    private NativeHeap() {}

    /**
     * Applies the settings once per process, and says what happened: "tuned", or why not
     * ("asked for the system's", "set by the environment", "not glibc").
     */
    public static synchronized String configure() {
        if (state == null) {
            state = apply();
        }
        return state;
    }

    private static String apply() {
        String choice = System.getProperty(PROPERTY);
        if (choice == null || choice.isBlank()) {
            choice = System.getenv("LAMINA_NATIVE_HEAP");
        }
        String reason = reasonNot(choice, System.getenv(), System.getProperty("os.name", ""));
        if (reason != null) {
            return reason;
        }
        try {
            NativeLibrary c = NativeLibrary.getInstance("c");
            c.getFunction("gnu_get_libc_version"); // throws where the C library is not glibc
            Function mallopt = c.getFunction("mallopt");
            boolean ok = set(mallopt, M_MMAP_THRESHOLD, MMAP_MIB << 20)
                    && set(mallopt, M_TOP_PAD, TOP_PAD_MIB << 20)
                    && set(mallopt, M_TRIM_THRESHOLD, TRIM_MIB << 20)
                    && set(mallopt, M_MMAP_MAX, 0);
            return ok ? "tuned" : "refused by glibc";
        } catch (LinkageError | RuntimeException e) {
            return "not glibc";
        }
    }

    /** Why the settings are not to be made, or null when they are. */
    static String reasonNot(String choice, Map<String, String> env, String osName) {
        String c = choice == null || choice.isBlank() ? "tuned" : choice.trim().toLowerCase(Locale.ROOT);
        if (c.equals("system")) {
            return "asked for the system's";
        }
        if (!c.equals("tuned")) {
            throw new IllegalArgumentException(PROPERTY + " (or LAMINA_NATIVE_HEAP) must be 'tuned'"
                    + " or 'system', received '" + choice.trim() + "'");
        }
        if (env.keySet().stream().anyMatch(k -> k.equals("GLIBC_TUNABLES")
                || (k.startsWith("MALLOC_") && k.endsWith("_")))) {
            return "set by the environment";
        }
        return osName.toLowerCase(Locale.ROOT).contains("linux") ? null : "not glibc";
    }

    private static boolean set(Function mallopt, int param, int value) {
        return mallopt.invokeInt(new Object[] {param, value}) == 1;
    }
}
