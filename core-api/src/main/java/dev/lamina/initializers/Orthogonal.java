package dev.lamina.initializers;

import dev.lamina.spec.ShapeException;
import dev.lamina.spec.Spec;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * Keras's {@code orthogonal}: the weight, seen as a matrix of rows = shape[0] (the output units in
 * DJL's layout) by cols = the product of the other dimensions, is {@code gain} times a random
 * orthogonal matrix. A Gaussian matrix of max(rows, cols) × min(rows, cols) is factored as Q·R by
 * Householder reflections in double precision; each column of Q is multiplied by the sign of R's
 * diagonal (which makes the result uniformly distributed), and Q is transposed when rows &lt; cols.
 * So W·Wᵀ = gain²·I when rows &le; cols, and Wᵀ·W = gain²·I when rows &gt; cols.
 */
public record Orthogonal(double gain) implements InitializerSpec {
    public static final String TYPE = "orthogonal";
    public static final double DEFAULT_GAIN = 1.0;

    public Orthogonal {
        Sampling.requirePositive(TYPE, "gain", gain);
    }

    /** gain 1. */
    public Orthogonal() {
        this(DEFAULT_GAIN);
    }

    @Override
    public float[] sample(long[] shape, Random random) {
        if (shape.length < 2) {
            throw new ShapeException("'" + TYPE + "' needs a weight of at least 2 dimensions, received shape "
                    + Arrays.toString(shape));
        }
        int n = Fans.size(shape);
        int rows = (int) shape[0];
        int cols = rows == 0 ? 0 : n / rows;
        float[] out = new float[n];
        if (n == 0) {
            return out;
        }
        int tall = Math.max(rows, cols);
        int wide = Math.min(rows, cols);
        double[][] a = new double[tall][wide];
        for (int i = 0; i < tall; i++) {
            for (int j = 0; j < wide; j++) {
                a[i][j] = random.nextGaussian();
            }
        }
        double[][] q = signCorrectedQ(a);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double v = rows >= cols ? q[r][c] : q[c][r];
                out[r * cols + c] = (float) (gain * v);
            }
        }
        return out;
    }

    /**
     * The thin Q (m × n, orthonormal columns) of a = Q·R for m &ge; n, with columns multiplied by
     * sign(diag(R)) so that R's diagonal is positive. {@code a} is overwritten.
     */
    static double[][] signCorrectedQ(double[][] a) {
        int m = a.length;
        int n = a[0].length;
        double[][] v = new double[n][]; // Householder vectors, v[k] of length m - k, unit norm
        double[] rDiag = new double[n];
        for (int k = 0; k < n; k++) {
            double norm = 0;
            for (int i = k; i < m; i++) {
                norm += a[i][k] * a[i][k];
            }
            norm = Math.sqrt(norm);
            if (norm == 0) {
                v[k] = null; // column already zero below the diagonal: no reflection
                rDiag[k] = 0;
                continue;
            }
            // reflect x onto alpha·e1 with alpha of the opposite sign to x0 (no cancellation)
            double alpha = a[k][k] > 0 ? -norm : norm;
            double[] vk = new double[m - k];
            for (int i = k; i < m; i++) {
                vk[i - k] = a[i][k];
            }
            vk[0] -= alpha;
            double vNorm = 0;
            for (double x : vk) {
                vNorm += x * x;
            }
            vNorm = Math.sqrt(vNorm);
            if (vNorm == 0) {
                v[k] = null;
                rDiag[k] = a[k][k];
                continue;
            }
            for (int i = 0; i < vk.length; i++) {
                vk[i] /= vNorm;
            }
            v[k] = vk;
            applyReflection(vk, k, a, k, n);
            rDiag[k] = a[k][k];
        }
        // Q = H0·H1·…·H(n-1) applied to the first n columns of the identity
        double[][] q = new double[m][n];
        for (int j = 0; j < n; j++) {
            q[j][j] = 1;
        }
        for (int k = n - 1; k >= 0; k--) {
            if (v[k] != null) {
                applyReflection(v[k], k, q, 0, n);
            }
        }
        for (int j = 0; j < n; j++) {
            if (rDiag[j] < 0) {
                for (int i = 0; i < m; i++) {
                    q[i][j] = -q[i][j];
                }
            }
        }
        return q;
    }

    /** x ← (I − 2·v·vᵀ)·x on rows k.. of columns from..to-1 of {@code x}. */
    private static void applyReflection(double[] v, int k, double[][] x, int from, int to) {
        for (int j = from; j < to; j++) {
            double dot = 0;
            for (int i = 0; i < v.length; i++) {
                dot += v[i] * x[k + i][j];
            }
            if (dot != 0) {
                double f = 2 * dot;
                for (int i = 0; i < v.length; i++) {
                    x[k + i][j] -= f * v[i];
                }
            }
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("gain", gain);
    }
}
