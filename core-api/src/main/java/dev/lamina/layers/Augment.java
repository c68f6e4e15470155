package dev.lamina.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.List;

/**
 * What the augmentation layers share: reading Keras's factors, checking image shapes, and
 * resampling a batch of images.
 *
 * <p><b>Resampling.</b> Each output pixel is a weighted sum of at most four input pixels (plus a
 * constant for {@code fill_mode: constant}); the indices and weights are computed in Java from the
 * drawn parameters, and the engine gathers ({@code take}) and sums, so the numbers are the same on
 * both engines and the gradient flows to the input. Keras's {@code affine_transform} (its PyTorch
 * and JAX {@code map_coordinates}): output pixel (y, x) reads the input at x' = a0·x + a1·y + a2,
 * y' = b0·x + b1·y + b2; {@code bilinear} weights the corners floor(c) and floor(c) + 1 by
 * 1 − frac and frac, {@code nearest} takes round-half-even(c); a corner outside the image is read
 * per {@code fill_mode}: {@code reflect} (d c b a | a b c d | d c b a), {@code wrap}
 * (a b c d | a b c d | a b c d), {@code nearest} (a a a a | a b c d | d d d d), {@code constant}
 * (the corner counts as {@code fill_value}).
 */
final class Augment {
    static final List<String> FILL_MODES = List.of("reflect", "wrap", "constant", "nearest");
    static final List<String> INTERPOLATIONS = List.of("bilinear", "nearest");
    private static final int REFLECT = 0;
    private static final int WRAP = 1;
    private static final int CONSTANT = 2;

    private Augment() {}

    /** A range [lower, upper] of a factor. */
    record Range(double lower, double upper) {
        /** The form written to files: one number for a symmetric range (−f, f), else a list. */
        Object value(boolean symmetric) {
            if (symmetric ? lower == -upper : lower == upper) {
                return upper;
            }
            return List.of(lower, upper);
        }
    }

    /**
     * Keras's factor: a number f gives [−f, f] ({@code symmetric}) or [f, f], a list of two numbers
     * gives them sorted; every number must lie in [min, max] ({@code (min, max]} when {@code
     * openMin}).
     */
    static Range range(String type, String key, List<Double> v, boolean symmetric, double min,
            double max, boolean openMin) {
        String bounds = (openMin ? "(" : "[") + fmt(min) + ", " + fmt(max) + "]";
        String want = "expected a number or a list of two numbers in " + bounds + ", received "
                + key + "=" + (v == null ? "null" : v.size() == 1 ? fmt(v.get(0)) : v.toString());
        if (v == null || v.isEmpty() || v.size() > 2) {
            throw new SpecException(type, key, want);
        }
        for (Double d : v) {
            if (d == null || !(openMin ? d > min : d >= min) || !(d <= max)) {
                throw new SpecException(type, key, want);
            }
        }
        if (v.size() == 1) {
            double f = Math.abs(v.get(0));
            return symmetric ? new Range(-f, f) : new Range(f, f);
        }
        return new Range(Math.min(v.get(0), v.get(1)), Math.max(v.get(0), v.get(1)));
    }

    /** |f| after checking f as a one-number factor (for the Java constructors). */
    static double single(String type, String key, double f, double min, double max,
            boolean openMin) {
        range(type, key, List.of(f), true, min, max, openMin);
        return Math.abs(f);
    }

    /** Checks a value range: low < high, both finite. */
    static void valueRange(String type, double low, double high) {
        if (!(Double.isFinite(low) && Double.isFinite(high) && low < high)) {
            throw new SpecException(type, "value_range", "expected two finite numbers [low, high]"
                    + " with low < high, received value_range=[" + fmt(low) + ", " + fmt(high)
                    + "]");
        }
    }

    /** Reads a value range, sorted as Keras does; Keras's default [0, 255] when absent. */
    static double[] valueRange(String type, List<Double> v) {
        if (v == null) {
            return new double[] {0, 255};
        }
        if (v.size() != 2) {
            throw new SpecException(type, "value_range", "expected two numbers [low, high],"
                    + " received value_range=" + (v.size() == 1 ? fmt(v.get(0)) : v.toString()));
        }
        return new double[] {Math.min(v.get(0), v.get(1)), Math.max(v.get(0), v.get(1))};
    }

