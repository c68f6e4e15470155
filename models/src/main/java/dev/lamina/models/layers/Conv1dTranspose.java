package dev.lamina.models.layers;

import dev.lamina.initializers.Constant;
import dev.lamina.initializers.GlorotUniform;
import dev.lamina.initializers.InitializerSpec;
import dev.lamina.layers.Activation;
import dev.lamina.regularizers.RegularizerSpec;
import dev.lamina.spec.SpecMap;
import java.util.Collections;
import java.util.List;

/**
 * 1-D transposed convolution (also called deconvolution): up-samples a sequence, the
 * gradient of {@link dev.lamina.layers.Conv1d} with respect to its input made a layer.
 *
 * <p>Input (channels, length); weight (channels, filters, kernel), the layout in which an ordinary
 * convolution's weight is (filters, channels, kernel), as PyTorch stores it; bias (filters);
 * output (filters, out_length), out_length by Keras's rule ({@link ConvTranspose}).
 *
 * <p>Keras defaults: strides 1, padding valid, no output_padding, dilation 1, no activation, a
 * bias, Glorot-uniform kernel, zero bias. Built from operations that give the same numbers on
 * both engines ({@link TransposedConvBlock}): DJL's own transposed convolutions do not.
 */
public record Conv1dTranspose(int filters, List<Integer> kernelSize, List<Integer> strides,
        String padding, List<Integer> outputPadding, List<Integer> dilationRate,
        Activation activation, boolean useBias, InitializerSpec kernelInitializer,
        InitializerSpec biasInitializer, RegularizerSpec kernelRegularizer,
        RegularizerSpec biasRegularizer) implements ConvTranspose {
    public static final String TYPE = "conv1d_transpose";
    static final int RANK = 1;

    public Conv1dTranspose {
        kernelSize = Settings.ints(TYPE, "kernel_size", kernelSize == null ? List.of() : kernelSize,
                RANK, 1, 1);
        strides = Settings.ints(TYPE, "strides", strides, RANK, 1, 1);
        padding = Settings.padding(TYPE, padding);
        outputPadding = outputPadding == null ? null
                : Settings.ints(TYPE, "output_padding", outputPadding, RANK, 0, 0);
        dilationRate = Settings.ints(TYPE, "dilation_rate", dilationRate, RANK, 1, 1);
        Settings.check(TYPE, filters, strides, outputPadding, dilationRate);
        activation = activation == null ? Activation.LINEAR : activation;
        kernelInitializer = kernelInitializer == null ? new GlorotUniform() : kernelInitializer;
        biasInitializer = biasInitializer == null ? Constant.ZEROS : biasInitializer;
    }

    /** A square kernel of side {@code kernel}, equal strides, padding and activation by name. */
    public Conv1dTranspose(int filters, int kernel, int stride, String padding, String activation) {
        this(filters, Collections.nCopies(RANK, kernel), Collections.nCopies(RANK, stride), padding,
                null, null, new Activation(activation), true, null, null, null, null);
    }

    /** A copy with {@code output_padding} {@code p} on every axis. */
    public Conv1dTranspose withOutputPadding(int p) {
        return new Conv1dTranspose(filters, kernelSize, strides, padding,
                Collections.nCopies(RANK, p), dilationRate, activation, useBias, kernelInitializer,
                biasInitializer, kernelRegularizer, biasRegularizer);
    }

    /** A copy with dilation {@code d} on every axis. */
    public Conv1dTranspose withDilation(int d) {
        return new Conv1dTranspose(filters, kernelSize, strides, padding, outputPadding,
                Collections.nCopies(RANK, d), activation, useBias, kernelInitializer,
                biasInitializer, kernelRegularizer, biasRegularizer);
    }

    /** A copy with the given initializers (null keeps the current one). */
    public Conv1dTranspose withInitializers(InitializerSpec kernel, InitializerSpec bias) {
        return new Conv1dTranspose(filters, kernelSize, strides, padding, outputPadding,
                dilationRate, activation, useBias, kernel == null ? kernelInitializer : kernel,
                bias == null ? biasInitializer : bias, kernelRegularizer, biasRegularizer);
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** Reads the settings written by {@link #config()} (Keras names; ints or lists of 1). */
    public static Conv1dTranspose fromMap(SpecMap m) {
        return ConvTranspose.read(m, RANK, Conv1dTranspose::new);
    }
}
