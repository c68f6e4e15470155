package dev.lamina.initializers;

import dev.lamina.spec.Spec;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/** Every weight equal to {@code value}; {@code zeros} and {@code ones} are its two common cases. */
public record Constant(String type, double value) implements InitializerSpec {
    /** All zeros (Keras's default bias initializer). */
    public static final Constant ZEROS = new Constant("zeros", 0);
    /** All ones. */
    public static final Constant ONES = new Constant("ones", 1);

    public Constant {
        Sampling.requireFinite(type, "value", value);
    }

    /** {@code constant} with {@code value}. */
    public static Constant of(double value) {
        return new Constant("constant", value);
    }

    @Override
    public float[] sample(long[] shape, Random random) {
        float[] out = new float[Fans.size(shape)];
        Arrays.fill(out, (float) value);
        return out;
    }

    @Override
    public Map<String, Object> config() {
        return type.equals("constant") ? Spec.ordered("value", value) : Map.of();
    }
}
