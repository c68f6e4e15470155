package dev.lamina.initializers;

import dev.lamina.spec.Spec;
import java.util.Map;
import java.util.Random;

/** Keras's {@code random_normal}: N(mean, stddev²), by default mean 0 and stddev 0.05. */
public record RandomNormal(double mean, double stddev) implements InitializerSpec {
    public static final String TYPE = "random_normal";
    public static final double DEFAULT_MEAN = 0.0;
    public static final double DEFAULT_STDDEV = 0.05;

    public RandomNormal {
        Sampling.requireFinite(TYPE, "mean", mean);
        Sampling.requirePositive(TYPE, "stddev", stddev);
    }

    /** mean 0, stddev 0.05. */
    public RandomNormal() {
        this(DEFAULT_MEAN, DEFAULT_STDDEV);
    }

    @Override
    public float[] sample(long[] shape, Random random) {
        return Sampling.normal(Fans.size(shape), mean, stddev, random);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("mean", mean, "stddev", stddev);
    }
}
