package dev.lamina.initializers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.spec.ShapeException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The numbers each initializer draws: moments, bounds, orthogonality, sparsity, determinism. */
class InitializerStatisticsTest {
    /** (out, in) = (400, 300): fan_in 300, fan_out 400, 120 000 values. */
    private static final long[] SHAPE = {400, 300};
    private static final double FAN_IN = 300;
    private static final double FAN_OUT = 400;
    /** Variance of a standard normal truncated to [-2, 2]. */
    private static final double TRUNCATED_VARIANCE = 0.7737413;

    private static double mean(float[] x) {
        double s = 0;
        for (float v : x) {
            s += v;
        }
        return s / x.length;
    }

    private static double variance(float[] x) {
        double m = mean(x);
        double s = 0;
        for (float v : x) {
            s += (v - m) * (v - m);
        }
        return s / x.length;
    }

    /** Mean within 6 standard errors of {@code mean}, variance within 3 % of {@code variance}. */
    private static void assertMoments(float[] x, double mean, double variance) {
        double se = Math.sqrt(variance / x.length);
        assertEquals(mean, mean(x), 6 * se, "mean");
        assertEquals(variance, variance(x), 0.03 * variance, "variance");
    }

    private static void assertWithin(float[] x, double lo, double hi) {
        for (float v : x) {
            assertTrue(v >= (float) lo && v <= (float) hi, v + " outside [" + lo + ", " + hi + "]");
        }
    }

    private static float[] draw(InitializerSpec init, long... shape) {
        float[] out = init.sample(shape, new Random(42));
        assertEquals(Fans.size(shape), out.length);
        return out;
    }

    @Test
    void constantsFillEveryValue() {
        for (float v : draw(Initializers.zeros(), 3, 4)) {
            assertEquals(0f, v);
        }
        for (float v : draw(Initializers.ones(), 3, 4)) {
            assertEquals(1f, v);
        }
        for (float v : draw(Initializers.constant(-2.5), 3, 4)) {
            assertEquals(-2.5f, v);
        }
    }

    @Test
    void randomNormalHasItsMeanAndStddev() {
        assertMoments(draw(Initializers.randomNormal(), SHAPE), 0, 0.05 * 0.05);
        assertMoments(draw(Initializers.randomNormal(1.5, 0.3), SHAPE), 1.5, 0.09);
    }

    @Test
    void randomUniformStaysInItsBounds() {
        float[] x = draw(Initializers.randomUniform(), SHAPE);
        assertWithin(x, -0.05, 0.05);
        assertMoments(x, 0, 0.1 * 0.1 / 12);
        float[] y = draw(Initializers.randomUniform(2, 5), SHAPE);
        assertWithin(y, 2, 5);
        assertMoments(y, 3.5, 9.0 / 12);
    }

    @Test
    void truncatedNormalNeverPassesTwoStddevs() {
        float[] x = draw(Initializers.truncatedNormal(), SHAPE);
        assertWithin(x, -0.1, 0.1);
        assertMoments(x, 0, 0.05 * 0.05 * TRUNCATED_VARIANCE);
        float[] y = draw(Initializers.truncatedNormal(-1, 0.5), SHAPE);
        assertWithin(y, -2, 0);
        assertMoments(y, -1, 0.25 * TRUNCATED_VARIANCE);
        // the tails are really cut: values come close to the bound, but none past it
        double max = 0;
        for (float v : x) {
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max > 0.099, "max |x| " + max);
    }

    @Test
    void glorotNormalHasVarianceTwoOverFanSum() {
        float[] x = draw(Initializers.glorotNormal(), SHAPE);
        double variance = 2 / (FAN_IN + FAN_OUT);
        assertMoments(x, 0, variance);
        assertWithin(x, -2 * Math.sqrt(variance) / 0.87962566103423978,
                2 * Math.sqrt(variance) / 0.87962566103423978);
    }

    @Test
    void glorotUniformHasLimitSqrtSixOverFanSum() {
        float[] x = draw(Initializers.glorotUniform(), SHAPE);
        double limit = Math.sqrt(6 / (FAN_IN + FAN_OUT));
        assertWithin(x, -limit, limit);
        assertMoments(x, 0, limit * limit / 3);
    }

    @Test
    void heNormalHasVarianceTwoOverFanIn() {
        float[] x = draw(Initializers.heNormal(), SHAPE);
        assertMoments(x, 0, 2 / FAN_IN);
        double bound = 2 * Math.sqrt(2 / FAN_IN) / 0.87962566103423978;
        assertWithin(x, -bound, bound);
    }

