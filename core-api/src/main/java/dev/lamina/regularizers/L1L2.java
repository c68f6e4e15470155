package dev.lamina.regularizers;

import ai.djl.ndarray.NDArray;
import dev.lamina.engine.Constants;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import java.util.Map;

/**
 * Keras's weight penalties: {@code l1}·Σ|w| + {@code l2}·Σw². Named {@code l1} (default 0.01),
 * {@code l2} (default 0.01) or {@code l1_l2} (both default 0) in files.
 */
public record L1L2(String type, double l1, double l2) implements RegularizerSpec {
    public L1L2 {
        if (l1 < 0 || Double.isNaN(l1)) {
            throw new SpecException(type, "l1", "expected a factor >= 0, received l1=" + l1);
        }
        if (l2 < 0 || Double.isNaN(l2)) {
            throw new SpecException(type, "l2", "expected a factor >= 0, received l2=" + l2);
        }
    }

    /** An L1 penalty {@code factor}·Σ|w|. */
    public static L1L2 l1(double factor) {
        return new L1L2("l1", factor, 0);
    }

    /** An L2 penalty {@code factor}·Σw². */
    public static L1L2 l2(double factor) {
        return new L1L2("l2", 0, factor);
    }

    /** Both penalties. */
    public static L1L2 l1l2(double l1, double l2) {
        return new L1L2("l1_l2", l1, l2);
    }

    @Override
    public NDArray penalty(NDArray w) {
        NDArray out = null;
        if (l1 > 0) {
            out = Constants.times(w.abs().sum(), (float) l1);
        }
        if (l2 > 0) {
            NDArray sq = Constants.times(w.square().sum(), (float) l2);
            out = out == null ? sq : out.add(sq);
        }
        return out == null ? w.getManager().create(0f) : out;
    }

    @Override
    public Map<String, Object> config() {
        switch (type) {
            case "l1":
                return Spec.ordered("l1", l1);
            case "l2":
                return Spec.ordered("l2", l2);
            default:
                return Spec.ordered("l1", l1, "l2", l2);
        }
    }
}
