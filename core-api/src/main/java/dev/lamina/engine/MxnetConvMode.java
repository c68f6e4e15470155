package dev.lamina.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * MXNet's convolutions at inference, issued in the mode training uses wherever this CPU's oneDNN
 * gives the same numbers in both.
 *
 * <p>MXNet hands its per-thread training flag to oneDNN as the kind of pass (training or scoring),
 * and oneDNN may pick a different kernel for each. Measured here (AMD EPYC, 2 threads, batches of
 * 128 images of 28×28): a 1→16 channel 3×3 convolution took 2.0 ms scoring and 1.2 ms training,
 * a 16→16 one 5.3 and 4.1 ms, and evaluating the bench's ResNet ran at 11,400 samples a second
 * with the flag on against 9,100 without, the predictions the same bit for bit. The two kernels do
 * not always agree, though: 1×1 windows over 16 input channels or more, and most shapes over 32
 * or 64, differed in the last bits (up to 5e-4 for 64 channels and 7×7 windows). So each
 * configuration (input and weight shapes, bias, strides, padding, dilation, groups, type) is
 * tried once per process in both modes on a synthetic batch of its shape, and inference takes
 * the training mode only where the two agree bit for bit: the same kernel gives the same bits on
 * any data, and two kernels that sum in different orders differ somewhere on such a batch. The
 * flag is set around the one convolution and restored, so dropout, batch normalization and
 * every other operation see inference as before (MXNet reads it when an operation is issued).
 */
final class MxnetConvMode {
    /** Configurations tried at most; past it the rest keep the scoring mode. */
    static final int MAX_CONFIGURATIONS = 4096;

    private static final Map<Key, Boolean> AGREES = new ConcurrentHashMap<>();

    /**
     * MXNet's switches, looked up on first use only: loading DJL's MXNet classes loads MXNet,
     * whose start sets the calling thread's OpenMP thread count to 1, which PyTorch shares (see
     * {@link Threads}); a PyTorch model's first convolution did that, and its numbers changed.
     */
    private static final class Jna {
        static final Method IS_TRAINING = jna("autogradIsTraining");
        static final Method SET_TRAINING = jna("autogradSetTraining", boolean.class);
    }

    private MxnetConvMode() {}

    /** One convolution's configuration: what oneDNN chooses its kernel by. */
    record Key(Shape input, Shape weight, boolean bias, Shape stride, Shape padding,
            Shape dilation, int groups, DataType type) {}

    /**
     * {@code conv} issued with MXNet's training flag on when {@code x} is on MXNet's CPU
     * ({@code engine} is its engine's DJL name), the flag is off (inference) and this
     * configuration gives the same numbers in both modes; otherwise {@code conv} as it is.
     */
    static NDArray convolution(String engine, NDArray x, NDArray w, NDArray b, Shape stride,
            Shape padding, Shape dilation, int groups, Supplier<NDArray> conv) {
        if (!engine.equals("MXNet")
                || !x.getDevice().getDeviceType().equals(Device.Type.CPU)
                || Jna.SET_TRAINING == null || training()) {
            return conv.get();
        }
        Key key = new Key(x.getShape(), w.getShape(), b != null, stride, padding, dilation, groups,
                x.getDataType());
        Boolean agrees = AGREES.get(key);
        if (agrees == null) {
            if (AGREES.size() >= MAX_CONFIGURATIONS) {
                return conv.get();
            }
            agrees = probe(x.getManager(), key);
            AGREES.put(key, agrees);
        }
        return agrees ? inTrainingMode(conv) : conv.get();
    }

    /** The verdict for {@code key} if it was tried in this process; null if not. */
    static Boolean verdict(Key key) {
        return AGREES.get(key);
    }

    /** Whether MXNet's training flag is on for the calling thread; true when it cannot tell. */
    static boolean training() {
        try {
            return Jna.IS_TRAINING == null || (Boolean) Jna.IS_TRAINING.invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true;
        }
    }

    /** {@code f} run with MXNet's training flag on, the flag restored after. */
    static <T> T inTrainingMode(Supplier<T> f) {
        boolean before = set(true);
        try {
            return f.get();
        } finally {
            set(before);
        }
    }

    private static boolean set(boolean on) {
        try {
            return (Boolean) Jna.SET_TRAINING.invoke(null, on);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("MXNet's training flag is not reachable", e);
        }
    }

    /**
     * Whether the configuration gives the same bits in both modes, on a batch of its shape filled
     * with sin(i) and weights with cos(i) (no draw from the engine's generator, whose state the
     * run's numbers depend on).
     */
    private static boolean probe(NDManager parent, Key k) {
        try (NDManager m = parent.newSubManager()) {
            NDArray x = pattern(m, k.input(), k.type(), true);
            NDArray w = pattern(m, k.weight(), k.type(), false);
            NDArray b = k.bias() ? pattern(m, new Shape(k.weight().get(0)), k.type(), true) : null;
            Supplier<NDArray> conv = () -> x.getNDArrayInternal()
                    .convolution(x, w, b, k.stride(), k.padding(), k.dilation(), k.groups()).head();
            NDArray scoring = conv.get();
            NDArray training = inTrainingMode(conv);
            return scoring.contentEquals(training);
        }
    }

    /** sin(i) or cos(i) of each element's index, in {@code type}; the index array freed at once. */
    private static NDArray pattern(NDManager m, Shape shape, DataType type, boolean sine) {
        NDArray i = m.arange(0f, (float) shape.size(), 1f, DataType.FLOAT32);
        NDArray v = sine ? i.sin() : i.cos();
        i.close();
        NDArray typed = v.toType(type, false);
        if (typed != v) {
            v.close();
        }
        return typed.reshape(shape);
    }

    private static Method jna(String name, Class<?>... types) {
        try {
            return Class.forName("ai.djl.mxnet.jna.JnaUtils").getMethod(name, types);
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }
}
