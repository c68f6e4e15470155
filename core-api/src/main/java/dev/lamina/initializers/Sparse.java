package dev.lamina.initializers;

import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import java.util.Map;
import java.util.Random;

/**
 * Martens's sparse initialisation (Deep learning via Hessian-free optimization, 2010): each output
 * unit gets exactly {@code connections} non-zero incoming weights (capped at fan_in), drawn from
 * N(0, stddev²) at positions chosen uniformly without repetition; all other weights are zero.
 *
 * <p>In DJL's layout (out, in, k...) an output unit's incoming weights are one row of length
 * fan_in = in·k…; a 1-D weight is treated as a single row.
 */
public record Sparse(int connections, double stddev) implements InitializerSpec {
    public static final String TYPE = "sparse";
    public static final int DEFAULT_CONNECTIONS = 15;
    public static final double DEFAULT_STDDEV = 1.0;

    public Sparse {
        if (connections < 1) {
            throw new SpecException(TYPE, "connections",
                    "expected an integer >= 1, received connections=" + connections);
        }
        Sampling.requirePositive(TYPE, "stddev", stddev);
    }

    /** 15 connections, stddev 1. */
    public Sparse() {
        this(DEFAULT_CONNECTIONS, DEFAULT_STDDEV);
    }

    @Override
    public float[] sample(long[] shape, Random random) {
        int n = Fans.size(shape);
        float[] out = new float[n];
        int rows = shape.length < 2 ? 1 : (int) shape[0];
        if (n == 0 || rows == 0) {
            return out;
        }
        int rowLength = n / rows;
        int k = Math.min(connections, rowLength);
        int[] positions = new int[rowLength];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < rowLength; i++) {
                positions[i] = i;
            }
            // the first k steps of a Fisher–Yates shuffle: k distinct positions, uniformly
            for (int i = 0; i < k; i++) {
                int j = i + random.nextInt(rowLength - i);
                int t = positions[i];
                positions[i] = positions[j];
                positions[j] = t;
            }
            int base = r * rowLength;
            for (int i = 0; i < k; i++) {
                float w;
                do {
                    w = (float) (stddev * random.nextGaussian());
                } while (w == 0f); // a chosen connection is never zero
                out[base + positions[i]] = w;
            }
        }
        return out;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("connections", connections, "stddev", stddev);
    }
}
