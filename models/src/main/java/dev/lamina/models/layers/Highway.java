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
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.Map;

/**
 * Highway layers (Srivastava, Greff and Schmidhuber, 2015, "Training Very Deep Networks"): a
 * stack of {@code layers} layers, each
 * {@code y = H(x)·T(x) + x·(1 − T(x))} with {@code H(x) = activation(x·W_Hᵀ + b_H)} and the
 * transform gate {@code T(x) = sigmoid(x·W_Tᵀ + b_T)}.
 *
 * <p>The gate bias {@code b_T} starts at {@code gate_bias} (default −2, negative as the paper
 * recommends: each layer starts close to carrying its input through). Input (features) or
 * (..., features); output the same shape. Parameters per layer {@code i} (from 0):
 * {@code h<i>_weight} and {@code t<i>_weight} (features, features), {@code h<i>_bias} and
 * {@code t<i>_bias} (features); {@code 2·layers·(f² + f)} in all. Defaults: relu, gate_bias −2,
 * one layer, Glorot-uniform kernels, zero {@code b_H}.
 */
public record Highway(Activation activation, double gateBias, int layers,
        InitializerSpec kernelInitializer, InitializerSpec biasInitializer) implements LayerSpec {
    public static final String TYPE = "highway";
    static final Activation RELU = new Activation("relu");
    static final double GATE_BIAS = -2.0;

    public Highway {
        activation = activation == null ? RELU : activation;
        checkGate(TYPE, gateBias, layers);
        kernelInitializer = kernelInitializer == null ? new GlorotUniform() : kernelInitializer;
        biasInitializer = biasInitializer == null ? Constant.ZEROS : biasInitializer;
    }

    /** One layer with the defaults: relu, gate bias −2. */
    public Highway() {
        this(RELU, GATE_BIAS, 1, null, null);
    }

    /** {@code layers} layers with the given activation (by name) and gate bias. */
    public Highway(String activation, double gateBias, int layers) {
        this(new Activation(activation), gateBias, layers, null, null);
    }

    /** The checks both highway layers share. */
    static void checkGate(String type, double gateBias, int layers) {
        if (!Double.isFinite(gateBias)) {
            throw new SpecException(type, "gate_bias",
                    "expected a finite number, received gate_bias=" + gateBias);
        }
        if (layers <= 0) {
            throw new SpecException(type, "layers",
                    "expected a positive integer, received layers=" + layers);
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.dimension() < 1 || in.get(in.dimension() - 1) <= 0) {
            throw new ShapeException("expected (features) or (..., features), got " + in);
        }
        return in;
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        outputShape(input);
        return new HighwayBlock(ctx, layers, activation, gateBias, null, kernelInitializer,
                biasInitializer);
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("activation", activation.toValue(), "gate_bias", gateBias,
                "layers", layers, "kernel_initializer", kernelInitializer.toMap(),
                "bias_initializer", biasInitializer.toMap());
    }

    /** Reads the settings written by {@link #config()}. */
    public static Highway fromMap(SpecMap m) {
        return new Highway(m.has("activation") ? Activation.parse(m.get("activation")) : RELU,
                m.getDouble("gate_bias", GATE_BIAS), m.getInt("layers", 1),
                Initializers.parse(m.get("kernel_initializer"), null),
                Initializers.parse(m.get("bias_initializer"), null));
    }
}
