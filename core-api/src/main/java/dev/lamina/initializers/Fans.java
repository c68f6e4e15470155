package dev.lamina.initializers;

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

    /** The number of values in an array of {@code shape}. */
    public static int size(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("weight too large to draw in Java: " + n + " values");
        }
        return (int) n;
    }
}
