package dev.lamina.layers;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.LayerSpec;
import java.util.List;
import java.util.Map;

/**
 * What the poolings share: Keras's settings ({@code pool_size}, {@code strides}, {@code padding})
 * and everything done with them. {@link MaxPool1d}, {@link MaxPool2d}, {@link AvgPool1d} and
 * {@link AvgPool2d} differ only in their rank and whether they take the maximum.
 */
public sealed interface PoolLayer extends LayerSpec
        permits MaxPool1d, MaxPool2d, AvgPool1d, AvgPool2d {
    /** The window's size on each spatial axis. */
    List<Integer> poolSize();

    /** The step on each spatial axis (default: the window's size). */
    List<Integer> strides();

    /** {@code valid} or {@code same}. */
    String padding();

    /** True for the maximum of each window, false for its mean. */
    boolean max();

    /** The number of spatial axes. */
    default int rank() {
        return poolSize().size();
    }

    @Override
    default Shape outputShape(Shape in) {
        return Pooling.outputShape(type(), in, rank(), rank() == 1 ? "(channels, length)"
                : "(channels, height, width)", poolSize(), strides(), padding());
    }

    @Override
    default Block toBlock(BuildContext ctx, Shape input) {
        outputShape(input);
        return Pooling.block(input, max(), poolSize(), strides(), padding());
    }

    @Override
    default Map<String, Object> config() {
        return Pooling.config(poolSize(), strides(), padding());
    }
}
