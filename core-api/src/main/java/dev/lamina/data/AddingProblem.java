package dev.lamina.data;

import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Random;

/**
 * The adding problem (Hochreiter and Schmidhuber 1997), a test of long memory: each sample is a
 * sequence of {@code length} steps of two features, a value drawn from U(0, 1) and a marker; two
 * steps are marked, one in each half, and the target is the sum of their values. Predicting the
 * mean (1.0) gives a mean squared error of 1/6 ≈ 0.167; a network that remembers does far better.
 * Per-sample shapes: input (length, 2), label (1).
 *
 * <p>With a {@code minLength} below {@code length}, each sequence has its own length, drawn
 * uniformly from [minLength, length], and is padded after its end with steps of zeros (values are
 * then drawn from (0, 1), so no real step is all zeros): the data for masking
 * ({@code masking: {mask_value: 0}} in front of a recurrent layer). The marks fall in the halves of
 * each sequence's own length.
 */
public final class AddingProblem {
    private AddingProblem() {}

    /** The most values an in-memory data set holds (one gigabyte of floats). */
    static final long MAX_VALUES = 1L << 28;

    /** {@code samples} sequences of {@code length} steps, drawn from {@code seed}. */
    public static Dataset generate(int length, int samples, long seed) {
        return generate(length, length, samples, seed);
    }

    /**
     * {@code samples} sequences of {@code minLength} to {@code length} steps, padded with zeros to
     * {@code length}, drawn from {@code seed}.
     */
    public static Dataset generate(int length, int minLength, int samples, long seed) {
        if (length < 2) {
            throw new IllegalArgumentException("adding: length must be at least 2, received length="
                    + length);
        }
        if (samples <= 0) {
            throw new IllegalArgumentException("adding: samples must be positive, received samples="
                    + samples);
        }
        if (minLength < 2 || minLength > length) {
            throw new IllegalArgumentException("adding: min_length must be from 2 to length="
                    + length + ", received min_length=" + minLength);
        }
        Random r = new Random(seed);
        if ((long) samples * length * 2 > MAX_VALUES) {
            throw new IllegalArgumentException("adding: samples·length·2 = " + (long) samples
                    * length * 2 + " values is more than the " + MAX_VALUES + " one data set may"
                    + " hold in memory: ask for fewer samples or shorter sequences");
        }
        float[] x = new float[samples * length * 2];
        float[] y = new float[samples];
        boolean padded = minLength < length;
        for (int i = 0; i < samples; i++) {
            int base = i * length * 2;
            int len = padded ? minLength + r.nextInt(length - minLength + 1) : length;
            int half = len / 2;
            for (int t = 0; t < len; t++) {
                float v = r.nextFloat();
                x[base + 2 * t] = padded && v == 0 ? Float.MIN_NORMAL : v;
            }
            int a = r.nextInt(half);
            int b = half + r.nextInt(len - half);
            x[base + 2 * a + 1] = 1;
            x[base + 2 * b + 1] = 1;
            y[i] = x[base + 2 * a] + x[base + 2 * b];
        }
        return new Dataset("adding(length=" + length + (padded ? ", min_length=" + minLength : "")
                + ")",
                List.of(new Tensor(x, new Shape(length, 2))), List.of(new Tensor(y, new Shape(1))));
    }
}
