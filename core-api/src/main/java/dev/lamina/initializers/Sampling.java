package dev.lamina.initializers;

import dev.lamina.spec.SpecException;
import java.util.Random;

/** Draws shared by the initializers; every value comes from the caller's {@link Random}. */
final class Sampling {
    /** Truncation bound of the truncated normal, in standard deviations. */
    static final double TRUNCATION = 2.0;

    /**
     * The standard deviation of a standard normal truncated to [−2, 2]; Keras divides by it so a
     * truncated draw keeps the variance asked for.
     */
    static final double TRUNCATED_STDDEV = 0.87962566103423978;

    private Sampling() {}

    /** A standard normal value within [−2, 2]: values beyond are discarded and drawn again. */
    static double truncatedGaussian(Random random) {
        while (true) {
            double z = random.nextGaussian();
            if (Math.abs(z) <= TRUNCATION) {
                return z;
            }
        }
    }

    /** {@code n} values mean + stddev·z, z truncated to [−2, 2]. */
    static float[] truncatedNormal(int n, double mean, double stddev, Random random) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (mean + stddev * truncatedGaussian(random));
        }
        return out;
    }

    /** {@code n} values mean + stddev·z, z standard normal. */
    static float[] normal(int n, double mean, double stddev, Random random) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (mean + stddev * random.nextGaussian());
        }
        return out;
    }

    /** {@code n} values uniform in [lo, hi). */
    static float[] uniform(int n, double lo, double hi, Random random) {
        float[] out = new float[n];
        double width = hi - lo;
        for (int i = 0; i < n; i++) {
            out[i] = (float) (lo + random.nextDouble() * width);
        }
        return out;
    }

    /** Refuses a value that is not a finite number greater than zero. */
    static void requirePositive(String type, String setting, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new SpecException(type, setting,
                    "expected a finite number > 0, received " + setting + "=" + value);
        }
    }

    /** Refuses NaN and infinities. */
    static void requireFinite(String type, String setting, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new SpecException(type, setting,
                    "expected a finite number, received " + setting + "=" + value);
        }
    }
}
