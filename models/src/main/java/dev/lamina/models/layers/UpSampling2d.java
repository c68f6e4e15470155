package dev.lamina.models.layers;

import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.List;
import java.util.Map;

/**
 * Enlarges an image by whole factors: (channels, height, width) to (channels, height·size_h,
 * width·size_w), with {@code nearest} (each pixel repeated, Keras's default) or {@code bilinear}
 * interpolation (half-pixel centres, as Keras). No parameters. Keras defaults: size 2 on both
 * axes, nearest.
 */
public record UpSampling2d(List<Integer> size, String interpolation) implements UpSampling {
    public static final String TYPE = "upsampling2d";
    static final List<String> INTERPOLATIONS = List.of("nearest", "bilinear");

    public UpSampling2d {
        size = size == null ? List.of(2, 2) : size;
        if (size.size() != 2 || size.stream().anyMatch(s -> s == null || s <= 0)) {
            throw new SpecException(TYPE, "size", "expected 2 positive integers, received size="
                    + size);
        }
        size = List.copyOf(size);
        interpolation = interpolation == null ? "nearest" : interpolation;
        if (!INTERPOLATIONS.contains(interpolation)) {
            throw new SpecException(TYPE, "interpolation", "expected 'nearest' or 'bilinear',"
                    + " received interpolation='" + interpolation + "'");
        }
    }

    /** Factor {@code size} on both axes, interpolation by name. */
    public UpSampling2d(int size, String interpolation) {
        this(List.of(size, size), interpolation);
    }

    /** Keras's defaults: twice the height and width, nearest. */
    public UpSampling2d() {
        this(null, null);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("size", size, "interpolation", interpolation);
    }

    /** Reads the settings written by {@link #config()} ({@code size} an int or a list of 2). */
    public static UpSampling2d fromMap(SpecMap m) {
        int[] s = m.getInts("size", 2, new int[] {2, 2});
        return new UpSampling2d(List.of(s[0], s[1]), m.getString("interpolation", "nearest"));
    }
}
