package dev.lamina.layers;

import dev.lamina.initializers.Constant;
import dev.lamina.initializers.GlorotUniform;
import dev.lamina.initializers.InitializerSpec;
import dev.lamina.regularizers.RegularizerSpec;
import dev.lamina.spec.SpecMap;
import java.util.List;

/**
 * 1-D convolution over a sequence: each of {@code filters} kernels slides along the length.
 *
 * <p>Input (channels, length); weight (filters, channels, kernel) as DJL stores it; bias (filters);
 * output (filters, out_length). Per axis, {@code valid}: out = floor((in − (k − 1)·dilation − 1) /
 * stride) + 1; {@code same}: out = ceil(in / stride), zero padding split as Keras does (the extra
 * zero at the end). Keras defaults: strides 1, padding valid, dilation 1, no activation, a bias,
 * Glorot-uniform kernel, zero bias.
 */
public record Conv1d(int filters, List<Integer> kernelSize, List<Integer> strides, String padding,
        List<Integer> dilationRate, Activation activation, boolean useBias,
        InitializerSpec kernelInitializer, InitializerSpec biasInitializer,
        RegularizerSpec kernelRegularizer, RegularizerSpec biasRegularizer) implements ConvLayer {
    public static final String TYPE = "conv1d";
    static final int RANK = 1;

    public Conv1d {
        kernelSize = Spatial.positive(TYPE, "kernel_size", kernelSize, RANK);
        strides = Spatial.positive(TYPE, "strides",
                strides == null ? Spatial.repeat(1, RANK) : strides, RANK);
        padding = Spatial.padding(TYPE, padding == null ? "valid" : padding);
        dilationRate = Spatial.positive(TYPE, "dilation_rate",
                dilationRate == null ? Spatial.repeat(1, RANK) : dilationRate, RANK);
        Convolutions.check(TYPE, RANK, filters, kernelSize, strides, dilationRate);
        activation = activation == null ? Activation.LINEAR : activation;
        kernelInitializer = kernelInitializer == null ? new GlorotUniform() : kernelInitializer;
        biasInitializer = biasInitializer == null ? Constant.ZEROS : biasInitializer;
    }

    /** Keras defaults with a square kernel of side {@code kernel}. */
    public Conv1d(int filters, int kernel) {
        this(filters, Spatial.repeat(kernel, RANK), null, null, null, null, true, null, null, null,
                null);
    }

    /** Square kernel, equal strides, padding and activation by name. */
    public Conv1d(int filters, int kernel, int stride, String padding, String activation) {
        this(filters, Spatial.repeat(kernel, RANK), Spatial.repeat(stride, RANK), padding, null,
                new Activation(activation), true, null, null, null, null);
    }

    /** A copy with dilation {@code d} on every axis. */
    public Conv1d withDilation(int d) {
        return new Conv1d(filters, kernelSize, strides, padding, Spatial.repeat(d, RANK),
                activation, useBias, kernelInitializer, biasInitializer, kernelRegularizer, biasRegularizer);
    }

    /** A copy with the given initializers (null keeps the current one). */
    public Conv1d withInitializers(InitializerSpec kernel, InitializerSpec bias) {
        return new Conv1d(filters, kernelSize, strides, padding, dilationRate, activation, useBias,
                kernel == null ? kernelInitializer : kernel, bias == null ? biasInitializer : bias,
                kernelRegularizer, biasRegularizer);
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** Reads the settings written by {@link #config()} (Keras names; ints or lists of 1). */
    public static Conv1d fromMap(SpecMap m) {
        return Convolutions.read(m, RANK, Conv1d::new);
    }
}