    @Test
    void heUniformHasLimitSqrtSixOverFanIn() {
        float[] x = draw(Initializers.heUniform(), SHAPE);
        double limit = Math.sqrt(6 / FAN_IN);
        assertWithin(x, -limit, limit);
        assertMoments(x, 0, 2 / FAN_IN);
    }

    @Test
    void lecunNormalAndUniformHaveVarianceOneOverFanIn() {
        assertMoments(draw(Initializers.lecunNormal(), SHAPE), 0, 1 / FAN_IN);
        float[] u = draw(Initializers.lecunUniform(), SHAPE);
        assertWithin(u, -Math.sqrt(3 / FAN_IN), Math.sqrt(3 / FAN_IN));
        assertMoments(u, 0, 1 / FAN_IN);
    }

    @Test
    void varianceScalingModesAndDistributions() {
        assertMoments(draw(Initializers.varianceScaling(3, "fan_out", "untruncated_normal"), SHAPE),
                0, 3 / FAN_OUT);
        assertMoments(draw(Initializers.varianceScaling(0.5, "fan_avg", "uniform"), SHAPE),
                0, 0.5 / ((FAN_IN + FAN_OUT) / 2));
        assertMoments(draw(new VarianceScaling(), SHAPE), 0, 1 / FAN_IN);
        // convolution weight (out=64, in=32, 3, 3): fan_in = 32*9, fan_out = 64*9
        assertMoments(draw(Initializers.heNormal(), 64, 32, 3, 3), 0, 2.0 / (32 * 9));
        assertMoments(draw(Initializers.glorotNormal(), 64, 32, 3, 3), 0, 2.0 / (96 * 9));
    }

    @Test
    void presetsEqualTheirVarianceScalingSettings() {
        assertArrayEquals(draw(Initializers.heNormal(), 20, 30),
                draw(Initializers.varianceScaling(2, "fan_in", "truncated_normal"), 20, 30));
        assertArrayEquals(draw(Initializers.glorotNormal(), 20, 30),
                draw(Initializers.varianceScaling(1, "fan_avg", "truncated_normal"), 20, 30));
        assertEquals("he_normal", Initializers.heNormal().type());
    }

