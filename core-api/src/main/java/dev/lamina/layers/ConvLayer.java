package dev.lamina.layers;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lamina.initializers.InitializerSpec;
import dev.lamina.regularizers.RegularizerSpec;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.LayerSpec;
import java.util.List;
import java.util.Map;

/**
 * What the convolutions share: Keras's settings (one family, {@link Conv1d} and {@link Conv2d}
 * differ only in their rank), and everything done with them: the output shape, the block, the
 * config written to files. Each record only checks its settings and names its type.
 */
public sealed interface ConvLayer extends LayerSpec permits Conv1d, Conv2d {
    /** The number of kernels (output channels). */
    int filters();

    /** The kernel's size on each spatial axis. */
    List<Integer> kernelSize();

    /** The step on each spatial axis. */
    List<Integer> strides();

    /** {@code valid} or {@code same}. */
    String padding();

    /** The spacing of the kernel's taps on each axis. */
    List<Integer> dilationRate();

    /** Applied to the output. */
    Activation activation();

    /** Whether a bias is added. */
    boolean useBias();

    /** Fills the kernel. */
    InitializerSpec kernelInitializer();

    /** Fills the bias. */
    InitializerSpec biasInitializer();

    /** The kernel's penalty, or null. */
    RegularizerSpec kernelRegularizer();

    /** The bias's penalty, or null. */
    RegularizerSpec biasRegularizer();

    /** The number of spatial axes. */
    default int rank() {
        return kernelSize().size();
    }

    @Override
    default Shape outputShape(Shape in) {
        Spatial.requireRank(in, rank(), rank() == 1 ? "(channels, length)"
                : "(channels, height, width)");
        return Spatial.outputShape(type(), in, filters(), kernelSize(), strides(), dilationRate(),
                padding().equals("same"));
    }

    @Override
    default Block toBlock(BuildContext ctx, Shape input) {
        outputShape(input);
        return Convolutions.block(ctx, input, rank(), filters(), kernelSize(), strides(), padding(),
                dilationRate(), activation(), useBias(), kernelInitializer(), biasInitializer(),
                kernelRegularizer(), biasRegularizer());
    }

    @Override
    default Map<String, Object> config() {
        return Convolutions.config(filters(), kernelSize(), strides(), padding(), dilationRate(),
                activation(), useBias(), kernelInitializer(), biasInitializer(),
                kernelRegularizer(), biasRegularizer());
    }
}
