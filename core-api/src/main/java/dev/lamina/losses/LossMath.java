package dev.lamina.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.PairList;
import dev.lamina.data.Tensor;
import dev.lamina.spec.SpecException;
import java.util.List;

/**
 * The pieces the losses and metrics share, built only from operations that give the same numbers
 * on PyTorch and MXNet: a stable log-sum-exp and log-softmax, one-hot rows from class ids, and
 * label shapes lined up with the predictions.
 */
public final class LossMath {
    /** Keras's epsilon: probabilities are clipped to [EPSILON, 1 − EPSILON] before a log. */
    public static final double EPSILON = 1e-7;

    /** MXNet's pick along the last axis, the axis dropped, ids as DJL's own pick treats them. */
    private static final PairList<String, Object> MXNET_PICK =
            new PairList<>(List.of("axis", "keepdims", "mode"), List.of("-1", "False", "wrap"));

    private LossMath() {}

    /** Refuses a record built with a type name that is not one of its names. */
    static void checkType(String type, String... allowed) {
        for (String a : allowed) {
            if (a.equals(type)) {
                return;
            }
        }
        throw new SpecException(String.valueOf(type), "type",
                "expected one of " + String.join(", ", allowed) + ", received " + type);
    }

    /** log(Σ exp(x)) over the last axis, kept as an axis of 1: max + log(Σ exp(x − max)). */
    public static NDArray logSumExp(NDArray x) {
        int axis = x.getShape().dimension() - 1;
        NDArray m = x.max(new int[] {axis}, true);
        // the gradient with respect to m cancels exactly, so m's own gradient does not matter
        return x.sub(m).exp().sum(new int[] {axis}, true).log().add(m);
    }

    /**
     * log(softmax(x)) over the last axis, stable for large logits. The engines' fused log-softmax
     * gives the same numbers on PyTorch and MXNet (ENGINES.md) and is several times cheaper than
     * {@code x − logSumExp(x)} written out.
     */
    public static NDArray logSoftmax(NDArray x) {
        return x.logSoftmax(-1);
    }

    /** log of probabilities clipped to [ε, 1 − ε]. */
    public static NDArray clippedLog(NDArray p) {
        return p.clip(EPSILON, 1 - EPSILON).log();
    }

    /**
     * Log-probabilities over the last axis: {@code logSoftmax} of logits, or the clipped log of
     * probabilities (first rescaled to sum to one, as Keras does).
     */
    public static NDArray logProbabilities(NDArray predictions, boolean fromLogits) {
        if (fromLogits) {
            return logSoftmax(predictions);
        }
        int axis = predictions.getShape().dimension() - 1;
        return clippedLog(predictions.div(predictions.sum(new int[] {axis}, true)));
    }

    /** The number of classes: the size of the predictions' last axis (which must have rank ≥ 2). */
    public static int classes(NDArray predictions, String who) {
        Shape s = predictions.getShape();
        if (s.dimension() < 2) {
            throw new IllegalArgumentException(who + ": expected predictions of shape (batch, classes),"
                    + " received " + s);
        }
        return Math.toIntExact(s.get(s.dimension() - 1));
    }

    /**
     * One-hot rows of {@code predictions}' shape from integer class ids (held in any number type)
     * of shape (batch) or (batch, 1) (more generally the predictions' shape without its last axis,
     * with or without a trailing 1). An id outside [0, classes) gives a row of zeros: data sets are
     * checked once, up front, by {@link #checkClassIds}.
     */
    public static NDArray oneHot(NDArray ids, NDArray predictions, String who) {
        Shape ps = predictions.getShape();
        int classes = classes(predictions, who);
        Shape idShape = ps.slice(0, ps.dimension() - 1);
        if (ids.size() != idShape.size()) {
            throw new IllegalArgumentException(who + ": expected integer class ids of shape " + idShape
                    + " (or with a trailing 1) for predictions of shape " + ps + ", received labels of shape "
                    + ids.getShape());
        }
        // one fused op on both engines (PyTorch wants int64 indices, MXNet takes them too)
        NDArray hot = ids.reshape(idShape).toType(DataType.INT64, false)
                .oneHot(classes, predictions.getDataType());
        return hot;
    }

