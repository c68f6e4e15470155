package dev.lamina.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The convolution every Lamina layer runs, with the one workaround the kernel check may ask for.
 *
 * <p>libtorch 2.7.1's oneDNN reads the padding of its blocked layouts, which it does not zero,
 * on some CPUs. Measured on AMD EPYC (Zen 4, AVX-512, block 16): the input gradient is wrong
 * whenever the number of output channels is not a multiple of 16, and the output itself whenever
 * the number of input channels is above 16 and not a multiple of it; every other count is right.
 * With {@code padChannels} the weights get zero filters (and the input zero channels) up to the
 * next multiple of 16 and the extra outputs are cut off again: the same numbers, from the fast
 * kernel, for about the work oneDNN does anyway (it pads to its block internally).
 */
public final class ConvKernel {
    /** The channel multiple the padding reaches: oneDNN's largest block. */
    public static final int BLOCK = 16;

    private ConvKernel() {}

    /**
     * {@code x} convolved with {@code w} (out, in, k...) plus {@code b} (may be null), as DJL's
     * convolution; with {@code padChannels} (and groups 1) the input channels are padded where
     * the forward pass needs it, and the output channels too when {@code inputGradient} (the
     * input's gradient will be computed: only it needs them).
     */
    public static NDArray convolution(NDArray x, NDArray w, NDArray b, Shape stride,
            Shape padding, Shape dilation, int groups, boolean padChannels, boolean inputGradient) {
        long out = w.getShape().get(0);
        long in = w.getShape().get(1);
        long extraOut = inputGradient ? (BLOCK - out % BLOCK) % BLOCK : 0;
        long extraIn = in > BLOCK ? (BLOCK - in % BLOCK) % BLOCK : 0;
        if (!padChannels || groups != 1 || (extraOut == 0 && extraIn == 0)) {
            return x.getNDArrayInternal().convolution(x, w, b, stride, padding, dilation, groups)
                    .head();
        }
        NDArray wp = w;
        NDArray xp = x;
        if (extraIn > 0) {
            wp = withZeros(wp, 1, extraIn);
            xp = withZeros(x, 1, extraIn);
        }
        wp = withZeros(wp, 0, extraOut);
        NDArray bp = b == null ? null : withZeros(b, 0, extraOut);
        NDArray y = xp.getNDArrayInternal().convolution(xp, wp, bp, stride, padding, dilation, 1)
                .head();
        return extraOut == 0 ? y : y.get(new NDIndex(":, 0:" + out));
    }

    /** {@code a} with {@code n} zero slices appended on {@code axis}. */
    private static NDArray withZeros(NDArray a, int axis, long n) {
        if (n == 0) {
            return a;
        }
        long[] dims = a.getShape().getShape().clone();
        dims[axis] = n;
        return NDArrays.concat(new NDList(a, a.getManager().zeros(new Shape(dims),
                a.getDataType())), axis);
    }

    /**
     * As {@link #convolution}, padding the channels when the engine's verdict asks for it. The
     * output channels, which only the input gradient needs, are left alone when no gradient can
     * be computed (outside a gradient collector) and when {@code x} is a batch of data marked by
     * {@link #markData} that asks for no gradient (a model's first layer). On MXNet's CPU,
     * inference issues it in the training mode where that gives the same numbers ({@link
     * MxnetConvMode}).
     */
    public static NDArray checked(NDArray x, NDArray w, NDArray b, Shape stride, Shape padding,
            Shape dilation, int groups) {
        String engine = x.getManager().getEngine().getEngineName();
        boolean pad = KernelCheck.ensure(engine).uses(KernelCheck.PAD_CONV_CHANNELS);
        boolean inputGradient = pad && TorchOneDnn.gradMode()
                && (!DATA.get().contains(x) || TorchOneDnn.leafRequiresGrad(x));
        return MxnetConvMode.convolution(engine, x, w, b, stride, padding, dilation, groups,
                () -> convolution(x, w, b, stride, padding, dilation, groups, pad, inputGradient));
    }

    /** What {@link #markData} returns: closing it removes the mark. */
    public interface Marked extends AutoCloseable {
        @Override
        void close();
    }

    private static final ThreadLocal<Set<NDArray>> DATA =
            ThreadLocal.withInitial(() -> Collections.newSetFromMap(new IdentityHashMap<>()));

    /**
     * Marks {@code batch} as data fed to a model (no gradient is computed for it unless it asks)
     * until the returned handle is closed; the training loop and inference do this.
     */
    public static Marked markData(NDList batch) {
        Set<NDArray> marked = DATA.get();
        marked.addAll(batch);
        return () -> batch.forEach(marked::remove);
    }
}
