package dev.lamina.optimizers;

import ai.djl.ndarray.NDArray;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.Map;

/**
 * Keras's per-weight gradient clipping, applied to each gradient before the update rule:
 * {@code clipnorm} rescales a gradient whose L2 norm is above it to that norm
 * (g·c / max(‖g‖, c)); {@code clipvalue} clips each element to [−c, c]. Either may be null (off);
 * at most one may be set.
 *
 * @param clipnorm the largest L2 norm of one weight's gradient, or null
 * @param clipvalue the largest absolute value of a gradient element, or null
 */
public record Clipping(Double clipnorm, Double clipvalue) {
    /** No clipping. */
    public static final Clipping NONE = new Clipping(null, null);

    /** Clipping by norm. */
    public static Clipping byNorm(double clipnorm) {
        return new Clipping(clipnorm, null);
    }

    /** Clipping by value. */
    public static Clipping byValue(double clipvalue) {
        return new Clipping(null, clipvalue);
    }

    /** True when neither is set. */
    public boolean isOff() {
        return clipnorm == null && clipvalue == null;
    }

    /** Refuses non-positive thresholds and both being set, naming optimizer {@code type}. */
    void check(String type) {
        if (clipnorm != null) {
            Checks.positive(type, "clipnorm", clipnorm);
        }
        if (clipvalue != null) {
            Checks.positive(type, "clipvalue", clipvalue);
        }
        if (clipnorm != null && clipvalue != null) {
            throw new SpecException(type, "clipvalue", "expected only one of clipnorm and clipvalue, received clipnorm="
                    + clipnorm + " and clipvalue=" + clipvalue);
        }
    }

    /** Reads {@code clipnorm} and {@code clipvalue} (both optional). */
    static Clipping fromMap(SpecMap m) {
        ConfigNode n = m.get("clipnorm");
        ConfigNode v = m.get("clipvalue");
        return new Clipping(n == null ? null : n.asDouble(), v == null ? null : v.asDouble());
    }

    /** Adds the settings that are on to an optimizer's config. */
    void writeTo(Map<String, Object> config) {
        if (clipnorm != null) {
            config.put("clipnorm", clipnorm);
        }
        if (clipvalue != null) {
            config.put("clipvalue", clipvalue);
        }
    }

    /** The clipped gradient (a new array), or {@code grad} itself when off. */
    NDArray apply(NDArray grad) {
        if (clipnorm != null) {
            float c = clipnorm.floatValue();
            NDArray norm = grad.square().sum().sqrt();
            return grad.mul(c).div(norm.maximum(c));
        }
        if (clipvalue != null) {
            float c = clipvalue.floatValue();
            return grad.clip(-c, c);
        }
        return grad;
    }
}
