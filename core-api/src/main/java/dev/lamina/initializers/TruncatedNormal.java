package dev.lamina.initializers;

import dev.lamina.spec.Spec;
import java.util.Map;
import java.util.Random;

/**
 * Keras's {@code truncated_normal}: N(mean, stddev²) with values more than two standard deviations
 * from the mean discarded and drawn again (by default mean 0, stddev 0.05). The values' standard
 * deviation is therefore about 0.88·stddev.
 */
public record TruncatedNormal(double mean, double stddev) implements InitializerSpec {
    public static final String TYPE = "truncated_normal";
    public static final double DEFAULT_MEAN = 0.0;
    public static final double DEFAULT_STDDEV = 0.05;

    public TruncatedNormal {
        Sampling.requireFinite(TYPE, "mean", mean);
        Sampling.requirePositive(TYPE, "stddev", stddev);
    }

    /** mean 0, stddev 0.05. */
    public TruncatedNormal() {
        this(DEFAULT_MEAN, DEFAULT_STDDEV);
    }

    @Override
    public float[] sample(long[] shape, Random random) {
        return Sampling.truncatedNormal(Fans.size(shape), mean, stddev, random);
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