    /**
     * Each sample's entry of {@code values} at its class id along the last axis, of {@code values}'
     * shape without that axis; ids as for {@link #oneHot}. The same numbers as summing the one-hot
     * rows times {@code values} (every other term of that sum is a zero), in one gather instead of
     * three operations, forward and backward. Ids must lie in [0, classes): data sets are checked
     * once, up front, by {@link #checkClassIds}.
     */
    public static NDArray pick(NDArray ids, NDArray values, String who) {
        Shape ps = values.getShape();
        classes(values, who);
        Shape idShape = ps.slice(0, ps.dimension() - 1);
        if (ids.size() != idShape.size()) {
            throw new IllegalArgumentException(who + ": expected integer class ids of shape " + idShape
                    + " (or with a trailing 1) for predictions of shape " + ps + ", received labels of shape "
                    + ids.getShape());
        }
        if (values.getManager().getEngine().getEngineName().equals("MXNet")) {
            // MXNet's pick drops the axis itself and takes ids of any number type: one operation
            // where the general path below issues four (two reshapes and a cast around it)
            NDArray index = ids.getShape().equals(idShape) ? ids : ids.reshape(idShape);
            return values.getManager().invoke("pick", new NDList(values, index), MXNET_PICK)
                    .singletonOrThrow();
        }
        NDArray index = ids.reshape(idShape.add(1)).toType(DataType.INT64, false);
        return values.get(new NDIndex().addAllDim(ps.dimension() - 1).addPickDim(index)).reshape(idShape);
    }


    /**
     * Labels lined up with predictions: the same shape, or the same number of elements (a (batch)
     * array against (batch, 1) predictions), reshaped and in the predictions' number type.
     */
    public static NDArray align(NDArray labels, NDArray predictions, String who) {
        Shape ps = predictions.getShape();
        if (labels.getShape().equals(ps)) {
            return labels.getDataType() == predictions.getDataType()
                    ? labels : labels.toType(predictions.getDataType(), false);
        }
        if (labels.size() != predictions.size()) {
            throw new IllegalArgumentException(who + ": labels of shape " + labels.getShape()
                    + " do not match predictions of shape " + ps);
        }
        return labels.toType(predictions.getDataType(), false).reshape(ps);
    }

    /**
     * Refuses class ids that are not integers in [0, classes), naming the first bad one and where
     * it is. Runs in Java over the whole tensor, once per data set.
     */
    public static void checkClassIds(Tensor labels, Shape output, String who) {
        if (output.dimension() < 1) {
            throw new IllegalArgumentException(who + ": expects a model output of (classes) scores"
                    + " per sample, the model gives " + output);
        }
        long classes = output.get(output.dimension() - 1);
        // one id per position of the output but its last axis: (), or (t) for (t, classes)
        Shape want = output.slice(0, output.dimension() - 1);
        Shape got = labels.sampleShape();
        boolean trailingOne = got.dimension() == want.dimension() + 1
                && got.get(got.dimension() - 1) == 1 && got.slice(0, want.dimension()).equals(want);
        if (!got.equals(want) && !trailingOne) {
            throw new IllegalArgumentException(who + ": expected integer class ids of shape "
                    + want + " per sample (or with a trailing 1) for model outputs of shape "
                    + output + " per sample, received labels of shape " + got);
        }
        float[] ids = labels.data();
        for (int i = 0; i < ids.length; i++) {
            float v = ids[i];
            if (v != Math.rint(v) || v < 0 || v >= classes) {
                throw new IllegalArgumentException(who + ": labels must be integer class ids in [0, "
                        + classes + ") for a model with " + classes + " outputs; label " + i + " is "
                        + v + " (is the last layer as wide as the number of classes?)");
            }
        }
    }
}
