package dev.lamina.models.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lamina.Sequential;
import dev.lamina.data.Dataset;
import dev.lamina.data.Tensor;
import dev.lamina.testing.TestEngines;
import dev.lamina.train.History;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A 4-visible, 3-hidden RBM small enough to enumerate: its 2⁴ visible and 2³ hidden states give
 * the exact energies, free energies, p(v), conditionals and log-likelihood gradient, computed
 * here in Java doubles, against which the NDArray code (float64) is checked.
 */
class RbmTest {
    static final int V = 4;
    static final int H = 3;

    /** A tiny RBM's parameters in Java: W (H, V), b (V), c (H). */
    record Tiny(double[][] w, double[] b, double[] c) {
        static Tiny random(long seed, double scale) {
            Random r = new Random(seed);
            double[][] w = new double[H][V];
            double[] b = new double[V];
            double[] c = new double[H];
            for (int j = 0; j < H; j++) {
                for (int i = 0; i < V; i++) {
                    w[j][i] = scale * r.nextGaussian();
                }
                c[j] = 0.5 * r.nextGaussian();
            }
            for (int i = 0; i < V; i++) {
                b[i] = 0.5 * r.nextGaussian();
            }
            return new Tiny(w, b, c);
        }

        double energy(double[] v, double[] h) {
            double e = 0;
            for (int i = 0; i < V; i++) {
                e -= b[i] * v[i];
            }
            for (int j = 0; j < H; j++) {
                e -= c[j] * h[j];
                for (int i = 0; i < V; i++) {
                    e -= h[j] * w[j][i] * v[i];
                }
            }
            return e;
        }

        /** −log Σₕ exp(−E(v, h)), by enumerating the 8 hidden states. */
        double freeEnergy(double[] v) {
            double sum = 0;
            for (int hs = 0; hs < 1 << H; hs++) {
                sum += Math.exp(-energy(v, bits(hs, H)));
            }
            return -Math.log(sum);
        }

        /** p(v) for the 16 visible states, by enumerating all 128 joint states. */
        double[] pv() {
            double[] p = new double[1 << V];
            double z = 0;
            for (int vs = 0; vs < 1 << V; vs++) {
                for (int hs = 0; hs < 1 << H; hs++) {
                    p[vs] += Math.exp(-energy(bits(vs, V), bits(hs, H)));
                }
                z += p[vs];
            }
            for (int vs = 0; vs < p.length; vs++) {
                p[vs] /= z;
            }
            return p;
        }

        double sigmoidHidden(double[] v, int j) {
            double a = c[j];
            for (int i = 0; i < V; i++) {
                a += w[j][i] * v[i];
            }
            return 1 / (1 + Math.exp(-a));
        }

        /** The exact ∂ mean log p(v)/∂W over {@code data}: ⟨p(h|v)vᵀ⟩_data − ⟨p(h|v)vᵀ⟩_model. */
        double[][] exactWeightGradient(double[][] data) {
            double[][] g = new double[H][V];
            for (double[] v : data) {
                for (int j = 0; j < H; j++) {
                    for (int i = 0; i < V; i++) {
                        g[j][i] += sigmoidHidden(v, j) * v[i] / data.length;
                    }
                }
            }
            double[] p = pv();
            for (int vs = 0; vs < p.length; vs++) {
                double[] v = bits(vs, V);
                for (int j = 0; j < H; j++) {
                    for (int i = 0; i < V; i++) {
                        g[j][i] -= p[vs] * sigmoidHidden(v, j) * v[i];
                    }
                }
            }
            return g;
        }

        double meanLogLikelihood(double[][] data) {
            double[] p = pv();
            double sum = 0;
            for (double[] v : data) {
                sum += Math.log(p[index(v)]);
            }
            return sum / data.length;
        }

        RbmParams on(NDManager m) {
            double[] flat = new double[H * V];
            for (int j = 0; j < H; j++) {
                System.arraycopy(w[j], 0, flat, j * V, V);
            }
            return new RbmParams(m.create(flat, new Shape(H, V)), m.create(c), m.create(b), false);
        }
    }

