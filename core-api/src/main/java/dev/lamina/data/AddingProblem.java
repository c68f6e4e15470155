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
 */
public final class AddingProblem {
    private AddingProblem() {}

    /** The most values an in-memory data set holds (one gigabyte of floats). */
    static final long MAX_VALUES = 1L << 28;

    /** {@code samples} sequences of {@code length} steps, drawn from {@code seed}. */
    public static Dataset generate(int length, int samples, long seed) {
        if (length < 2) {
            throw new IllegalArgumentException("adding: length must be at least 2, received length="
                    + length);
        }
        if (samples <= 0) {
            throw new IllegalArgumentException("adding: samples must be positive, received samples="
                    + samples);
        }
        Random r = new Random(seed);
        if ((long) samples * length * 2 > MAX_VALUES) {
            throw new IllegalArgumentException("adding: samples·length·2 = " + (long) samples
                    * length * 2 + " values is more than the " + MAX_VALUES + " one data set may"
                    + " hold in memory: ask for fewer samples or shorter sequences");
        }
        float[] x = new float[samples * length * 2];
        float[] y = new float[samples];
        int half = length / 2;
        for (int i = 0; i < samples; i++) {
            int base = i * length * 2;
            for (int t = 0; t < length; t++) {
                x[base + 2 * t] = r.nextFloat();
            }
            int a = r.nextInt(half);
            int b = half + r.nextInt(length - half);
            x[base + 2 * a + 1] = 1;
            x[base + 2 * b + 1] = 1;
            y[i] = x[base + 2 * a] + x[base + 2 * b];
        }
        return new Dataset("adding(length=" + length + ")",
                List.of(new Tensor(x, new Shape(length, 2))), List.of(new Tensor(y, new Shape(1))));
    }
}
