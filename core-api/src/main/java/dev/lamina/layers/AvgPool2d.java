package dev.lamina.layers;

import dev.lamina.spec.SpecMap;
import java.util.List;

/**
 * Average pooling over an image: the mean of each window, per channel.
 *
 * <p>Input (channels, height, width); output (channels, out_height, out_width). Per axis, {@code
 * valid}: out = floor((in − pool) / stride) + 1; {@code same}: out = ceil(in / stride), padded as
 * Keras does (extra at the end). Padded elements are left out of the average (Keras's rule), not
 * counted as zeros. Keras defaults: pool_size 2, strides = pool_size, padding valid.
 */
public record AvgPool2d(List<Integer> poolSize, List<Integer> strides, String padding)
        implements PoolLayer {
    public static final String TYPE = "avg_pool2d";
    static final int RANK = 2;

    public AvgPool2d {
        poolSize = Spatial.positive(TYPE, "pool_size",
                poolSize == null ? Spatial.repeat(2, RANK) : poolSize, RANK);
        strides = Spatial.positive(TYPE, "strides", strides == null ? poolSize : strides, RANK);
        padding = Spatial.padding(TYPE, padding == null ? "valid" : padding);
    }

    /** Keras defaults: a window of 2, strides 2, valid. */
    public AvgPool2d() {
        this(null, null, null);
    }

    /** A square window of {@code size}, strides {@code stride}, padding by name. */
    public AvgPool2d(int size, int stride, String padding) {
        this(Spatial.repeat(size, RANK), Spatial.repeat(stride, RANK), padding);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public boolean max() {
        return false;
    }

    /** Reads the settings written by {@link #config()}; strides default to pool_size. */
    public static AvgPool2d fromMap(SpecMap m) {
        return new AvgPool2d(Spatial.ints(m, "pool_size", RANK, null),
                Spatial.ints(m, "strides", RANK, null), m.getString("padding", "valid"));
    }
}
