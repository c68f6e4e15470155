package dev.lamina.losses;

import ai.djl.ndarray.NDArray;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How a loss turns its per-sample values into what it returns, Keras 3's {@code reduction}:
 * {@code sum_over_batch_size} (the default) sums them and divides by their number, that is the
 * mean; {@code sum} sums them; {@code none} returns them, one per sample (and per time step for a
 * sequence output).
 */
public enum Reduction {
    /** The sum divided by the number of values: the mean (Keras's default). */
    SUM_OVER_BATCH_SIZE("sum_over_batch_size"),
    /** The sum. */
    SUM("sum"),
    /** No reduction: the per-sample losses. */
    NONE("none");

    private final String keras;

    Reduction(String keras) {
        this.keras = keras;
    }

    /** Keras's name, as written in files. */
    public String kerasName() {
        return keras;
    }

    /** The reduction named {@code name} in a loss of {@code type}, or an error listing the names. */
    public static Reduction of(String type, String name) {
        for (Reduction r : values()) {
            if (r.keras.equals(name)) {
                return r;
            }
        }
        throw new SpecException(type, "reduction", "expected one of "
                + Arrays.stream(values()).map(r -> r.keras).collect(Collectors.joining(", "))
                + ", received reduction=" + name);
    }

    /** Reads {@code reduction} from a loss's settings (default {@code sum_over_batch_size}). */
    static Reduction fromMap(SpecMap m) {
        ConfigNode n = m.get("reduction");
        if (n == null) {
            return SUM_OVER_BATCH_SIZE;
        }
        try {
            return of(m.type(), n.asString());
        } catch (SpecException e) {
            throw n.error(e.detail());
        }
    }

    /** Reduces per-sample {@code values}. */
    public NDArray apply(NDArray values) {
        return switch (this) {
            case SUM_OVER_BATCH_SIZE -> values.mean();
            case SUM -> values.sum();
            case NONE -> values;
        };
    }
}
