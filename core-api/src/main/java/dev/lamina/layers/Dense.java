package dev.lamina.layers;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import dev.lamina.initializers.Constant;
import dev.lamina.initializers.GlorotUniform;
import dev.lamina.initializers.InitializerSpec;
import dev.lamina.initializers.Initializers;
import dev.lamina.regularizers.RegularizerSpec;
import dev.lamina.regularizers.Regularizers;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.MaskRule;
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.HashMap;
import java.util.Map;

/**
 * Fully connected layer: {@code y = activation(x·Wᵀ + b)} over the last axis.
 *
 * <p>Input (batch, ..., in); weight (units, in) as DJL stores it; bias (units); output
 * (batch, ..., units). Keras defaults: no activation, a bias, Glorot-uniform kernel, zero bias.
 */
public record Dense(int units, Activation activation, boolean useBias,
        InitializerSpec kernelInitializer, InitializerSpec biasInitializer,
        RegularizerSpec kernelRegularizer, RegularizerSpec biasRegularizer) implements LayerSpec {
    public static final String TYPE = "dense";

    public Dense {
        if (units <= 0) {
            throw new SpecException(TYPE, "units",
                    "expected a positive integer, received units=" + units);
        }
        activation = activation == null ? Activation.LINEAR : activation;
        kernelInitializer = kernelInitializer == null ? new GlorotUniform() : kernelInitializer;
        biasInitializer = biasInitializer == null ? Constant.ZEROS : biasInitializer;
    }

    /** Keras defaults: linear, with a bias. */
    public Dense(int units) {
        this(units, Activation.LINEAR, true, null, null, null, null);
    }

    /** With an activation by name, such as {@code "relu"}. */
    public Dense(int units, String activation) {
        this(units, new Activation(activation), true, null, null, null, null);
    }

    /** A copy with a kernel regularizer. */
    public Dense withKernelRegularizer(RegularizerSpec r) {
        return new Dense(units, activation, useBias, kernelInitializer, biasInitializer, r,
                biasRegularizer);
    }

    /** A copy with a kernel initializer. */
    public Dense withKernelInitializer(InitializerSpec init) {
        return new Dense(units, activation, useBias, init, biasInitializer, kernelRegularizer,
                biasRegularizer);
    }

    /** The mask over time steps passes on (the layer acts on each step alone), as in Keras. */
    @Override
    public MaskRule masking() {
        return MaskRule.PASSES;
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
        long[] dims = in.getShape().clone(); // Shape hands out its own array
        dims[dims.length - 1] = units;
        return new Shape(dims);
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        Linear linear = Linear.builder().setUnits(units).optBias(useBias).build();
        linear.setInitializer(kernelInitializer.toDjl(ctx.random()), Parameter.Type.WEIGHT);
        if (useBias) {
            linear.setInitializer(biasInitializer.toDjl(ctx.random()), Parameter.Type.BIAS);
        }
        Map<String, RegularizerSpec> regs = new HashMap<>();
        regs.put("weight", kernelRegularizer);
        regs.put("bias", useBias ? biasRegularizer : null);
        return new LayerBlock(linear, activation, regs);
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("units", units, "activation", activation.toValue(), "use_bias", useBias,
                "kernel_initializer", kernelInitializer.toMap(),
                "bias_initializer", biasInitializer.toMap(),
                "kernel_regularizer", kernelRegularizer, "bias_regularizer", biasRegularizer);
    }

    /** Reads the settings written by {@link #config()} (Keras names). */
    public static Dense fromMap(SpecMap m) {
        return new Dense(m.requireInt("units"), Activation.parse(m.get("activation")),
                m.getBoolean("use_bias", true),
                Initializers.parse(m.get("kernel_initializer"), null),
                Initializers.parse(m.get("bias_initializer"), null),
                Regularizers.parse(m.get("kernel_regularizer")),
                Regularizers.parse(m.get("bias_regularizer")));
    }
}