    /** A number or a list of numbers, as written (null when absent). */
    static List<Double> numbers(SpecMap m, String key) {
        ConfigNode v = m.get(key);
        if (v == null) {
            return null;
        }
        if (v.isList()) {
            return v.asList().stream().map(ConfigNode::asDouble).toList();
        }
        return List.of(v.asDouble());
    }

    /** A required number or list of numbers. */
    static List<Double> requireNumbers(SpecMap m, String key) {
        m.require(key);
        return numbers(m, key);
    }

    static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d)
                : String.valueOf(d);
    }

    /** Checks {@code value} is one of {@code choices}, naming the setting. */
    static String choice(String type, String key, String value, List<String> choices) {
        if (value == null || !choices.contains(value)) {
            throw new SpecException(type, key, "expected one of " + String.join(", ", choices)
                    + ", received " + key + "=" + (value == null ? "null" : "'" + value + "'") + "."
                    + dev.lamina.spec.Names.didYouMean(value, choices));
        }
        return value;
    }

    /** Checks a per-sample image shape (channels, height, width). */
    static void requireImage(Shape in) {
        Spatial.requireRank(in, 2, "images (channels, height, width)");
    }

    // ---- resampling ----

    /**
     * out[i] = Σ_c w[c·n + i] · x.flat[idx[c·n + i]] + add[i] for c &lt; k corners ({@code add} may
     * be null), reshaped to {@code out}: one gather on the engine for all corners.
     */
    static NDArray gather(NDArray x, int k, long[] idx, float[] w, float[] add, Shape out) {
        int n = idx.length / k;
        NDManager m = x.getManager();
        NDArray picked = x.reshape(-1).take(m, m.create(idx)).reshape(k, n)
                .mul(m.create(w, new Shape(k, n)).toType(x.getDataType(), false));
        NDArray y = k == 1 ? picked.reshape(out) : picked.sum(new int[] {0}).reshape(out);
        if (add != null) {
            y = y.add(m.create(add, out).toType(x.getDataType(), false));
        }
        return y;
    }

    /** The index that coordinate {@code i} reads under fill mode {@code fill} (Keras's fixers). */
    static long fix(long i, long size, int fill) {
        if (i >= 0 && i < size) {
            return i;
        }
        switch (fill) {
            case WRAP:
                return Math.floorMod(i, size);
            case REFLECT:
                return Math.floorDiv(mirror(2 * i + 1, 2 * size + 1) - 1, 2);
            default: // constant (the corner is then weighted as fill_value) and nearest
                return Math.min(Math.max(i, 0), size - 1);
        }
    }

    /** A triangular wave of half-period size − 1: the mirror image of i in [0, size). */
    private static long mirror(long i, long size) {
        long s = size - 1;
        return Math.abs(Math.floorMod(i + s, 2 * s) - s);
    }

    /**
     * Keras's {@code affine_transform} of a batch (b, c, h, w): {@code m[s]} = {a0, a1, a2, b0,
     * b1, b2} for sample s (output pixel (y, x) reads input (b0·x + b1·y + b2, a0·x + a1·y + a2)).
     */
    static NDArray affine(NDArray x, double[][] m, String fill, double fillValue,
            boolean bilinear) {
        Shape s = x.getShape();
        int b = (int) s.get(0);
        int ch = (int) s.get(1);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        int k = bilinear ? 4 : 1;
        int plane = h * w;
        int n = b * ch * plane;
        long[] idx = new long[k * n];
        float[] wt = new float[k * n];
        int mode = FILL_MODES.indexOf(fill);
        boolean constant = mode == CONSTANT;
        float[] add = constant && fillValue != 0 ? new float[n] : null;
        long[] iy = new long[2];
        long[] ix = new long[2];
        double[] wy = new double[2];
        double[] wx = new double[2];
        for (int si = 0; si < b; si++) {
            double[] t = m[si];
            for (int y = 0; y < h; y++) {
                for (int xo = 0; xo < w; xo++) {
                    double cx = t[0] * xo + t[1] * y + t[2];
                    double cy = t[3] * xo + t[4] * y + t[5];
                    int nc = corners(cy, bilinear, iy, wy);
                    corners(cx, bilinear, ix, wx);
                    int p = y * w + xo;
                    int c = 0;
                    for (int a = 0; a < nc; a++) {
                        for (int e = 0; e < nc; e++) {
                            double weight = wy[a] * wx[e];
                            boolean valid = iy[a] >= 0 && iy[a] < h && ix[e] >= 0 && ix[e] < w;
                            long src = fix(iy[a], h, mode) * w + fix(ix[e], w, mode);
                            for (int chan = 0; chan < ch; chan++) {
                                int o = (si * ch + chan) * plane + p;
                                idx[c * n + o] = (long) (si * ch + chan) * plane + src;
                                if (constant && !valid) {
                                    if (add != null) {
                                        add[o] += (float) (weight * fillValue);
                                    }
                                } else {
                                    wt[c * n + o] = (float) weight;
                                }
                            }
                            c++;
                        }
                    }
                }
            }
        }
        return gather(x, k, idx, wt, add, s);
    }

    /** The corners of one coordinate and their weights; returns how many (2 or 1). */
    private static int corners(double c, boolean bilinear, long[] i, double[] w) {
        if (!bilinear) {
            i[0] = (long) Math.rint(c); // round half to even, as torch.round
            w[0] = 1;
            return 1;
        }
        double lo = Math.floor(c);
        i[0] = (long) lo;
        i[1] = (long) lo + 1;
        w[1] = c - lo;
        w[0] = 1 - w[1];
        return 2;
    }

    /**
     * Bilinear resizing of the window (top, left, wh × ww) of each image to (oh, ow), with
     * half-pixel centres and edges clamped (TensorFlow's, and PyTorch's {@code
     * align_corners=False}, without antialiasing: Keras's {@code ops.image.resize}). A window of
     * the output's size is copied.
     */
    static NDArray resizeWindow(NDArray x, int top, int left, int wh, int ww, int oh, int ow) {
        Shape s = x.getShape();
        int b = (int) s.get(0);
        int ch = (int) s.get(1);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        int n = b * ch * oh * ow;
        long[] idx = new long[4 * n];
        float[] wt = new float[4 * n];
        for (int y = 0; y < oh; y++) {
            double sy = Math.max((y + 0.5) * wh / oh - 0.5, 0);
            int y0 = (int) Math.floor(sy);
            int y1 = Math.min(y0 + 1, wh - 1);
            double fy = sy - y0;
            for (int xo = 0; xo < ow; xo++) {
                double sx = Math.max((xo + 0.5) * ww / ow - 0.5, 0);
                int x0 = (int) Math.floor(sx);
                int x1 = Math.min(x0 + 1, ww - 1);
                double fx = sx - x0;
                long[] src = {(long) (top + y0) * w + left + x0, (long) (top + y0) * w + left + x1,
                        (long) (top + y1) * w + left + x0, (long) (top + y1) * w + left + x1};
                double[] weight = {(1 - fy) * (1 - fx), (1 - fy) * fx, fy * (1 - fx), fy * fx};
                for (int plane = 0; plane < b * ch; plane++) {
                    int o = (plane * oh + y) * ow + xo;
                    for (int c = 0; c < 4; c++) {
                        idx[c * n + o] = (long) plane * h * w + src[c];
                        wt[c * n + o] = (float) weight[c];
                    }
                }
            }
        }
        return gather(x, 4, idx, wt, null, new Shape(b, ch, oh, ow));
    }

    /** The window (top, left, oh × ow) of each image, copied. */
    static NDArray window(NDArray x, int top, int left, int oh, int ow) {
        Shape s = x.getShape();
        int planes = (int) (s.get(0) * s.get(1));
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        long[] idx = new long[planes * oh * ow];
        float[] ones = new float[idx.length];
        java.util.Arrays.fill(ones, 1f);
        int o = 0;
        for (int p = 0; p < planes; p++) {
            for (int y = 0; y < oh; y++) {
                for (int xo = 0; xo < ow; xo++) {
                    idx[o++] = ((long) p * h + top + y) * w + left + xo;
                }
            }
        }
        return gather(x, 1, idx, ones, null, new Shape(s.get(0), s.get(1), oh, ow));
    }

    /** Per-sample values as a (b, 1, 1, ...) array of x's type, to broadcast over a sample. */
    static NDArray perSample(NDArray x, float[] v) {
        long[] d = new long[x.getShape().dimension()];
        java.util.Arrays.fill(d, 1);
        d[0] = v.length;
        return x.getManager().create(v, new Shape(d)).toType(x.getDataType(), false);
    }
}
