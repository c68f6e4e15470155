package dev.lamina.models.layers;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lamina.initializers.Constant;
import dev.lamina.initializers.GlorotUniform;
import dev.lamina.initializers.InitializerSpec;
import dev.lamina.initializers.Initializers;
import dev.lamina.layers.Activation;
import dev.lamina.layers.Dense;
import dev.lamina.regularizers.RegularizerSpec;
import dev.lamina.regularizers.Regularizers;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.Map;

/**
 * Maxout units (Goodfellow, Warde-Farley, Mirza, Courville and Bengio, 2013, "Maxout Networks"):
 * each of {@code units} outputs is the maximum of {@code pieces} affine functions of the input,
 * {@code y_u = max_p (x·W_{p,u}ᵀ + b_{p,u})}. ReLU is the case of two pieces with one fixed at
 * zero.
 *
 * <p>Input (features) or (..., features); output (units) or (..., units). The affine part is a
 * core {@link Dense} of {@code pieces·units} outputs, laid out piece-major: rows
 * {@code [p·units, (p + 1)·units)} of its weight (pieces·units, features) are piece {@code p}.
 * Parameters: {@code 01affine_01core_weight} and {@code 01affine_01core_bias}. Defaults: two
 * pieces, a bias, Glorot-uniform kernel (fans of the whole (pieces·units, features) weight), zero
 * bias.
 */
public record Maxout(int units, int pieces, boolean useBias, InitializerSpec kernelInitializer,
        InitializerSpec biasInitializer, RegularizerSpec kernelRegularizer,
        RegularizerSpec biasRegularizer) implements LayerSpec {
    public static final String TYPE = "maxout";

    public Maxout {
        if (units <= 0) {
            throw new SpecException(TYPE, "units",
                    "expected a positive integer, received units=" + units);
        }
        checkPieces(TYPE, pieces);
        kernelInitializer = kernelInitializer == null ? new GlorotUniform() : kernelInitializer;
        biasInitializer = biasInitializer == null ? Constant.ZEROS : biasInitializer;
    }

    /** {@code units} maxout units of {@code pieces} pieces, with a bias and the default initializers. */
    public Maxout(int units, int pieces) {
        this(units, pieces, true, null, null, null, null);
    }

    static void checkPieces(String type, int pieces) {
        if (pieces < 2) {
            throw new SpecException(type, "pieces", "expected at least 2 pieces (one piece is an"
                    + " affine layer: use dense), received pieces=" + pieces);
        }
    }

    /** The affine part: a linear dense layer of pieces·units outputs. */
    Dense affine() {
        return new Dense(Math.multiplyExact(units, pieces), Activation.LINEAR, useBias,
                kernelInitializer, biasInitializer, kernelRegularizer, biasRegularizer);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Shape outputShape(Shape in) {
        affine().outputShape(in);
        long[] d = in.getShape().clone();
        d[d.length - 1] = units;
        return new Shape(d);
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        outputShape(input);
        return new PieceMaxBlock("affine", affine().toBlock(ctx, input), pieces, -1);
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("units", units, "pieces", pieces, "use_bias", useBias,
                "kernel_initializer", kernelInitializer.toMap(),
                "bias_initializer", biasInitializer.toMap(),
                "kernel_regularizer", kernelRegularizer, "bias_regularizer", biasRegularizer);
    }

    /** Reads the settings written by {@link #config()}. */
    public static Maxout fromMap(SpecMap m) {
        return new Maxout(m.requireInt("units"), m.getInt("pieces", 2),
                m.getBoolean("use_bias", true),
                Initializers.parse(m.get("kernel_initializer"), null),
                Initializers.parse(m.get("bias_initializer"), null),
                Regularizers.parse(m.get("kernel_regularizer")),
                Regularizers.parse(m.get("bias_regularizer")));
    }
}
