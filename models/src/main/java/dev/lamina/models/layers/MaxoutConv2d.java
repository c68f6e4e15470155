package dev.lamina.models.layers;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lamina.initializers.Constant;
import dev.lamina.initializers.GlorotUniform;
import dev.lamina.initializers.InitializerSpec;
import dev.lamina.initializers.Initializers;
import dev.lamina.layers.Activation;
import dev.lamina.layers.Conv2d;
import dev.lamina.regularizers.RegularizerSpec;
import dev.lamina.regularizers.Regularizers;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.List;
import java.util.Map;

/**
 * Convolutional maxout (Goodfellow et al., 2013): a convolution with {@code filters·pieces}
 * output channels, then at each position the maximum over the {@code pieces} channels of each
 * filter.
 *
 * <p>Input (channels, height, width); output (filters, out_height, out_width), with the sizes of
 * a core {@link Conv2d} of the same kernel, strides and padding ({@code valid} or Keras's
 * {@code same}). Channels are piece-major: channel {@code p·filters + f} of the convolution is
 * piece {@code p} of filter {@code f}. Parameters: {@code 01conv_01core_weight}
 * (filters·pieces, channels, kh, kw) and {@code 01conv_01core_bias}. Defaults: two pieces,
 * strides 1, padding valid, a bias, Glorot-uniform kernel, zero bias.
 */
public record MaxoutConv2d(int filters, int pieces, List<Integer> kernelSize,
        List<Integer> strides, String padding, boolean useBias, InitializerSpec kernelInitializer,
        InitializerSpec biasInitializer, RegularizerSpec kernelRegularizer,
        RegularizerSpec biasRegularizer) implements LayerSpec {
    public static final String TYPE = "maxout_conv2d";

    public MaxoutConv2d {
        if (filters <= 0) {
            throw new SpecException(TYPE, "filters",
                    "expected a positive integer, received filters=" + filters);
        }
        Maxout.checkPieces(TYPE, pieces);
        kernelInitializer = kernelInitializer == null ? new GlorotUniform() : kernelInitializer;
        biasInitializer = biasInitializer == null ? Constant.ZEROS : biasInitializer;
        // the core convolution checks kernel, strides and padding; its messages name this layer
        Conv2d conv;
        try {
            conv = new Conv2d(Math.multiplyExact(filters, pieces), kernelSize, strides, padding,
                    null, Activation.LINEAR, useBias, kernelInitializer, biasInitializer,
                    kernelRegularizer, biasRegularizer);
        } catch (SpecException e) {
            throw new SpecException(TYPE, e.setting(), e.detail());
        }
        kernelSize = conv.kernelSize();
        strides = conv.strides();
        padding = conv.padding();
    }

    /** Square kernel, equal strides, padding by name; a bias and the default initializers. */
    public MaxoutConv2d(int filters, int pieces, int kernel, int stride, String padding) {
        this(filters, pieces, List.of(kernel, kernel), List.of(stride, stride), padding, true,
                null, null, null, null);
    }

    /** The affine part: a linear convolution of filters·pieces channels. */
    Conv2d conv() {
        return new Conv2d(filters * pieces, kernelSize, strides, padding, null, Activation.LINEAR,
                useBias, kernelInitializer, biasInitializer, kernelRegularizer, biasRegularizer);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Shape outputShape(Shape in) {
        ModelShapes.requireImage(in);
        long[] d = conv().outputShape(in).getShape().clone();
        d[0] = filters;
        return new Shape(d);
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        outputShape(input);
        return new PieceMaxBlock("conv", conv().toBlock(ctx, input), pieces, 1);
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("filters", filters, "pieces", pieces, "kernel_size", kernelSize,
                "strides", strides, "padding", padding, "use_bias", useBias,
                "kernel_initializer", kernelInitializer.toMap(),
                "bias_initializer", biasInitializer.toMap(),
                "kernel_regularizer", kernelRegularizer, "bias_regularizer", biasRegularizer);
    }

    /** Reads the settings written by {@link #config()} (ints or lists of 2). */
    public static MaxoutConv2d fromMap(SpecMap m) {
        int[] k = SpecMap.ints(m.require("kernel_size"), 2);
        int[] s = m.getInts("strides", 2, new int[] {1, 1});
        return new MaxoutConv2d(m.requireInt("filters"), m.getInt("pieces", 2),
                List.of(k[0], k[1]), List.of(s[0], s[1]), m.getString("padding", "valid"),
                m.getBoolean("use_bias", true),
                Initializers.parse(m.get("kernel_initializer"), null),
                Initializers.parse(m.get("bias_initializer"), null),
                Regularizers.parse(m.get("kernel_regularizer")),
                Regularizers.parse(m.get("bias_regularizer")));
    }
}
