package dev.lamina.initializers;

import java.util.Arrays;

/** Fan-in and fan-out of a weight in DJL layout (out, in, kernel...), as Keras computes them. */
public record Fans(double in, double out) {
    /** The fans of a weight of {@code shape}. */
    public static Fans of(long[] shape) {
        if (shape.length == 0) {
            return new Fans(1, 1);
        }
        if (shape.length == 1) {
            return new Fans(shape[0], shape[0]);
        }
        double receptive = 1;
        for (int i = 2; i < shape.length; i++) {
            receptive *= shape[i];
        }
        return new Fans(shape[1] * receptive, shape[0] * receptive);
    }

    /** The most values one weight may have: 2^27, half a gigabyte of float32. */
    public static final long MAX_VALUES = 1L << 27;

    /** The number of values in an array of {@code shape}, refused above {@link #MAX_VALUES}. */
    public static int size(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyHigh(n, d) != 0 || n * d < 0 ? Long.MAX_VALUE : n * d;
        }
        if (n > MAX_VALUES) {
            throw new IllegalArgumentException("a weight of shape " + Arrays.toString(shape)
                    .replace('[', '(').replace(']', ')') + " has "
                    + (n == Long.MAX_VALUE ? "too many" : String.valueOf(n)) + " values, more than"
                    + " the " + MAX_VALUES + " one weight may have: use fewer units, filters or"
                    + " inputs");
        }
        return (int) n;
    }
}
