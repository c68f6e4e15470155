package dev.lamina.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lamina.losses.LossMath;

/** What the confusion metrics (precision, recall, auc) share: labels as 0/1, top-k, read-back. */
final class Confusion {
    private Confusion() {}

    /**
     * The labels as 0/1 (float32) of the predictions' shape, as Keras casts them to bool (any
     * non-zero label is positive). Labels of the predictions' shape (or with as many elements)
     * are taken as they are; class ids of shape (batch) or (batch, 1) against predictions
     * (batch, classes) with more than one class become one-hot rows.
     */
    static NDArray truth(NDArray labels, NDArray predictions, String who) {
        Shape ps = predictions.getShape();
        NDArray y;
        if (labels.getShape().equals(ps) || labels.size() == predictions.size()) {
            y = labels.toType(DataType.FLOAT32, false).reshape(ps);
        } else if (ps.dimension() >= 2 && ps.get(ps.dimension() - 1) > 1
                && labels.size() * ps.get(ps.dimension() - 1) == predictions.size()) {
            y = LossMath.oneHot(labels, predictions.toType(DataType.FLOAT32, false), who);
        } else {
            throw new IllegalArgumentException(who + ": labels of shape " + labels.getShape()
                    + " are neither of the predictions' shape " + ps + " nor class ids "
                    + ps.slice(0, Math.max(1, ps.dimension() - 1)));
        }
        return y.neq(0).toType(DataType.FLOAT32, false);
    }

    /**
     * 1 where a score is among the {@code k} largest of its row (the last axis), else 0; ties go to
     * the lower index, as TensorFlow's {@code top_k} breaks them, so each row has exactly
     * min(k, classes) ones. A score's rank is the number of scores above it plus the number equal
     * to it at a lower index.
     */
    static NDArray topK(NDArray scores, int k) {
        int last = scores.getShape().dimension() - 1;
        long c = scores.getShape().get(last);
        NDArray mine = scores.expandDims(-1); // (..., j, 1)
        NDArray others = scores.expandDims(-2); // (..., 1, i)
        NDArray index = scores.getManager().arange(0f, (float) c, 1f, DataType.FLOAT32);
        NDArray lower = index.reshape(1, c).lt(index.reshape(c, 1)).toType(DataType.FLOAT32, false);
        NDArray above = others.gt(mine).toType(DataType.FLOAT32, false);
        NDArray tiedBefore = others.eq(mine).toType(DataType.FLOAT32, false).mul(lower);
        NDArray rank = above.add(tiedBefore).sum(new int[] {last + 1});
        return rank.lt(k).toType(DataType.FLOAT32, false);
    }

    /** The scalars (or vectors) concatenated and read back into Java in one call. */
    static NDArray stack(NDArray... parts) {
        NDList list = new NDList();
        for (NDArray p : parts) {
            list.add(p.toType(DataType.FLOAT64, false).reshape(-1));
        }
        return NDArrays.concat(list);
    }

    /** a / b, or 0 when b is 0 (Keras's {@code divide_no_nan}). */
    static double divideNoNan(double a, double b) {
        return b == 0 ? 0 : a / b;
    }
}