    /** W·Wᵀ (rows ≤ cols) or Wᵀ·W (rows > cols) as a rows×rows or cols×cols matrix. */
    private static double[][] gram(float[] w, int rows, int cols) {
        boolean byRows = rows <= cols;
        int k = byRows ? rows : cols;
        double[][] g = new double[k][k];
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                double s = 0;
                if (byRows) {
                    for (int c = 0; c < cols; c++) {
                        s += (double) w[a * cols + c] * w[b * cols + c];
                    }
                } else {
                    for (int r = 0; r < rows; r++) {
                        s += (double) w[r * cols + a] * w[r * cols + b];
                    }
                }
                g[a][b] = s;
            }
        }
        return g;
    }

    private static void assertOrthogonal(double gain, long... shape) {
        float[] w = draw(Initializers.orthogonal(gain), shape);
        int rows = (int) shape[0];
        int cols = w.length / rows;
        double[][] g = gram(w, rows, cols);
        for (int a = 0; a < g.length; a++) {
            for (int b = 0; b < g.length; b++) {
                double expected = a == b ? gain * gain : 0;
                assertEquals(expected, g[a][b], 1e-4 * Math.max(1, gain * gain),
                        "Gram[" + a + "][" + b + "] for shape " + Arrays.toString(shape));
            }
        }
    }

    @Test
    void orthogonalRowsWhenWide() {
        assertOrthogonal(1, 20, 50);
        assertOrthogonal(2.5, 20, 50);
    }

    @Test
    void orthogonalColumnsWhenTall() {
        assertOrthogonal(1, 50, 20);
        assertOrthogonal(0.5, 50, 20);
    }

    @Test
    void orthogonalSquareAndConvolution() {
        assertOrthogonal(1, 30, 30);
        assertOrthogonal(1, 8, 3, 3, 3); // 8 × 27: orthonormal rows
        assertOrthogonal(1.3, 64, 3, 3, 3); // 64 × 27: orthonormal columns
    }

    @Test
    void orthogonalIsSignCorrectedAndRefusesVectors() {
        // with the sign correction, Q's entries are symmetric about zero: over many draws of a
        // 1×1 "matrix" both signs appear (uncorrected Householder would always give one sign)
        Random random = new Random(3);
        int positive = 0;
        for (int i = 0; i < 200; i++) {
            float v = Initializers.orthogonal().sample(new long[] {1, 1}, random)[0];
            assertEquals(1f, Math.abs(v), 1e-6);
            positive += v > 0 ? 1 : 0;
        }
        assertTrue(positive > 60 && positive < 140, "positives " + positive);
        assertThrows(ShapeException.class, () -> Initializers.orthogonal().sample(new long[] {5}, random));
    }

    @Test
    void householderQrMatchesTheInput() {
        // Q·R = A with R = Qᵀ·A upper triangular and positive on its diagonal
        Random random = new Random(11);
        int m = 7;
        int n = 4;
        double[][] a = new double[m][n];
        double[][] copy = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                a[i][j] = random.nextGaussian();
                copy[i][j] = a[i][j];
            }
        }
        double[][] q = Orthogonal.signCorrectedQ(a);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double r = 0;
                for (int k = 0; k < m; k++) {
                    r += q[k][i] * copy[k][j];
                }
                if (i > j) {
                    assertEquals(0, r, 1e-12, "R below the diagonal");
                } else if (i == j) {
                    assertTrue(r > 0, "R's diagonal is positive");
                }
            }
        }
    }

    private static void assertSparseRows(float[] w, int rows, int expectedPerRow) {
        int rowLength = w.length / rows;
        for (int r = 0; r < rows; r++) {
            int nonZero = 0;
            for (int c = 0; c < rowLength; c++) {
                nonZero += w[r * rowLength + c] != 0 ? 1 : 0;
            }
            assertEquals(expectedPerRow, nonZero, "non-zeros in row " + r);
        }
    }

    @Test
    void sparseHasExactlyConnectionsPerRow() {
        float[] w = draw(Initializers.sparse(), SHAPE);
        assertSparseRows(w, 400, 15);
        float[] few = draw(Initializers.sparse(3, 0.5), 50, 8, 3, 3);
        assertSparseRows(few, 50, 3);
        // the non-zero values are N(0, stddev^2)
        float[] dense = draw(Initializers.sparse(300, 2), SHAPE);
        assertMoments(dense, 0, 4);
    }

    @Test
    void sparseIsCappedAtFanIn() {
        assertSparseRows(draw(Initializers.sparse(), 10, 6), 10, 6);
        assertSparseRows(draw(Initializers.sparse(100), 4, 2, 2, 2), 4, 8);
        assertSparseRows(draw(Initializers.sparse(4), 9), 1, 4); // a 1-D weight is one row
    }

    @Test
    void sparsePositionsAreSpreadOverTheRow() {
        float[] w = draw(Initializers.sparse(1), 3000, 10);
        int[] counts = new int[10];
        for (int r = 0; r < 3000; r++) {
            for (int c = 0; c < 10; c++) {
                if (w[r * 10 + c] != 0) {
                    counts[c]++;
                }
            }
        }
        for (int c : counts) {
            assertTrue(c > 220 && c < 380, "position counts " + Arrays.toString(counts));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"random_normal", "random_uniform", "truncated_normal", "variance_scaling",
        "glorot_normal", "glorot_uniform", "he_normal", "he_uniform", "lecun_normal",
        "lecun_uniform", "orthogonal", "sparse"})
    void sameSeedSameValuesOtherSeedOtherValues(String name) {
        InitializerSpec init = Initializers.of(name);
        long[] shape = {12, 5, 3};
        float[] a = init.sample(shape, new Random(123));
        float[] b = init.sample(shape, new Random(123));
        float[] c = init.sample(shape, new Random(124));
        assertArrayEquals(a, b, name);
        assertFalse(Arrays.equals(a, c), name);
        Set<Float> distinct = new HashSet<>();
        for (float v : a) {
            distinct.add(v);
        }
        assertTrue(distinct.size() > 10, name + " draws varied values");
    }

    @Test
    void coveredByTheCatalog() {
        Set<String> expected = Set.of("zeros", "ones", "constant", "random_normal", "random_uniform",
                "truncated_normal", "variance_scaling", "glorot_normal", "glorot_uniform",
                "he_normal", "he_uniform", "lecun_normal", "lecun_uniform", "orthogonal", "sparse");
        assertEquals(expected, Initializers.CATALOG.names());
    }
}
