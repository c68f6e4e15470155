package dev.lamina.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Keras's {@code auc}: the area under the ROC curve (default) or the precision-recall curve, from
 * counts at {@code num_thresholds} thresholds (default 200) accumulated over the whole epoch, as
 * Keras's stateful metric does; not a mean of the batches' areas.
 *
 * <p>The thresholds are −1e-7, 1/(n − 1), 2/(n − 1), ..., (n − 2)/(n − 1), 1 + 1e-7. At each, every
 * prediction strictly above it is positive; each batch adds its true positives, false positives,
 * true negatives and false negatives per threshold (4·n sums). Every element counts (Keras's
 * {@code multi_label: false}): labels of the predictions' shape, non-zero being positive, or class
 * ids against (batch, classes) scores, taken as one-hot rows. {@code from_logits} passes the
 * predictions through a sigmoid first.
 *
 * <p>{@code summation_method}, as Keras defines it, over the n − 1 intervals between thresholds:
 *
 * <ul>
 *   <li>{@code interpolation} (default): for ROC, the trapezoid rule, Σ (fpr[i] − fpr[i+1]) ·
 *       (tpr[i] + tpr[i+1]) / 2; for PR, Davis and Goadrich's interpolation (Keras's
 *       {@code interpolate_pr_auc}): within an interval the true positives and the predicted
 *       positives P vary linearly, and precision is integrated over recall in closed form,
 *       Σ slope · (ΔTP + intercept · log(P[i] / P[i+1])) / (TP[i+1] + FN[i+1]), with slope =
 *       ΔTP / ΔP and intercept = TP[i+1] − slope · P[i+1];
 *   <li>{@code minoring}: the smaller of each interval's two heights; {@code majoring}: the larger.
 * </ul>
 *
 * Divisions by 0 give 0, as Keras's {@code divide_no_nan}. Keras's explicit {@code thresholds}
 * list, {@code multi_label}, {@code label_weights} and the {@code PRGAIN} curve are not taken.
 */
public record Auc(int numThresholds, String curve, String summationMethod, boolean fromLogits)
        implements MetricSpec {
    /** The type name in files. */
    public static final String TYPE = "auc";
    /** The curves. */
    public static final List<String> CURVES = List.of("ROC", "PR");
    /** The summation methods. */
    public static final List<String> SUMMATIONS = List.of("interpolation", "minoring", "majoring");

    public Auc {
        if (numThresholds <= 1) {
            throw new SpecException(TYPE, "num_thresholds",
                    "expected an integer > 1, received num_thresholds=" + numThresholds);
        }
        curve = curve == null ? "ROC" : curve;
        if (!CURVES.contains(curve.toUpperCase(Locale.ROOT))) {
            throw new SpecException(TYPE, "curve",
                    "expected one of " + CURVES + ", received curve='" + curve + "'");
        }
        curve = curve.toUpperCase(Locale.ROOT);
        summationMethod = summationMethod == null ? "interpolation" : summationMethod;
        if (!SUMMATIONS.contains(summationMethod.toLowerCase(Locale.ROOT))) {
            throw new SpecException(TYPE, "summation_method", "expected one of " + SUMMATIONS
                    + ", received summation_method='" + summationMethod + "'");
        }
        summationMethod = summationMethod.toLowerCase(Locale.ROOT);
    }

    /** Keras's defaults: 200 thresholds, ROC, interpolation, probabilities. */
    public Auc() {
        this(200, "ROC", "interpolation", false);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String name() {
        return TYPE;
    }

    /** The thresholds, as Keras places them. */
    public double[] thresholds() {
        double[] t = new double[numThresholds];
        for (int i = 1; i < numThresholds - 1; i++) {
            t[i] = i / (double) (numThresholds - 1);
        }
        t[0] = -1e-7;
        t[numThresholds - 1] = 1 + 1e-7;
        return t;
    }

    /** {tp[n], fp[n], tn[n], fn[n]} of this batch, n = num_thresholds. */
    @Override
    public double[] batchSums(NDArray labels, NDArray predictions) {
        return batchSumsArray(labels, predictions).toDoubleArray();
    }

    @Override
    public NDArray batchSumsArray(NDArray labels, NDArray predictions) {
        NDArray p = predictions.toType(DataType.FLOAT32, false);
        NDArray y = Confusion.truth(labels, p, TYPE).reshape(1, -1);
        if (fromLogits) {
            p = p.neg().exp().add(1).pow(-1);
        }
        double[] t = thresholds();
        float[] tf = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            tf[i] = (float) t[i];
        }
        NDArray thr = p.getManager().create(tf, new Shape(t.length, 1));
        NDArray positive = p.reshape(1, -1).gt(thr).toType(DataType.FLOAT32, false); // (n, N)
        NDArray notY = y.neg().add(1);
        NDArray tp = positive.mul(y).sum(new int[] {1});
        NDArray fp = positive.mul(notY).sum(new int[] {1});
        NDArray tn = fp.neg().add(notY.sum());
        NDArray fn = tp.neg().add(y.sum());
        return Confusion.stack(tp, fp, tn, fn);
    }

    @Override
    public double result(double[] sums) {
        int n = numThresholds;
        double[] tp = new double[n];
        double[] fp = new double[n];
        double[] tn = new double[n];
        double[] fn = new double[n];
        System.arraycopy(sums, 0, tp, 0, n);
        System.arraycopy(sums, n, fp, 0, n);
        System.arraycopy(sums, 2 * n, tn, 0, n);
        System.arraycopy(sums, 3 * n, fn, 0, n);
        if (curve.equals("PR") && summationMethod.equals("interpolation")) {
            return interpolatedPrAuc(tp, fp, fn);
        }
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double recall = Confusion.divideNoNan(tp[i], tp[i] + fn[i]);
            if (curve.equals("ROC")) {
                x[i] = Confusion.divideNoNan(fp[i], fp[i] + tn[i]);
                y[i] = recall;
            } else {
                x[i] = recall;
                y[i] = Confusion.divideNoNan(tp[i], tp[i] + fp[i]);
            }
        }
        double area = 0;
        for (int i = 0; i < n - 1; i++) {
            double height = switch (summationMethod) {
                case "interpolation" -> (y[i] + y[i + 1]) / 2;
                case "minoring" -> Math.min(y[i], y[i + 1]);
                default -> Math.max(y[i], y[i + 1]);
            };
            area += (x[i] - x[i + 1]) * height;
        }
        return area;
    }

    /** Keras's {@code interpolate_pr_auc} (Davis and Goadrich, 2006), in doubles. */
    private double interpolatedPrAuc(double[] tp, double[] fp, double[] fn) {
        double area = 0;
        for (int i = 0; i < numThresholds - 1; i++) {
            double pA = tp[i] + fp[i];
            double pB = tp[i + 1] + fp[i + 1];
            double dtp = tp[i] - tp[i + 1];
            double slope = Confusion.divideNoNan(dtp, Math.max(pA - pB, 0));
            double intercept = tp[i + 1] - slope * pB;
            double ratio = pA > 0 && pB > 0 ? Confusion.divideNoNan(pA, Math.max(pB, 0)) : 1;
            area += Confusion.divideNoNan(slope * (dtp + intercept * Math.log(ratio)),
                    Math.max(tp[i + 1] + fn[i + 1], 0));
        }
        return area;
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("num_thresholds", numThresholds, "curve", curve,
                "summation_method", summationMethod, "from_logits", fromLogits);
    }
}
