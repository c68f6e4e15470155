package dev.lamina.optimizers;

import java.util.function.Supplier;

/**
 * Keras 3's update rules written out by hand in Java doubles, one element at a time, to check
 * Lamina's NDArray implementations against.
 */
final class Reference {
    private Reference() {}

    /** One optimizer's state and step. */
    interface Rule {
        /** Updates {@code w} in place with gradient {@code g}; {@code t} counts from 1. */
        void step(double[] w, double[] g, int t);
    }

    /** Per-weight clipping as Keras does it, before the rule. */
    static Supplier<Rule> clipped(Double clipnorm, Double clipvalue, Supplier<Rule> inner) {
        return () -> {
            Rule r = inner.get();
            return (w, g, t) -> {
                double[] c = g.clone();
                if (clipnorm != null) {
                    double sq = 0;
                    for (double x : g) {
                        sq += x * x;
                    }
                    double scale = clipnorm / Math.max(Math.sqrt(sq), clipnorm);
                    for (int i = 0; i < c.length; i++) {
                        c[i] = g[i] * scale;
                    }
                } else if (clipvalue != null) {
                    for (int i = 0; i < c.length; i++) {
                        c[i] = Math.max(-clipvalue, Math.min(clipvalue, g[i]));
                    }
                }
                r.step(w, c, t);
            };
        };
    }

    /** Keras 3's decoupled weight decay, before the rule: {@code w -= w·weightDecay·lr}. */
    static Supplier<Rule> decayed(double lr, double weightDecay, Supplier<Rule> inner) {
        return () -> {
            Rule r = inner.get();
            return (w, g, t) -> {
                for (int i = 0; i < w.length; i++) {
                    w[i] -= w[i] * weightDecay * lr;
                }
                r.step(w, g, t);
            };
        };
    }

    static Supplier<Rule> sgd(double lr, double momentum, boolean nesterov) {
        return () -> new Rule() {
            double[] v;

            @Override
            public void step(double[] w, double[] g, int t) {
                if (v == null) {
                    v = new double[w.length];
                }
                for (int i = 0; i < w.length; i++) {
                    if (momentum == 0) {
                        w[i] -= lr * g[i];
                        continue;
                    }
                    v[i] = momentum * v[i] - lr * g[i];
                    w[i] += nesterov ? momentum * v[i] - lr * g[i] : v[i];
                }
            }
        };
    }

    static Supplier<Rule> adagrad(double lr, double initial, double eps) {
        return () -> new Rule() {
            double[] a;

            @Override
            public void step(double[] w, double[] g, int t) {
                if (a == null) {
                    a = new double[w.length];
                    java.util.Arrays.fill(a, initial);
                }
                for (int i = 0; i < w.length; i++) {
                    a[i] += g[i] * g[i];
                    w[i] -= lr * g[i] / Math.sqrt(a[i] + eps);
                }
            }
        };
    }

    static Supplier<Rule> rmsprop(double lr, double rho, double momentum, double eps, boolean centered) {
        return () -> new Rule() {
            double[] v;
            double[] m;
            double[] mom;

            @Override
            public void step(double[] w, double[] g, int t) {
                if (v == null) {
                    v = new double[w.length];
                    m = new double[w.length];
                    mom = new double[w.length];
                }
                for (int i = 0; i < w.length; i++) {
                    v[i] = rho * v[i] + (1 - rho) * g[i] * g[i];
                    double denom = v[i];
                    if (centered) {
                        m[i] = rho * m[i] + (1 - rho) * g[i];
                        denom = v[i] - m[i] * m[i];
                    }
                    double increment = lr * g[i] / Math.sqrt(denom + eps);
                    if (momentum > 0) {
                        mom[i] = momentum * mom[i] + increment;
                        w[i] -= mom[i];
                    } else {
                        w[i] -= increment;
                    }
                }
            }
        };
    }

    static Supplier<Rule> adam(double lr, double weightDecay, double b1, double b2, double eps, boolean amsgrad) {
        return () -> new Rule() {
            double[] m;
            double[] v;
            double[] vMax;

            @Override
            public void step(double[] w, double[] g, int t) {
                if (m == null) {
                    m = new double[w.length];
                    v = new double[w.length];
                    vMax = new double[w.length];
                }
                double alpha = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
                for (int i = 0; i < w.length; i++) {
                    w[i] -= lr * weightDecay * w[i];
                    m[i] += (g[i] - m[i]) * (1 - b1);
                    v[i] += (g[i] * g[i] - v[i]) * (1 - b2);
                    vMax[i] = Math.max(vMax[i], v[i]);
                    double second = amsgrad ? vMax[i] : v[i];
                    w[i] -= alpha * m[i] / (Math.sqrt(second) + eps);
                }
            }
        };
    }

    static Supplier<Rule> adadelta(double lr, double rho, double eps) {
        return () -> new Rule() {
            double[] accG;
            double[] accDx;

            @Override
            public void step(double[] w, double[] g, int t) {
                if (accG == null) {
                    accG = new double[w.length];
                    accDx = new double[w.length];
                }
                for (int i = 0; i < w.length; i++) {
                    accG[i] = rho * accG[i] + (1 - rho) * g[i] * g[i];
                    double delta = Math.sqrt(accDx[i] + eps) / Math.sqrt(accG[i] + eps) * g[i];
                    accDx[i] = rho * accDx[i] + (1 - rho) * delta * delta;
                    w[i] -= lr * delta;
                }
            }
        };
    }

    static Supplier<Rule> adamax(double lr, double b1, double b2, double eps) {
        return () -> new Rule() {
            double[] m;
            double[] u;

            @Override
            public void step(double[] w, double[] g, int t) {
                if (m == null) {
                    m = new double[w.length];
                    u = new double[w.length];
                }
                for (int i = 0; i < w.length; i++) {
                    m[i] = b1 * m[i] + (1 - b1) * g[i];
                    u[i] = Math.max(b2 * u[i], Math.abs(g[i]));
                    w[i] -= lr / (1 - Math.pow(b1, t)) * m[i] / (u[i] + eps);
                }
            }
        };
    }

    static Supplier<Rule> nadam(double lr, double b1, double b2, double eps) {
        return () -> new Rule() {
            double[] m;
            double[] v;
            double uProduct = 1;

            @Override
            public void step(double[] w, double[] g, int t) {
                if (m == null) {
                    m = new double[w.length];
                    v = new double[w.length];
                }
                double uT = b1 * (1 - 0.5 * Math.pow(0.96, 0.004 * t));
                double uT1 = b1 * (1 - 0.5 * Math.pow(0.96, 0.004 * (t + 1)));
                double prodT = uProduct * uT;
                double prodT1 = prodT * uT1;
                uProduct = prodT;
                for (int i = 0; i < w.length; i++) {
                    m[i] = b1 * m[i] + (1 - b1) * g[i];
                    v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                    double mHat = uT1 * m[i] / (1 - prodT1) + (1 - uT) * g[i] / (1 - prodT);
                    double vHat = v[i] / (1 - Math.pow(b2, t));
                    w[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
                }
            }
        };
    }
}
