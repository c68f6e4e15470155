package dev.lamina.models.layers;

import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.List;
import java.util.Map;

/**
 * Repeats each step of a sequence {@code size} times: (channels, length) to (channels,
 * length·size), Keras's UpSampling1D. No parameters. Keras's default: size 2.
 */
public record UpSampling1d(int repeats) implements UpSampling {
    public static final String TYPE = "upsampling1d";

    public UpSampling1d {
        if (repeats <= 0) {
            throw new SpecException(TYPE, "size", "expected a positive integer, received size="
                    + repeats);
        }
    }

    /** Keras's default: each step twice. */
    public UpSampling1d() {
        this(2);
    }

    @Override
    public List<Integer> size() {
        return List.of(repeats);
    }

    @Override
    public String interpolation() {
        return "nearest";
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("size", repeats);
    }

    /** Reads the settings written by {@link #config()}. */
    public static UpSampling1d fromMap(SpecMap m) {
        return new UpSampling1d(m.getInt("size", 2));
    }
}