    static double[] bits(int s, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = (s >> i) & 1;
        }
        return out;
    }

    static int index(double[] v) {
        int s = 0;
        for (int i = 0; i < v.length; i++) {
            s |= (int) v[i] << i;
        }
        return s;
    }

    static NDArray rows(NDManager m, double[][] rows) {
        double[] flat = new double[rows.length * rows[0].length];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, flat, r * rows[0].length, rows[0].length);
        }
        return m.create(flat, new Shape(rows.length, rows[0].length));
    }

    static double[][] allStates(int n) {
        double[][] out = new double[1 << n][];
        for (int s = 0; s < out.length; s++) {
            out[s] = bits(s, n);
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void energyFreeEnergyAndConditionalsMatchEnumeration(String engine) {
        Tiny t = Tiny.random(7, 1.0);
        try (NDManager m = TestEngines.manager(engine)) {
            RbmParams p = t.on(m);
            double[][] vs = allStates(V);
            // free energy of every visible state, and p(v) = exp(−F(v)) / Σ exp(−F)
            double[] f = p.freeEnergy(rows(m, vs)).toDoubleArray();
            double[] pv = t.pv();
            double z = 0;
            for (int s = 0; s < vs.length; s++) {
                assertEquals(t.freeEnergy(vs[s]), f[s], 1e-12, "F(v) of state " + s);
                z += Math.exp(-f[s]);
            }
            for (int s = 0; s < vs.length; s++) {
                assertEquals(pv[s], Math.exp(-f[s]) / z, 1e-12, "p(v) of state " + s);
            }
            // E(v, h) for all 128 pairs
            double[][] v128 = new double[128][];
            double[][] h128 = new double[128][];
            for (int k = 0; k < 128; k++) {
                v128[k] = bits(k >> H, V);
                h128[k] = bits(k & 7, H);
            }
            double[] e = p.energy(rows(m, v128), rows(m, h128)).toDoubleArray();
            for (int k = 0; k < 128; k++) {
                assertEquals(t.energy(v128[k], h128[k]), e[k], 1e-12);
            }
            // p(h_j = 1 | v) and p(v_i = 1 | h) against sums over the joint states
            double[] ph = p.hiddenProbabilities(rows(m, vs)).toDoubleArray();
            for (int s = 0; s < vs.length; s++) {
                double norm = 0;
                double[] on = new double[H];
                for (int hs = 0; hs < 8; hs++) {
                    double q = Math.exp(-t.energy(vs[s], bits(hs, H)));
                    norm += q;
                    for (int j = 0; j < H; j++) {
                        on[j] += bits(hs, H)[j] * q;
                    }
                }
                for (int j = 0; j < H; j++) {
                    assertEquals(on[j] / norm, ph[s * H + j], 1e-12);
                }
            }
            double[][] hs = allStates(H);
            double[] pvh = p.visibleMean(rows(m, hs)).toDoubleArray();
            for (int hi = 0; hi < hs.length; hi++) {
                double norm = 0;
                double[] on = new double[V];
                for (int s = 0; s < vs.length; s++) {
                    double q = Math.exp(-t.energy(vs[s], hs[hi]));
                    norm += q;
                    for (int i = 0; i < V; i++) {
                        on[i] += vs[s][i] * q;
                    }
                }
                for (int i = 0; i < V; i++) {
                    assertEquals(on[i] / norm, pvh[hi * V + i], 1e-12);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void gaussianVisibleUnitsFreeEnergyMatchesTheSumOverHiddenStates(String engine) {
        // E(v, h) = ½‖v − b‖² − c·h − hᵀWv for real v: F(v) = −log Σₕ exp(−E) over the 8 h,
        // and E[v | h] = hW + b
        Tiny t = Tiny.random(9, 1.0);
        double[][] v = {{0.3, -1.2, 2.0, 0.1}, {-0.7, 0.4, -0.2, 1.5}};
        try (NDManager m = TestEngines.manager(engine)) {
            RbmParams p = t.on(m);
            RbmParams g = new RbmParams(p.weight(), p.hiddenBias(), p.visibleBias(), true);
            double[] f = g.freeEnergy(rows(m, v)).toDoubleArray();
            for (int n = 0; n < v.length; n++) {
                double half = 0;
                for (int i = 0; i < V; i++) {
                    half += 0.5 * (v[n][i] - t.b()[i]) * (v[n][i] - t.b()[i]);
                }
                double sum = 0;
                for (int hs = 0; hs < 8; hs++) {
                    // the binary energy has −b·v where the Gaussian one has ½‖v − b‖²
                    double e = t.energy(v[n], bits(hs, H)) + dot(t.b(), v[n]) + half;
                    sum += Math.exp(-e);
                }
                assertEquals(-Math.log(sum), f[n], 1e-12);
                assertEquals(half - 0 - dotRow(t, v[n], bits(5, H)),
                        g.energy(rows(m, new double[][] {v[n]}), rows(m, new double[][] {bits(5, H)}))
                                .toDoubleArray()[0] + t.c()[0] + t.c()[2], 1e-12);
            }
            double[] mean = g.visibleMean(rows(m, new double[][] {{1, 0, 1}})).toDoubleArray();
            for (int i = 0; i < V; i++) {
                assertEquals(t.w()[0][i] + t.w()[2][i] + t.b()[i], mean[i], 1e-12);
            }
        }
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** hᵀWv. */
    static double dotRow(Tiny t, double[] v, double[] h) {
        double s = 0;
        for (int j = 0; j < H; j++) {
            s += h[j] * dot(t.w()[j], v);
        }
        return s;
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void theCdUpdateForFixedSamplesMatchesAHandComputation(String engine) {
        // W = 0.5 everywhere except W[0][0] = 1, b = 0, c = (0, −1, 1); data v0 = (1,0,1,0),
        // chain end vk = (0,0,1,1). p(h|v0): a = (1.5, 0, 2) -> σ = (0.81757, 0.5, 0.88080);
        // p(h|vk): a = (1, 0, 2) -> σ = (0.73106, 0.5, 0.88080).
        // ∂W = p(h|v0)ᵀ·v0 − p(h|vk)ᵀ·vk, ∂b = v0 − vk, ∂c = p(h|v0) − p(h|vk)
        double[][] w = {{1, .5, .5, .5}, {.5, .5, .5, .5}, {.5, .5, .5, .5}};
        Tiny t = new Tiny(w, new double[4], new double[] {0, -1, 1});
        double s0 = 1 / (1 + Math.exp(-1.5));
        double s1 = 1 / (1 + Math.exp(-1.0));
        double s2 = 1 / (1 + Math.exp(-2.0));
        double[] expectedW = {
            s0, 0, s0 - s1, -s1,
            .5, 0, 0, -.5,
            s2, 0, 0, -s2};
        try (NDManager m = TestEngines.manager(engine)) {
            RbmParams p = t.on(m);
            NDArray v0 = m.create(new double[] {1, 0, 1, 0}, new Shape(1, 4));
            NDArray vk = m.create(new double[] {0, 0, 1, 1}, new Shape(1, 4));
            RbmParams.Gradient g = p.gradient(v0, vk);
            assertArrayEquals(expectedW, g.dWeight().toDoubleArray(), 1e-12);
            assertArrayEquals(new double[] {1, 0, 0, -1}, g.dVisibleBias().toDoubleArray(), 1e-12);
            assertArrayEquals(new double[] {s0 - s1, 0, 0}, g.dHiddenBias().toDoubleArray(), 1e-12);
            // the update: Δ ← 0.9·Δ + 0.1·(g − 0.01·W), W ← W + Δ (decay on W only), twice
            PretrainSettings s = PretrainSettings.DEFAULTS.withUpdate(0.1, 0.9, 0.01);
            try (MomentumUpdate u = new MomentumUpdate(m, s, p.weight(), p.visibleBias(),
                    p.hiddenBias())) {
                u.step(g.dWeight(), g.dVisibleBias(), g.dHiddenBias());
                u.step(g.dWeight(), g.dVisibleBias(), g.dHiddenBias());
            }
            double[] after = p.weight().toDoubleArray();
            for (int k = 0; k < 12; k++) {
                double w0 = w[k / 4][k % 4];
                double d1 = 0.1 * (expectedW[k] - 0.01 * w0);
                double w1 = w0 + d1;
                double d2 = 0.9 * d1 + 0.1 * (expectedW[k] - 0.01 * w1);
                assertEquals(w1 + d2, after[k], 1e-12, "weight " + k);
            }
            assertArrayEquals(new double[] {0.29, 0, 0, -0.29}, // 0.1 + (0.9·0.1 + 0.1)
                    p.visibleBias().toDoubleArray(), 1e-12);
        }
    }

    /** The largest difference between the mean CD-k weight gradient and the exact one. */
    static double cdError(NDManager m, Tiny t, double[][] data, int k, int copies) {
        double[][] batch = new double[data.length * copies][];
        for (int r = 0; r < batch.length; r++) {
            batch[r] = data[r % data.length];
        }
        double[] cd = t.on(m).contrastiveDivergence(rows(m, batch), null, k).gradient().dWeight()
                .toDoubleArray();
        double[][] exact = t.exactWeightGradient(data);
        double worst = 0;
        for (int k2 = 0; k2 < H * V; k2++) {
            worst = Math.max(worst, Math.abs(cd[k2] - exact[k2 / V][k2 % V]));
        }
        return worst;
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void theCdGradientApproachesTheExactGradientAsKGrows(String engine) {
        // strong weights (standard deviation 4) make the Gibbs chain mix slowly and CD-1 clearly
        // biased; each estimate averages 10,000 chains, so its Monte Carlo error is about
        // 0.5/√10000 = 0.005 per weight: CD-100 must come within 0.02 of the exact gradient
        // (largest difference over the 12 weights), CD-1 stay more than 0.2 away (0.31 measured
        // on both engines), CD-5 lie clearly between (0.21)
        Engine.getEngine(engine).setRandomSeed(42);
        Tiny t = Tiny.random(4, 4.0);
        double[][] data = {{1, 1, 0, 0}, {1, 1, 1, 0}, {0, 0, 1, 1}, {0, 1, 1, 1}};
        try (NDManager m = TestEngines.manager(engine)) {
            double e1 = cdError(m, t, data, 1, 2500);
            double e5 = cdError(m, t, data, 5, 2500);
            double e100 = cdError(m, t, data, 100, 2500);
            String all = "errors k=1, 5, 100: " + e1 + ", " + e5 + ", " + e100;
            assertTrue(e1 > 0.2, all);
            assertTrue(e5 < e1 - 0.05 && e5 > e100 + 0.05, all);
            assertTrue(e100 < 0.02, "CD-100 error " + e100);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void trainingOnAKnownDistributionRaisesTheExactLogLikelihood(String engine) {
        // two prototypes, 1100 and 0011, each bit flipped with probability 0.1: the data's
        // entropy is about log 2 + 4·H(0.1) ≈ 1.99 nats, so no model does better than a mean
        // log-likelihood of about −1.99; the starting (near-uniform) RBM gives 4·log ½ = −2.77
        Random r = new Random(5);
        double[][] data = new double[600][V];
        float[] flat = new float[600 * V];
        for (int n = 0; n < data.length; n++) {
            boolean first = r.nextBoolean();
            for (int i = 0; i < V; i++) {
                double bit = (i < 2) == first ? 1 : 0;
                data[n][i] = r.nextDouble() < 0.1 ? 1 - bit : bit;
                flat[n * V + i] = (float) data[n][i];
            }
        }
        PretrainSettings s = new PretrainSettings(30, 1, false, 0.1, 0.5, 0, 20, 0.1);
        try (Sequential model = new Sequential("tiny")) {
            model.input(V).add("rbm", new Rbm(H, false, s)).engine(engine).seed(1).build();
            double before = read(model).meanLogLikelihood(data);
            Map<String, History> h = model.pretrain(
                    Dataset.unlabelled("two prototypes", new Tensor(flat, new Shape(V))));
            double after = read(model).meanLogLikelihood(data);
            assertTrue(before < -2.7, "before " + before);
            assertTrue(after > -2.25, "mean log-likelihood " + before + " -> " + after);
            History rbm = h.get("rbm");
            assertEquals(30, rbm.epochs());
            assertEquals(java.util.List.of("recon_error", "val_recon_error", "free_energy_gap",
                    "learning_rate"), rbm.names());
            assertTrue(rbm.last("recon_error") < rbm.get("recon_error").get(0), rbm.toString());
            // with persistent chains too
            try (Sequential pcd = new Sequential("tiny-pcd")) {
                pcd.input(V).add("rbm", new Rbm(H, false, s.withCd(1, true))).engine(engine)
                        .seed(1).build();
                History p = pcd.pretrain(Dataset.unlabelled("two prototypes",
                        new Tensor(flat, new Shape(V)))).get("rbm");
                double pcdAfter = read(pcd).meanLogLikelihood(data);
                assertTrue(pcdAfter > -2.25, "PCD: " + pcdAfter);
                // the reconstruction error is the data's, as with CD: it falls as it learns
                assertTrue(p.last("recon_error") < p.get("recon_error").get(0), p.toString());
            }
        }
    }

    /** The model's RBM parameters, read back into Java. */
    static Tiny read(Sequential model) {
        StackBlock b = (StackBlock) model.layerBlock("rbm");
        RbmParams p = b.layer(0, false);
        float[] w = p.weight().toType(DataType.FLOAT32, false).toFloatArray();
        double[][] ww = new double[H][V];
        for (int k = 0; k < w.length; k++) {
            ww[k / V][k % V] = w[k];
        }
        return new Tiny(ww, toDouble(p.visibleBias()), toDouble(p.hiddenBias()));
    }

    static double[] toDouble(NDArray a) {
        float[] f = a.toType(DataType.FLOAT32, false).toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
