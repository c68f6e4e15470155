package dev.lamina.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.util.NativeResource;
import com.sun.jna.Function;
import com.sun.jna.Pointer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * MXNet's own mark of a fresh gradient: its backward pass sets it on every weight whose gradient
 * it wrote, and it stays until someone resets it ({@code MXNDArrayGetGradState} and {@code
 * MXNDArraySetGradState}, which Gluon's trainer uses to warn of a stale gradient; DJL does not
 * call them). MXNet writes a gradient afresh rather than adding to it, so an update that resets
 * the mark instead of clearing the gradient loses nothing: a gradient the next backward pass
 * writes is marked again, and one it does not reach is found unmarked and cleared then.
 *
 * <p>Lamina relies on what a probe checks once per device, on the running engine: a backward
 * pass marks the weights it reached and leaves the others (marks and gradients) as they were,
 * and a reset mark reads as reset. Where the probe fails, or the functions cannot be reached,
 * {@link #tracks} answers false and the gradients are cleared as before.
 */
final class MxnetGradientMarks {
    private static final Map<Device, Boolean> WORKS = new ConcurrentHashMap<>();
    private static volatile Optional<Calls> calls;

    private MxnetGradientMarks() {}

    /** The two C functions, from the libmxnet this process loaded. */
    private record Calls(Function get, Function set) {}

    /** Whether {@code weight} is an MXNet array whose gradient marks can be trusted. */
    static boolean tracks(NDArray weight) {
        if ("false".equals(System.getProperty(Gradients.MARKS_PROPERTY))
                || !(weight instanceof NativeResource<?>)
                || !weight.getManager().getEngine().getEngineName().equals("MXNet")) {
            return false;
        }
        return WORKS.computeIfAbsent(weight.getDevice(), d -> probe(weight.getManager()));
    }

    /** Whether a backward pass wrote the gradient of {@code weight} since its mark was reset. */
    static boolean isFresh(NDArray weight) {
        int[] state = new int[1];
        check(functions().get.invokeInt(new Object[] {handle(weight), state}), "MXNDArrayGetGradState");
        return state[0] != 0;
    }

    /** Resets the mark of {@code weight}: its gradient is used. */
    static void reset(NDArray weight) {
        check(functions().set.invokeInt(new Object[] {handle(weight), 0}), "MXNDArraySetGradState");
    }

    private static Pointer handle(NDArray array) {
        return (Pointer) ((NativeResource<?>) array).getHandle();
    }

    private static void check(int status, String call) {
        if (status != 0) {
            throw new IllegalStateException("MXNet's " + call + " failed (status " + status + ")");
        }
    }

    private static Calls functions() {
        Optional<Calls> c = calls;
        if (c == null) {
            c = LoadedLibraries.open("libmxnet.so").map(mxnet -> new Calls(
                    mxnet.getFunction("MXNDArrayGetGradState"), mxnet.getFunction("MXNDArraySetGradState")));
            calls = c;
        }
        return c.orElseThrow(() -> new IllegalStateException("libmxnet is not loaded"));
    }

    /**
     * Two weights, a backward pass through the first only: it must be marked and the second not,
     * its gradient untouched; a reset mark must read as reset; then a pass through the second
     * alone must mark it and leave the first's gradient as it was.
     */
    private static boolean probe(NDManager parent) {
        try (NDManager m = parent.newSubManager()) {
            NDArray a = m.create(new float[] {1f, 2f});
            NDArray b = m.create(new float[] {3f, 4f});
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            reset(a);
            reset(b);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                gc.backward(a.mul(3f).sum());
            }
            if (!isFresh(a) || isFresh(b) || !equal(a.getGradient(), 3f, 3f)
                    || !equal(b.getGradient(), 0f, 0f)) {
                return false;
            }
            reset(a);
            if (isFresh(a)) {
                return false;
            }
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                gc.backward(b.mul(5f).sum());
            }
            return !isFresh(a) && isFresh(b) && equal(a.getGradient(), 3f, 3f)
                    && equal(b.getGradient(), 5f, 5f);
        } catch (RuntimeException | LinkageError e) {
            return false; // the functions are missing or behave otherwise: clear as before
        }
    }

    private static boolean equal(NDArray x, float... expected) {
        return java.util.Arrays.equals(x.toFloatArray(), expected);
    }
}
