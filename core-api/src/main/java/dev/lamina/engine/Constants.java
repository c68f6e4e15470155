package dev.lamina.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * Arithmetic with a constant that is safe inside a gradient graph.
 *
 * <p>DJL's {@code x.mul(0.5f)}, {@code x.div(k)}, {@code x.maximum(0f)} make the constant a
 * 0-dimensional array from a direct buffer, use it, and close it. PyTorch makes that array in the
 * buffer's own memory, and when {@code x} takes part in a gradient graph the operation keeps the
 * constant for the backward pass ({@code d(x·c)/dx = c}): once the closed array's buffer is
 * collected, the backward pass reads freed memory. Measured on this project's machines: the
 * 6-epoch MLP with dropout of the resume tests ended with other weights in 5 of 12 fresh
 * processes, and the same in 12 of 12 with dropout's constant made here. The methods below give
 * the operation a constant of the engine's own memory (a copy, where the engine would use the
 * buffer), with the same value and type as DJL's, through the operation DJL would use, so the
 * same numbers; on an engine that copies the buffer (MXNet) they are DJL's own operations.
 */
public final class Constants {
    private static final Map<String, Boolean> ALIASES = new ConcurrentHashMap<>();

    private Constants() {}

    /** {@code c} as a 0-dimensional array in {@code like}'s manager, in the engine's own memory. */
    public static NDArray of(NDArray like, Number c) {
        return inEngineMemory(like.getManager().create(c));
    }

    /**
     * {@code made}, an array just made from a direct buffer, or its copy in the engine's own
     * memory where the engine uses the buffer's ({@code made} is then closed).
     */
    public static NDArray inEngineMemory(NDArray made) {
        if (!aliasesBuffers(made.getManager())) {
            return made;
        }
        NDArray own = made.duplicate();
        made.close();
        return own;
    }

    /** {@code x · c}. */
    public static NDArray times(NDArray x, Number c) {
        return apply(x, c, NDArray::mul, NDArray::mul);
    }

    /** {@code x / c}. */
    public static NDArray over(NDArray x, Number c) {
        return apply(x, c, NDArray::div, NDArray::div);
    }

    /** {@code max(x, c)}, element by element. */
    public static NDArray atLeast(NDArray x, Number c) {
        return apply(x, c, NDArray::maximum, NDArray::maximum);
    }

    /** {@code min(x, c)}, element by element. */
    public static NDArray atMost(NDArray x, Number c) {
        return apply(x, c, NDArray::minimum, NDArray::minimum);
    }

    /** {@code x} to the power {@code c}, element by element. */
    public static NDArray power(NDArray x, Number c) {
        return apply(x, c, NDArray::pow, NDArray::pow);
    }

    /**
     * {@code op(x, c)}: DJL's own operation with the constant where the engine copied it (safe),
     * else the operation with a constant of the engine's own memory.
     */
    private static NDArray apply(NDArray x, Number c, BiFunction<NDArray, Number, NDArray> withNumber,
            BiFunction<NDArray, NDArray, NDArray> withArray) {
        if (!aliasesBuffers(x.getManager())) {
            return withNumber.apply(x, c);
        }
        try (NDArray k = of(x, c)) {
            return withArray.apply(x, k);
        }
    }

    /**
     * Whether arrays {@code manager}'s engine makes from a direct buffer use the buffer's memory
     * instead of copying it (PyTorch does; MXNet copies): checked once per engine, by writing
     * into the buffer after making an array from it.
     */
    public static boolean aliasesBuffers(NDManager manager) {
        return ALIASES.computeIfAbsent(manager.getEngine().getEngineName(), e -> {
            ByteBuffer b = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
            b.putFloat(0, 1f);
            try (NDManager m = manager.newSubManager()) {
                NDArray a = m.create(b, new Shape(1), DataType.FLOAT32);
                b.putFloat(0, 2f);
                return a.toFloatArray()[0] != 1f;
            }
        });
    }
}
