package dev.lamina.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lamina.spec.SpecException;
import java.util.Map;

/**
 * The fraction of samples classified right; the kind is read from the shapes:
 *
 * <ul>
 *   <li>predictions (batch, C) with C &gt; 1 and labels of the same shape (one-hot): the argmaxes
 *       agree;
 *   <li>predictions (batch, C) with C &gt; 1 and labels (batch) or (batch, 1) (class ids): the
 *       argmax equals the id;
 *   <li>predictions (batch) or (batch, 1) with 0/1 labels (binary): prediction &gt; 0.5 equals the
 *       label.
 * </ul>
 *
 * Named {@code accuracy} or {@code acc}; the history uses the name given.
 */
public record Accuracy(String type) implements MeanMetric {
    public Accuracy {
        if (!"accuracy".equals(type) && !"acc".equals(type)) {
            throw new SpecException(String.valueOf(type), "type", "expected 'accuracy' or 'acc'");
        }
    }

    /** {@code accuracy}. */
    public Accuracy() {
        this("accuracy");
    }

    @Override
    public String name() {
        return type;
    }

    @Override
    public NDArray batchTotal(NDArray labels, NDArray predictions) {
        Shape ps = predictions.getShape();
        int rank = ps.dimension();
        boolean binary = rank == 1 || ps.get(rank - 1) == 1;
        NDArray right;
        if (binary) {
            NDArray y = labels.toType(DataType.FLOAT32, false);
            if (y.size() != predictions.size()) {
                throw new IllegalArgumentException(type + ": binary labels of shape " + labels.getShape()
                        + " do not match predictions of shape " + ps);
            }
            NDArray guess = predictions.gt(0.5).toType(DataType.FLOAT32, false).reshape(-1);
            right = guess.eq(y.reshape(-1));
        } else {
            NDArray guess = predictions.argMax(rank - 1).toType(DataType.FLOAT32, false);
            NDArray truth;
            if (labels.getShape().equals(ps)) {
                truth = labels.argMax(rank - 1).toType(DataType.FLOAT32, false);
            } else if (labels.size() == guess.size()) {
                truth = labels.toType(DataType.FLOAT32, false);
                truth = truth.getShape().equals(guess.getShape()) ? truth : truth.reshape(guess.getShape());
            } else {
                throw new IllegalArgumentException(type + ": labels of shape " + labels.getShape()
                        + " are neither class ids " + guess.getShape() + " nor one-hot rows " + ps);
            }
            right = guess.eq(truth);
        }
        return right.sum(); // the count, as an integer on both engines
    }

    @Override
    public long batchCount(NDArray labels, NDArray predictions) {
        Shape ps = predictions.getShape();
        int rank = ps.dimension();
        boolean binary = rank == 1 || ps.get(rank - 1) == 1;
        return binary ? predictions.size() : predictions.size() / ps.get(rank - 1);
    }

    @Override
    public Map<String, Object> config() {
        return Map.of();
    }
}
