package dev.lamina.optimizers;

import ai.djl.ndarray.NDArray;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keras's gradient clipping, applied to the gradients before the update rule:
 * {@code clipnorm} rescales each weight's gradient whose L2 norm is above it to that norm
 * (g·c / max(‖g‖, c)); {@code clipvalue} clips each element to [−c, c]; {@code global_clipnorm}
 * rescales all gradients of a step together by c / max(‖all‖, c), where ‖all‖ is the L2 norm of
 * every trainable weight's gradient taken as one vector. Each may be null (off); at most one may
 * be set, as in Keras.
 *
 * @param clipnorm the largest L2 norm of one weight's gradient, or null
 * @param clipvalue the largest absolute value of a gradient element, or null
 * @param globalClipnorm the largest L2 norm of all gradients together, or null
 */
public record Clipping(Double clipnorm, Double clipvalue, Double globalClipnorm) {
    /** No clipping. */
    public static final Clipping NONE = new Clipping(null, null, null);

    /** Per-weight clipping by norm or value (either null). */
    public Clipping(Double clipnorm, Double clipvalue) {
        this(clipnorm, clipvalue, null);
    }

    /** Clipping by norm. */
    public static Clipping byNorm(double clipnorm) {
        return new Clipping(clipnorm, null, null);
    }

    /** Clipping by value. */
    public static Clipping byValue(double clipvalue) {
        return new Clipping(null, clipvalue, null);
    }

    /** Clipping of all gradients together by their global norm. */
    public static Clipping byGlobalNorm(double globalClipnorm) {
        return new Clipping(null, null, globalClipnorm);
    }

    /** True when none is set. */
    public boolean isOff() {
        return clipnorm == null && clipvalue == null && globalClipnorm == null;
    }

    /** True when the gradients are clipped together ({@code global_clipnorm}). */
    public boolean isGlobal() {
        return globalClipnorm != null;
    }

    /** Refuses non-positive thresholds and more than one being set, naming optimizer {@code type}. */
    void check(String type) {
        List<String> set = new ArrayList<>();
        if (clipnorm != null) {
            Checks.positive(type, "clipnorm", clipnorm);
            set.add("clipnorm=" + clipnorm);
        }
        if (clipvalue != null) {
            Checks.positive(type, "clipvalue", clipvalue);
            set.add("clipvalue=" + clipvalue);
        }
        if (globalClipnorm != null) {
            Checks.positive(type, "global_clipnorm", globalClipnorm);
            set.add("global_clipnorm=" + globalClipnorm);
        }
        if (set.size() > 1) {
            String last = set.get(set.size() - 1);
            throw new SpecException(type, last.substring(0, last.indexOf('=')),
                    "expected only one of clipnorm, clipvalue and global_clipnorm, received "
                            + String.join(" and ", set));
        }
    }

    /** Reads {@code clipnorm}, {@code clipvalue} and {@code global_clipnorm} (all optional). */
    static Clipping fromMap(SpecMap m) {
        ConfigNode n = m.get("clipnorm");
        ConfigNode v = m.get("clipvalue");
        ConfigNode g = m.get("global_clipnorm");
        return new Clipping(n == null ? null : n.asDouble(), v == null ? null : v.asDouble(),
                g == null ? null : g.asDouble());
    }

    /** Adds the settings that are on to an optimizer's config. */
    void writeTo(Map<String, Object> config) {
        if (clipnorm != null) {
            config.put("clipnorm", clipnorm);
        }
        if (clipvalue != null) {
            config.put("clipvalue", clipvalue);
        }
        if (globalClipnorm != null) {
            config.put("global_clipnorm", globalClipnorm);
        }
    }

    /**
     * The per-weight clipped gradient (a new array), or {@code grad} itself when per-weight
     * clipping is off ({@code global_clipnorm} is applied by {@link UpdateRule}, which sees every
     * gradient of the step).
     */
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

    /**
     * The factor {@code global_clipnorm} multiplies every gradient by, given the squared global
     * norm: c / max(‖all‖, c), and NaN when the norm is not finite (as Keras, so a NaN or
     * infinite gradient is not silently scaled to zero).
     */
    double globalScale(double squaredNorm) {
        double norm = Math.sqrt(squaredNorm);
        if (!Double.isFinite(norm)) {
            return Double.NaN;
        }
        return globalClipnorm / Math.max(norm, globalClipnorm);
    }
}
