package dev.lamina.engine;

import ai.djl.ndarray.NDArray;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Clearing a weight's stored gradient once an update has used it.
 *
 * <p>PyTorch adds every backward pass into the stored gradient, so each update must leave it at
 * zero. {@code g −= g} does that in a pass that reads the gradient twice and writes it; PyTorch's
 * own {@code zero_()}, which DJL's optimizers call, only writes. On the bench's MLP the clearing
 * took 3.5% of Lamina's step. For every finite gradient both give +0 (x − x is +0 under
 * round-to-nearest), so training computes the same numbers; a gradient that is not finite (NaN,
 * ±∞) becomes 0 rather than NaN, as a gradient computed afresh would start.
 *
 * <p>MXNet writes each gradient afresh, so a training step there need not clear them at all: it
 * {@link #release releases} a gradient after its update by resetting MXNet's mark of a fresh
 * gradient (see {@link MxnetGradientMarks}), and {@link #settle} clears, before an update reads
 * it, a gradient the step's backward pass did not write (unmarked): exactly the values the update
 * saw when every gradient was cleared after its update, without an operation per weight per step.
 * Where the marks cannot be trusted, MXNet's gradients are cleared by {@code g −= g}, queued with
 * the update.
 */
public final class Gradients {
    /** {@code -Dlamina.gradient.marks=false} clears MXNet's gradients after each update (for comparisons). */
    public static final String MARKS_PROPERTY = "lamina.gradient.marks";
    private static final MethodHandle ZERO_GRAD = zeroGrad();

    private Gradients() {}

    /** Sets the stored gradient {@code grad} of {@code weight} to zero. */
    public static void clear(NDArray weight, NDArray grad) {
        if (ZERO_GRAD != null && ZERO_GRAD.type().parameterType(0).isInstance(weight)) {
            try {
                ZERO_GRAD.invoke(weight);
                return;
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("could not clear the gradient of a weight", e);
            }
        }
        grad.subi(grad);
    }

    /**
     * Makes {@code grad}, the stored gradient of {@code weight}, what an update of this step must
     * read: where MXNet's marks say no backward pass wrote it since its last {@link #release}, it
     * is cleared (as {@link #clear} would have left it then). Elsewhere nothing to do.
     */
    public static void settle(NDArray weight, NDArray grad) {
        if (MxnetGradientMarks.tracks(weight) && !MxnetGradientMarks.isFresh(weight)) {
            clear(weight, grad);
        }
    }

    /**
     * An update has used {@code grad}, the stored gradient of {@code weight}: on MXNet with
     * trusted marks its mark is reset (the next backward pass overwrites the gradient, or
     * {@link #settle} clears it); elsewhere it is {@link #clear cleared}.
     */
    public static void release(NDArray weight, NDArray grad) {
        if (MxnetGradientMarks.tracks(weight)) {
            MxnetGradientMarks.reset(weight);
        } else {
            clear(weight, grad);
        }
    }

    /** DJL's {@code JniUtils.zeroGrad(PtNDArray)}, or null without the PyTorch engine. */
    private static MethodHandle zeroGrad() {
        try {
            ClassLoader loader = Gradients.class.getClassLoader();
            // not initialised here: only a PyTorch array, its engine loaded, ever reaches it
            Class<?> array = Class.forName("ai.djl.pytorch.engine.PtNDArray", false, loader);
            Class<?> jni = Class.forName("ai.djl.pytorch.jni.JniUtils", false, loader);
            return MethodHandles.publicLookup().findStatic(jni, "zeroGrad",
                    MethodType.methodType(void.class, array));
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }
}
