package dev.lamina.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.lamina.engine.Constants;
import dev.lamina.initializers.Constant;
import dev.lamina.initializers.GlorotUniform;
import dev.lamina.initializers.InitializerSpec;
import dev.lamina.initializers.Initializers;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.MaskRule;
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.List;
import java.util.Map;

/**
 * Multi-head attention (Vaswani et al., 2017), Keras's {@code MultiHeadAttention}. For each head
 * {@code h}: {@code Q_h = query·Wq_h + bq_h}, {@code K_h = key·Wk_h + bk_h},
 * {@code V_h = value·Wv_h + bv_h}, then
 * {@code A_h = softmax(Q_h·K_hᵀ / sqrt(key_dim) + (1 − M)·(−10⁹))} over the key steps,
 * {@code dropout(A_h)} (training only, on the attention probabilities), {@code O_h = A_h·V_h}, and
 * the output {@code Σ_h O_h·Wo_h + bo}. {@code M} is the 0/1 mask (1 = attend) when there is one;
 * the −10⁹ adder is Keras's.
 *
 * <p>Inputs are sequences (time, features). In a {@code Sequential} (one input) it is
 * self-attention: query, value and key are the input. In a functional model it is applied as
 * {@code on(query, value)} (key = value) or {@code on(query, value, key)}: query (T, Fq), value
 * (S, Fv), key (S, Fk). Output (T, output_shape), output_shape defaulting to Fq.
 *
 * <p>Masks, all 0/1 (any non-zero counts as 1) and combined by AND, as Keras does:
 * <ul>
 *   <li>{@code use_causal_mask} (Keras's call argument of that name, a setting here): query step
 *       {@code i} attends to key steps {@code j ≤ i}.</li>
 *   <li>{@code attention_mask_input: true}: the layer takes one input more, last, an explicit
 *       attention mask (T, S) per sample (Keras's {@code attention_mask}, batch × T × S), e.g. a
 *       functional model's extra {@code Input}.</li>
 *   <li>A key padding mask, for mask propagation: when the block's {@code NDList} holds one array
 *       more than the inputs it was built for, that extra last array is a (batch, S) 0/1 mask of
 *       the value/key steps (Keras's {@code value_mask}); padded key steps get no attention. The
 *       rows of padded query steps are computed as any other (Keras also masks them with its
 *       query mask, which in float32 gives a uniform average there; the values of padded steps are
 *       meant to be ignored downstream either way).</li>
 * </ul>
 *
 * <p>Weights in Keras's layout and with Keras's parameter count: {@code query_kernel} (Fq, heads,
 * key_dim), {@code query_bias} (heads, key_dim), {@code key_kernel} (Fk, heads, key_dim),
 * {@code key_bias} (heads, key_dim), {@code value_kernel} (Fv, heads, value_dim),
 * {@code value_bias} (heads, value_dim), {@code output_kernel} (heads, value_dim, out),
 * {@code output_bias} (out); no biases without {@code use_bias}. Keras's initial fans for these
 * kernels (fan_in = Fq·heads, fan_out = Fq·key_dim for the query kernel) are kept. Keras defaults:
 * value_dim = key_dim, dropout 0, use_bias, output_shape the query's features, Glorot-uniform
 * kernels, zero biases, no causal mask. Keras's {@code attention_axes}, regularizers and
 * constraints are not offered.
 */
