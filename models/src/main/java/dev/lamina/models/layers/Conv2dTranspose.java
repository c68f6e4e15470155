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
 * 2-D transposed convolution (also called deconvolution): up-samples an image, the
 * gradient of {@link dev.lamina.layers.Conv2d} with respect to its input made a layer; the
 * generator's layer of a DCGAN.
 *
 * <p>Input (channels, height, width); weight (channels, filters, kernel_h, kernel_w), as PyTorch
 * stores it; bias (filters); output (filters, out_height, out_width), each size by Keras's rule
 * ({@link ConvTranspose}): for example kernel 4, strides 2, padding same doubles height and width.
 *
 * <p>Keras defaults: strides 1, padding valid, no output_padding, dilation 1, no activation, a
 * bias, Glorot-uniform kernel, zero bias. Built from operations that give the same numbers on
 * both engines ({@link TransposedConvBlock}): DJL's own transposed convolutions do not.
 */
public record Conv2dTranspose(int filters, List<Integer> kernelSize, List<Integer> strides,
        String padding, List<Integer> outputPadding, List<Integer> dilationRate,
        Activation activation, boolean useBias, InitializerSpec kernelInitializer,
        InitializerSpec biasInitializer, RegularizerSpec kernelRegularizer,
        RegularizerSpec biasRegularizer) implements ConvTranspose {
    public static final String TYPE = "conv2d_transpose";
    static final int RANK = 2;

    public Conv2dTranspose {
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
    public Conv2dTranspose(int filters, int kernel, int stride, String padding, String activation) {
        this(filters, Collections.nCopies(RANK, kernel), Collections.nCopies(RANK, stride), padding,
                null, null, new Activation(activation), true, null, null, null, null);
    }

    /** A copy with {@code output_padding} {@code p} on every axis. */
    public Conv2dTranspose withOutputPadding(int p) {
        return new Conv2dTranspose(filters, kernelSize, strides, padding,
                Collections.nCopies(RANK, p), dilationRate, activation, useBias, kernelInitializer,
                biasInitializer, kernelRegularizer, biasRegularizer);
    }

    /** A copy with dilation {@code d} on every axis. */
    public Conv2dTranspose withDilation(int d) {
        return new Conv2dTranspose(filters, kernelSize, strides, padding, outputPadding,
                Collections.nCopies(RANK, d), activation, useBias, kernelInitializer,
                biasInitializer, kernelRegularizer, biasRegularizer);
    }

    /** A copy with the given initializers (null keeps the current one). */
    public Conv2dTranspose withInitializers(InitializerSpec kernel, InitializerSpec bias) {
        return new Conv2dTranspose(filters, kernelSize, strides, padding, outputPadding,
                dilationRate, activation, useBias, kernel == null ? kernelInitializer : kernel,
                bias == null ? biasInitializer : bias, kernelRegularizer, biasRegularizer);
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** Reads the settings written by {@link #config()} (Keras names; ints or lists of 2). */
    public static Conv2dTranspose fromMap(SpecMap m) {
        return ConvTranspose.read(m, RANK, Conv2dTranspose::new);
    }
}
