package dev.lamina.layers;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.SpecMap;
import java.util.List;
import java.util.Map;

/**
 * Max pooling over a sequence: the largest value of each window, per channel.
 *
 * <p>Input (channels, length); output (channels, out_length). Per axis, {@code valid}: out =
 * floor((in − pool) / stride) + 1; {@code same}: out = ceil(in / stride), padded as Keras does
 * (extra at the end). Padded elements never win the maximum. Keras defaults: pool_size 2, strides =
 * pool_size, padding valid.
 */
public record MaxPool1d(List<Integer> poolSize, List<Integer> strides, String padding)
        implements LayerSpec {
    public static final String TYPE = "max_pool1d";
    static final int RANK = 1;
    static final String SHAPE = "(channels, length)";

    public MaxPool1d {
        poolSize = Spatial.positive(TYPE, "pool_size",
                poolSize == null ? Spatial.repeat(2, RANK) : poolSize, RANK);
        strides = Spatial.positive(TYPE, "strides", strides == null ? poolSize : strides, RANK);
        padding = Spatial.padding(TYPE, padding == null ? "valid" : padding);
    }

    /** Keras defaults: a window of 2, strides 2, valid. */
    public MaxPool1d() {
        this(null, null, null);
    }

    /** A square window of {@code size}, strides {@code stride}, padding by name. */
    public MaxPool1d(int size, int stride, String padding) {
        this(Spatial.repeat(size, RANK), Spatial.repeat(stride, RANK), padding);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Shape outputShape(Shape in) {
        return Pooling.outputShape(TYPE, in, RANK, SHAPE, poolSize, strides, padding);
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        outputShape(input);
        return Pooling.block(input, true, poolSize, strides, padding);
    }

    @Override
    public Map<String, Object> config() {
        return Pooling.config(poolSize, strides, padding);
    }

    /** Reads the settings written by {@link #config()}; strides default to pool_size. */
    public static MaxPool1d fromMap(SpecMap m) {
        return new MaxPool1d(Spatial.ints(m, "pool_size", RANK, null),
                Spatial.ints(m, "strides", RANK, null), m.getString("padding", "valid"));
    }
}