public record MultiHeadAttention(int numHeads, int keyDim, int valueDim, double dropout,
        boolean useBias, int outputShape, boolean useCausalMask, boolean attentionMaskInput,
        InitializerSpec kernelInitializer, InitializerSpec biasInitializer) implements LayerSpec {
    public static final String TYPE = "multi_head_attention";
    /** Keras's adder for masked scores (float32 and float64). */
    static final double LARGE_NEGATIVE = -1e9;

    public MultiHeadAttention {
        if (numHeads <= 0) {
            throw new SpecException(TYPE, "num_heads",
                    "expected a positive integer, received num_heads=" + numHeads);
        }
        if (keyDim <= 0) {
            throw new SpecException(TYPE, "key_dim",
                    "expected a positive integer, received key_dim=" + keyDim);
        }
        if (valueDim < 0) {
            throw new SpecException(TYPE, "value_dim", "expected a positive integer (or leave it"
                    + " out for key_dim), received value_dim=" + valueDim);
        }
        valueDim = valueDim == 0 ? keyDim : valueDim;
        if (!(dropout >= 0 && dropout < 1)) {
            throw new SpecException(TYPE, "dropout",
                    "expected a fraction in [0, 1), received dropout=" + dropout);
        }
        if (outputShape < 0) {
            throw new SpecException(TYPE, "output_shape", "expected a positive integer (or leave"
                    + " it out for the query's features), received output_shape=" + outputShape);
        }
        kernelInitializer = kernelInitializer == null ? new GlorotUniform() : kernelInitializer;
        biasInitializer = biasInitializer == null ? Constant.ZEROS : biasInitializer;
    }

    /** Keras defaults for the given heads and key size. */
    public MultiHeadAttention(int numHeads, int keyDim) {
        this(numHeads, keyDim, 0, 0, true, 0, false, false, null, null);
    }

    /** A copy with a causal mask (or without). */
    public MultiHeadAttention causal(boolean causal) {
        return new MultiHeadAttention(numHeads, keyDim, valueDim, dropout, useBias, outputShape,
                causal, attentionMaskInput, kernelInitializer, biasInitializer);
    }

    /** A copy with dropout on the attention probabilities. */
    public MultiHeadAttention withDropout(double rate) {
        return new MultiHeadAttention(numHeads, keyDim, valueDim, rate, useBias, outputShape,
                useCausalMask, attentionMaskInput, kernelInitializer, biasInitializer);
    }

    /** A copy that takes an explicit attention mask (T, S) as its last input. */
    public MultiHeadAttention withAttentionMaskInput() {
        return new MultiHeadAttention(numHeads, keyDim, valueDim, dropout, useBias, outputShape,
                useCausalMask, true, kernelInitializer, biasInitializer);
    }

    /** A mask over the value's steps leaves them out of every query's attention; the query's mask passes on. */
    @Override
    public MaskRule masking() {
        return MaskRule.TAKES_AND_PASSES;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Shape outputShape(Shape input) {
        return outputShapes(List.of(input)).get(0);
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Shape[] s = sequences(inputs);
        return List.of(new Shape(s[0].get(0), outputShape > 0 ? outputShape : s[0].get(1)));
    }

    /** Query, value, key and (or null) the attention mask's shape, checked. */
    private Shape[] sequences(List<Shape> inputs) {
        int data = inputs.size() - (attentionMaskInput ? 1 : 0);
        if (data < 1 || data > 3) {
            throw new ShapeException("'" + TYPE + "' takes query, value and key (1 to 3 inputs:"
                    + " one is self-attention)" + (attentionMaskInput ? " and then the attention"
                    + " mask (attention_mask_input: true)" : "") + ", got " + inputs.size()
                    + " inputs " + inputs);
        }
        String[] names = {"query", "value", "key"};
        for (int i = 0; i < data; i++) {
            Shape s = inputs.get(i);
            if (s.dimension() != 2 || s.get(0) <= 0 || s.get(1) <= 0) {
                throw new ShapeException("expected the " + names[i] + " as a sequence (time,"
                        + " features), got " + s);
            }
        }
        Shape query = inputs.get(0);
        Shape value = data >= 2 ? inputs.get(1) : query;
        Shape key = data == 3 ? inputs.get(2) : value;
        if (key.get(0) != value.get(0)) {
            throw new ShapeException("value and key need the same number of steps, got value "
                    + value + " and key " + key);
        }
        Shape mask = attentionMaskInput ? inputs.get(data) : null;
        if (mask != null && !mask.equals(new Shape(query.get(0), value.get(0)))) {
            throw new ShapeException("expected the attention mask (last input) as (query steps,"
                    + " value steps) = " + new Shape(query.get(0), value.get(0)) + ", got " + mask);
        }
        return new Shape[] {query, value, key, mask};
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        return toBlock(ctx, List.of(input));
    }

    @Override
    public Block toBlock(BuildContext ctx, List<Shape> inputs) {
        Shape[] s = sequences(inputs);
        long out = outputShape > 0 ? outputShape : s[0].get(1);
        return new AttentionBlock(this, ctx, inputs.size() - (attentionMaskInput ? 1 : 0),
                s[0].get(1), s[1].get(1), s[2].get(1), out);
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("num_heads", numHeads, "key_dim", keyDim, "value_dim", valueDim,
                "dropout", dropout, "use_bias", useBias,
                "output_shape", outputShape > 0 ? outputShape : null,
                "use_causal_mask", useCausalMask,
                "attention_mask_input", attentionMaskInput ? true : null,
                "kernel_initializer", kernelInitializer.toMap(),
                "bias_initializer", biasInitializer.toMap());
    }

    /** Reads the settings written by {@link #config()} (Keras names and defaults). */
    public static MultiHeadAttention fromMap(SpecMap m) {
        ConfigNode out = m.get("output_shape");
        return new MultiHeadAttention(m.requireInt("num_heads"), m.requireInt("key_dim"),
                m.getInt("value_dim", 0), m.getDouble("dropout", 0), m.getBoolean("use_bias", true),
                out == null ? 0 : SpecMap.ints(out, 1)[0],
                m.getBoolean("use_causal_mask", false),
                m.getBoolean("attention_mask_input", false),
                Initializers.parse(m.get("kernel_initializer"), null),
                Initializers.parse(m.get("bias_initializer"), null));
    }

    /** Inverted dropout in training: keep with probability 1 − rate, scale by 1 / (1 − rate). */
    static NDArray dropout(NDArray x, double rate, boolean training) {
        if (!training || rate == 0) {
            return x;
        }
        return Dropout.drop(x, x.getShape(), rate);
    }

    /** The block, from basic NDArray operations (the same numbers on both engines). */
    static final class AttentionBlock extends AbstractBlock {
        private final MultiHeadAttention spec;
        private final int dataInputs;
        private final long outFeatures;
        private final Parameter[] query;
        private final Parameter[] key;
        private final Parameter[] value;
        private final Parameter[] output;

        AttentionBlock(MultiHeadAttention spec, BuildContext ctx, int dataInputs, long fq,
                long fv, long fk, long out) {
            super((byte) 1);
            this.spec = spec;
            this.dataInputs = dataInputs;
            this.outFeatures = out;
            long h = spec.numHeads();
            query = projection(ctx, "query", new Shape(fq, h, spec.keyDim()),
                    new Shape(h, spec.keyDim()));
            key = projection(ctx, "key", new Shape(fk, h, spec.keyDim()),
                    new Shape(h, spec.keyDim()));
            value = projection(ctx, "value", new Shape(fv, h, spec.valueDim()),
                    new Shape(h, spec.valueDim()));
            output = projection(ctx, "output", new Shape(h, spec.valueDim(), out), new Shape(out));
        }

        private Parameter[] projection(BuildContext ctx, String name, Shape kernel, Shape bias) {
            Parameter k = addParameter(Parameter.builder().setName(name + "_kernel")
                    .setType(Parameter.Type.WEIGHT).optShape(kernel)
                    .optInitializer(spec.kernelInitializer().toDjlKerasLayout(ctx.random()))
                    .build());
            Parameter b = spec.useBias() ? addParameter(Parameter.builder()
                    .setName(name + "_bias").setType(Parameter.Type.BIAS).optShape(bias)
                    .optInitializer(spec.biasInitializer().toDjlKerasLayout(ctx.random()))
                    .build()) : null;
            return new Parameter[] {k, b};
        }

        /** x (B, T, F) · kernel (F, heads, d) + bias (heads, d) → (B, heads, T, d). */
        private NDArray heads(ParameterStore ps, NDArray x, Parameter[] p, long d,
                boolean training) {
            long b = x.getShape().get(0);
            long t = x.getShape().get(1);
            long h = spec.numHeads();
            NDArray w = ps.getValue(p[0], x.getDevice(), training);
            NDArray y = x.reshape(b * t, x.getShape().get(2)).matMul(w.reshape(-1, h * d));
            if (p[1] != null) {
                y = y.add(ps.getValue(p[1], x.getDevice(), training).reshape(h * d));
            }
            return y.reshape(b, t, h, d).transpose(0, 2, 1, 3);
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            int built = dataInputs + (spec.attentionMaskInput() ? 1 : 0);
            if (inputs.size() != built && inputs.size() != built + 1) {
                throw new IllegalArgumentException("'" + TYPE + "' was built for " + built
                        + " inputs (and an optional key padding mask after them), got "
                        + inputs.size());
            }
            NDArray q = inputs.get(0);
            NDArray v = dataInputs >= 2 ? inputs.get(1) : q;
            NDArray k = dataInputs == 3 ? inputs.get(2) : v;
            long b = q.getShape().get(0);
            long t = q.getShape().get(1);
            long s = v.getShape().get(1);
            long h = spec.numHeads();
            // Keras scales the query before the product
            NDArray qh = Constants.times(heads(ps, q, query, spec.keyDim(), training),
                    1.0 / Math.sqrt(spec.keyDim()));
            NDArray kh = heads(ps, k, key, spec.keyDim(), training).transpose(0, 1, 3, 2);
            NDArray vh = heads(ps, v, value, spec.valueDim(), training);
            NDArray scores = qh.matMul(kh); // (B, heads, T, S)
            NDArray mask = mask(inputs, built, t, s, scores);
            if (mask != null) {
                scores = scores.add(mask.neg().add(1).mul(LARGE_NEGATIVE));
            }
            NDArray probs = dropout(scores.softmax(3), spec.dropout(), training);
            NDArray o = probs.matMul(vh).transpose(0, 2, 1, 3).reshape(b * t, h * spec.valueDim());
            NDArray y = o.matMul(ps.getValue(output[0], q.getDevice(), training)
                    .reshape(h * spec.valueDim(), outFeatures));
            if (output[1] != null) {
                y = y.add(ps.getValue(output[1], q.getDevice(), training));
            }
            return new NDList(y.reshape(b, t, outFeatures));
        }

        /** The combined 0/1 mask, broadcastable to the scores (B, heads, T, S), or null. */
        private NDArray mask(NDList inputs, int built, long t, long s, NDArray scores) {
            NDArray m = null;
            if (spec.useCausalMask()) {
                float[] tri = new float[Math.toIntExact(t * s)];
                for (int i = 0; i < t; i++) {
                    for (int j = 0; j <= i && j < s; j++) {
                        tri[Math.toIntExact(i * s + j)] = 1;
                    }
                }
                m = scores.getManager().create(tri, new Shape(1, 1, t, s))
                        .toType(scores.getDataType(), false);
            }
            if (spec.attentionMaskInput()) {
                NDArray a = inputs.get(dataInputs);
                m = and(m, a.neq(0).toType(scores.getDataType(), false)
                        .reshape(a.getShape().get(0), 1, t, s));
            }
            if (inputs.size() == built + 1) {
                NDArray p = inputs.get(built);
                m = and(m, p.neq(0).toType(scores.getDataType(), false)
                        .reshape(p.getShape().get(0), 1, 1, s));
            }
            return m;
        }

        private static NDArray and(NDArray a, NDArray b) {
            return a == null ? b : a.mul(b);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            Shape q = inputShapes[0];
            return new Shape[] {new Shape(q.get(0), q.get(1), outFeatures)};
        }
    }
}
