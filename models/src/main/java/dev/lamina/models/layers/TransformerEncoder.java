package dev.lamina.models.layers;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lamina.initializers.Constant;
import dev.lamina.initializers.GlorotUniform;
import dev.lamina.initializers.InitializerSpec;
import dev.lamina.initializers.Initializers;
import dev.lamina.layers.Activation;
import dev.lamina.layers.Dense;
import dev.lamina.layers.LayerNorm;
import dev.lamina.layers.MultiHeadAttention;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.MaskRule;
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.Map;

/**
 * One Transformer encoder layer (Vaswani et al., 2017), keras-hub's {@code TransformerEncoder}.
 * For an input x (time, features), with {@code LN} layer normalisation (epsilon
 * layer_norm_epsilon), {@code MHA} self-attention ({@code multi_head_attention} with num_heads
 * heads of key_dim = features / num_heads, rounded down, as keras-hub) and {@code D} dropout:
 * <pre>
 *   post-norm (normalize_first false, BERT):  a = LN1(x + D(MHA(x)))
 *                                             y = LN2(a + D(W2·act(W1·a + b1) + b2))
 *   pre-norm  (normalize_first true, GPT-2):  a = x + D(MHA(LN1(x)))
 *                                             y = a + D(W2·act(W1·LN2(a) + b1) + b2)
 * </pre>
 * W1 maps features to intermediate_dim, W2 back to features. {@code dropout} is used three
 * times, as keras-hub does: on the attention probabilities, after the attention, and after the
 * feed-forward network (training only).
 *
 * <p>Input and output (time, features). A key padding mask passed after the input (a (batch,
 * time) 0/1 array, see {@link MultiHeadAttention}) goes to the attention, as keras-hub's
 * {@code padding_mask}. Parameters, keras-hub's count: the attention's (query, key, value and
 * output kernels and biases, Keras's layout), the two layer norms' gamma and beta (features), the
 * two dense layers' weights (DJL layout (out, in)) and biases. keras-hub's defaults: dropout 0,
 * relu, layer_norm_epsilon 1e-5, normalize_first false, Glorot-uniform kernels, zero biases.
 * It lives in lamina-models because keras-hub, not Keras, defines it.
 */
public record TransformerEncoder(int intermediateDim, int numHeads, double dropout,
        Activation activation, double layerNormEpsilon, boolean normalizeFirst,
        InitializerSpec kernelInitializer, InitializerSpec biasInitializer) implements LayerSpec {
    public static final String TYPE = "transformer_encoder";
    static final Activation RELU = new Activation("relu");

    public TransformerEncoder {
        if (intermediateDim <= 0) {
            throw new SpecException(TYPE, "intermediate_dim",
                    "expected a positive integer, received intermediate_dim=" + intermediateDim);
        }
        if (numHeads <= 0) {
            throw new SpecException(TYPE, "num_heads",
                    "expected a positive integer, received num_heads=" + numHeads);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new SpecException(TYPE, "dropout",
                    "expected a fraction in [0, 1), received dropout=" + dropout);
        }
        if (!(layerNormEpsilon > 0)) {
            throw new SpecException(TYPE, "layer_norm_epsilon",
                    "expected a positive number, received layer_norm_epsilon=" + layerNormEpsilon);
        }
        activation = activation == null ? RELU : activation;
        kernelInitializer = kernelInitializer == null ? new GlorotUniform() : kernelInitializer;
        biasInitializer = biasInitializer == null ? Constant.ZEROS : biasInitializer;
    }

    /** keras-hub's defaults for the given sizes. */
    public TransformerEncoder(int intermediateDim, int numHeads) {
        this(intermediateDim, numHeads, 0, RELU, 1e-5, false, null, null);
    }

    /** A copy with pre-norm (or post-norm). */
    public TransformerEncoder normalizeFirst(boolean first) {
        return new TransformerEncoder(intermediateDim, numHeads, dropout, activation,
                layerNormEpsilon, first, kernelInitializer, biasInitializer);
    }

    /** A mask over time steps leaves padded steps out of the attention, and passes on. */
    @Override
    public MaskRule masking() {
        return MaskRule.TAKES_AND_PASSES;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.dimension() != 2 || in.get(0) <= 0 || in.get(1) <= 0) {
            throw new ShapeException("expected a sequence (time, features), got " + in);
        }
        if (in.get(1) < numHeads) {
            throw new ShapeException("key_dim = features / num_heads would be 0: " + in.get(1)
                    + " features, num_heads=" + numHeads + "; use at least as many features as"
                    + " heads");
        }
        return in;
    }

    /** The attention inside: num_heads heads of key_dim = features / num_heads. */
    public MultiHeadAttention attention(long features) {
        return new MultiHeadAttention(numHeads, (int) (features / numHeads), 0, dropout, true, 0,
                false, false, kernelInitializer, biasInitializer);
    }

    /** A layer norm as keras-hub's (epsilon layer_norm_epsilon, center and scale). */
    public LayerNorm layerNorm() {
        return new LayerNorm(layerNormEpsilon, true, true, null, null);
    }

    /** The feed-forward network's first dense layer. */
    public Dense intermediate() {
        return new Dense(intermediateDim, activation, true, kernelInitializer, biasInitializer,
                null, null);
    }

    /** The feed-forward network's second dense layer, back to {@code features}. */
    public Dense output(long features) {
        return new Dense((int) features, Activation.LINEAR, true, kernelInitializer,
                biasInitializer, null, null);
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        outputShape(input);
        long f = input.get(1);
        Shape hidden = new Shape(input.get(0), intermediateDim);
        return new EncoderBlock(normalizeFirst, dropout, attention(f).toBlock(ctx, input),
                layerNorm().toBlock(ctx, input), intermediate().toBlock(ctx, input),
                output(f).toBlock(ctx, hidden), layerNorm().toBlock(ctx, input), intermediateDim);
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("intermediate_dim", intermediateDim, "num_heads", numHeads,
                "dropout", dropout, "activation", activation.toValue(),
                "layer_norm_epsilon", layerNormEpsilon, "normalize_first", normalizeFirst,
                "kernel_initializer", kernelInitializer.toMap(),
                "bias_initializer", biasInitializer.toMap());
    }

    /** Reads the settings written by {@link #config()} (keras-hub names and defaults). */
    public static TransformerEncoder fromMap(SpecMap m) {
        return new TransformerEncoder(m.requireInt("intermediate_dim"), m.requireInt("num_heads"),
                m.getDouble("dropout", 0),
                m.has("activation") ? Activation.parse(m.get("activation")) : RELU,
                m.getDouble("layer_norm_epsilon", 1e-5), m.getBoolean("normalize_first", false),
                Initializers.parse(m.get("kernel_initializer"), null),
                Initializers.parse(m.get("bias_initializer"), null));
    }
}
