package dev.lamina.initializers;

import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import java.util.Map;
import java.util.Random;

/** Keras's {@code random_uniform}: U[minval, maxval), by default U[−0.05, 0.05). */
public record RandomUniform(double minval, double maxval) implements InitializerSpec {
    public static final String TYPE = "random_uniform";
    public static final double DEFAULT_MINVAL = -0.05;
    public static final double DEFAULT_MAXVAL = 0.05;

    public RandomUniform {
        Sampling.requireFinite(TYPE, "minval", minval);
        Sampling.requireFinite(TYPE, "maxval", maxval);
        if (!(minval < maxval)) {
            throw new SpecException(TYPE, "maxval", "expected maxval > minval (minval=" + minval
                    + "), received maxval=" + maxval);
        }
    }

    /** U[−0.05, 0.05). */
    public RandomUniform() {
        this(DEFAULT_MINVAL, DEFAULT_MAXVAL);
    }

    @Override
    public float[] sample(long[] shape, Random random) {
        return Sampling.uniform(Fans.size(shape), minval, maxval, random);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("minval", minval, "maxval", maxval);
    }
}
