package dev.lamina.models.layers;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lamina.initializers.Constant;
import dev.lamina.initializers.GlorotUniform;
import dev.lamina.initializers.InitializerSpec;
import dev.lamina.initializers.Initializers;
import dev.lamina.layers.Activation;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.List;
import java.util.Map;

/**
 * Convolutional highway layers: {@link Highway} with both affine maps replaced by 2-D
 * convolutions from {@code channels} to {@code channels}, stride 1 and padding {@code same}, so
 * that H, T and the carried input have one shape: {@code y = H(x)·T(x) + x·(1 − T(x))}.
 *
 * <p>Padding is always {@code same} (the gate mixes input and output element by element); the
 * kernel must be odd on each axis so that the padding is symmetric, {@code (k − 1) / 2} on each
 * side. Input (channels, height, width); output the same shape. Parameters per layer {@code i}:
 * {@code h<i>_weight} and {@code t<i>_weight} (channels, channels, kh, kw), {@code h<i>_bias}
 * and {@code t<i>_bias} (channels). Defaults: kernel 3, relu, gate_bias −2, one layer,
 * Glorot-uniform kernels, zero {@code b_H}.
 */
public record HighwayConv2d(List<Integer> kernelSize, Activation activation, double gateBias,
        int layers, InitializerSpec kernelInitializer, InitializerSpec biasInitializer)
        implements LayerSpec {
    public static final String TYPE = "highway_conv2d";
    static final String SHAPE = "(channels, height, width)";

    public HighwayConv2d {
        kernelSize = kernelSize == null ? List.of(3, 3) : kernelSize;
        if (kernelSize.size() != 2 || kernelSize.stream().anyMatch(k -> k == null || k <= 0
                || k % 2 == 0)) {
            throw new SpecException(TYPE, "kernel_size", "expected 2 positive odd integers (padding"
                    + " 'same' must be symmetric), received kernel_size=" + kernelSize);
        }
        kernelSize = List.copyOf(kernelSize);
        activation = activation == null ? Highway.RELU : activation;
        Highway.checkGate(TYPE, gateBias, layers);
        kernelInitializer = kernelInitializer == null ? new GlorotUniform() : kernelInitializer;
        biasInitializer = biasInitializer == null ? Constant.ZEROS : biasInitializer;
    }

    /** One layer with the defaults: 3×3, relu, gate bias −2. */
    public HighwayConv2d() {
        this(null, null, Highway.GATE_BIAS, 1, null, null);
    }

    /** A square {@code kernel}, activation by name, gate bias and number of layers. */
    public HighwayConv2d(int kernel, String activation, double gateBias, int layers) {
        this(List.of(kernel, kernel), new Activation(activation), gateBias, layers, null, null);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Shape outputShape(Shape in) {
        ModelShapes.requireImage(in);
        return in;
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        outputShape(input);
        return new HighwayBlock(ctx, layers, activation, gateBias, kernelSize, kernelInitializer,
                biasInitializer);
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("kernel_size", kernelSize, "padding", "same",
                "activation", activation.toValue(), "gate_bias", gateBias, "layers", layers,
                "kernel_initializer", kernelInitializer.toMap(),
                "bias_initializer", biasInitializer.toMap());
    }

    /** Reads the settings written by {@link #config()}; {@code padding} may only be {@code same}. */
    public static HighwayConv2d fromMap(SpecMap m) {
        String padding = m.getString("padding", "same");
        if (!padding.equals("same")) {
            throw new SpecException(TYPE, "padding", "expected 'same' (the gate mixes input and"
                    + " output, which must have one shape), received padding='" + padding + "'");
        }
        int[] k = m.getInts("kernel_size", 2, new int[] {3, 3});
        return new HighwayConv2d(List.of(k[0], k[1]),
                m.has("activation") ? Activation.parse(m.get("activation")) : Highway.RELU,
                m.getDouble("gate_bias", Highway.GATE_BIAS), m.getInt("layers", 1),
                Initializers.parse(m.get("kernel_initializer"), null),
                Initializers.parse(m.get("bias_initializer"), null));
    }
}
