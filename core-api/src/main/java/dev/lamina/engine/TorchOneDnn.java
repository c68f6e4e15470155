package dev.lamina.engine;

import ai.djl.ndarray.NDArray;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;

/**
 * Turns oneDNN off in the running libtorch, as Python's {@code torch.backends.mkldnn.enabled =
 * False} does: {@code at::globalContext().setUserEnabledMkldnn(false)}. DJL has no call for it, so
 * it is called through JNA on the library DJL loaded (found in {@code /proc/self/maps}). PyTorch
 * reads the flag at every convolution and recurrent call, so it works after the engine started;
 * convolutions then take PyTorch's own im2col + BLAS path and the LSTM its reference path.
 *
 * <p>Neither the oneDNN ISA cap ({@code ONEDNN_MAX_CPU_ISA=AVX2}) nor one thread makes the
 * faulty input gradient right: they change which uninitialised values it reads. This switch does.
 */
final class TorchOneDnn implements KernelCheck.Remedy {
    private static final String CONTEXT = "_ZN2at13globalContextEv";
    private static final String SET = "_ZN2at7Context20setUserEnabledMkldnnEb";
    private static final String GET = "_ZNK2at7Context17userEnabledMkldnnEv";
    private static final String NNPACK = "_ZN2at7Context20setUserEnabledNNPACKEb";

    @Override
    public String describe() {
        return "Lamina turned oneDNN off in PyTorch for this process";
    }

    @Override
    public boolean apply() {
        return context().map(c -> {
            c.torch.getFunction(SET).invokeVoid(new Object[] {c.ctx, (byte) 0});
            return (c.torch.getFunction(GET).invokeInt(new Object[] {c.ctx}) & 0xff) == 0;
        }).orElse(false);
    }

    /**
     * Turns NNPACK off. PyTorch asks for it before every float64 (and, without oneDNN, float32)
     * convolution, and on CPUs it does not support it prints a warning each time; PyTorch's own
     * path, the one the check measures, is taken instead. Returns false when it cannot.
     */
    static boolean quietNnpack() {
        return context().map(c -> {
            c.torch.getFunction(NNPACK).invokeVoid(new Object[] {c.ctx, (byte) 0});
            return true;
        }).orElse(false);
    }

    private static final Method REQUIRES_GRAD = jni("requiresGrad", ptNDArray());

    /**
     * Whether a leaf array (data, not the result of an operation) asks for its gradient, as
     * PyTorch records it; true when it cannot tell. DJL's answer is false for every non-leaf.
     */
    static boolean leafRequiresGrad(NDArray x) {
        if (REQUIRES_GRAD == null || !REQUIRES_GRAD.getParameterTypes()[0].isInstance(x)) {
            return true;
        }
        try {
            return (Boolean) REQUIRES_GRAD.invoke(null, x);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true;
        }
    }

    private static final Method GRAD_MODE = jni("isGradMode");

    /** Whether PyTorch records gradients now (inside a gradient collector); true when unsure. */
    static boolean gradMode() {
        try {
            return GRAD_MODE == null || (Boolean) GRAD_MODE.invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true;
        }
    }

    private static final Method SET_GRAD_MODE = jni("setGradMode", boolean.class);

    /**
     * {@code f} run with PyTorch recording gradients (as inside a gradient collector), the mode
     * restored after; throws {@link IllegalStateException} where PyTorch's switch is not
     * reachable (another engine, or a DJL without it).
     */
    static <T> T withGradMode(java.util.function.Supplier<T> f) {
        if (SET_GRAD_MODE == null || GRAD_MODE == null) {
            throw new IllegalStateException("PyTorch's gradient mode is not reachable");
        }
        boolean before = gradMode();
        try {
            SET_GRAD_MODE.invoke(null, true);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("PyTorch's gradient mode is not reachable", e);
        }
        try {
            return f.get();
        } finally {
            try {
                SET_GRAD_MODE.invoke(null, before);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("PyTorch's gradient mode could not be restored", e);
            }
        }
    }

    /** Turns PyTorch's gradient recording on or off for the calling thread; false when it cannot. */
    static boolean gradMode(boolean on) {
        return set(SET_GRAD_MODE, on);
    }

    private static final Method GET_THREADS = jni("getNumThreads");
    private static final Method SET_THREADS = jni("setNumThreads", int.class);

    /** PyTorch's intra-op thread count for the calling thread; 0 when it cannot tell. */
    static int threads() {
        try {
            return GET_THREADS == null ? 0 : (Integer) GET_THREADS.invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return 0;
        }
    }

    /** Sets PyTorch's intra-op thread count for the calling thread; false when it cannot. */
    static boolean threads(int n) {
        return set(SET_THREADS, n);
    }

    /** Calls the static setter {@code m} with {@code value}; false when it cannot. */
    private static boolean set(Method m, Object value) {
        try {
            if (m == null) {
                return false;
            }
            m.invoke(null, value);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    private static Class<?> ptNDArray() {
        try {
            return Class.forName("ai.djl.pytorch.engine.PtNDArray");
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    private static Method jni(String name, Class<?>... types) {
        if (Arrays.asList(types).contains(null)) {
            return null;
        }
        try {
            return Class.forName("ai.djl.pytorch.jni.JniUtils").getMethod(name, types);
        } catch (ReflectiveOperationException | LinkageError e) {
            return null; // no PyTorch engine on the class path
        }
    }

    private record Context(NativeLibrary torch, Pointer ctx) {}

    private static Optional<Context> context() {
        try {
            return LoadedLibraries.open("libtorch_cpu.so").map(torch ->
                    new Context(torch, torch.getFunction(CONTEXT).invokePointer(new Object[0])));
        } catch (LinkageError | RuntimeException e) {
            // no JNA, a libtorch without the symbol, or not Linux: the caller refuses instead
            return Optional.empty();
        }
    }
}
