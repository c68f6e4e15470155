package dev.lamina.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import dev.lamina.initializers.InitializerSpec;
import dev.lamina.initializers.Initializers;
import dev.lamina.initializers.RandomUniform;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.MaskRule;
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.Map;

/**
 * Keras's {@code Embedding}: each integer id in [0, input_dim) becomes row {@code id} of a learned
 * table {@code embeddings} (input_dim, output_dim).
 *
 * <p>Input (time) per sample: ids stored as floats (datasets are float tensors), the same on every
 * engine; they are cast to int64 and looked up with DJL's {@code Embedding.embedding}. Output
 * (time, output_dim). Ids outside [0, input_dim) or with a fraction are refused on every engine
 * (MXNet alone would clip them silently). No gradient flows to the ids. Keras default: the table starts uniform in
 * [−0.05, 0.05].
 *
 * <p>With {@code mask_zero} (Keras's), id 0 is padding: the layers after see a mask over time
 * steps that leaves out the steps whose id is 0 (see {@link MaskRule}), so {@code input_dim} must
 * count the padding id too (vocabulary size + 1), as in Keras.
 */
public record Embedding(int inputDim, int outputDim, InitializerSpec embeddingsInitializer,
        boolean maskZero) implements LayerSpec {
    public static final String TYPE = "embedding";

    public Embedding {
        if (inputDim <= 0) {
            throw new SpecException(TYPE, "input_dim",
                    "expected a positive vocabulary size, received input_dim=" + inputDim);
        }
        if (outputDim <= 0) {
            throw new SpecException(TYPE, "output_dim",
                    "expected a positive integer, received output_dim=" + outputDim);
        }
        embeddingsInitializer = embeddingsInitializer == null ? new RandomUniform()
                : embeddingsInitializer;
    }

    /** Keras defaults: uniform(−0.05, 0.05) table, no mask. */
    public Embedding(int inputDim, int outputDim) {
        this(inputDim, outputDim, null, false);
    }

    /** With Keras's {@code mask_zero}: id 0 is padding, masked for the layers after. */
    public Embedding withMaskZero(boolean on) {
        return new Embedding(inputDim, outputDim, embeddingsInitializer, on);
    }

    @Override
    public MaskRule masking() {
        return maskZero ? MaskRule.MAKES : MaskRule.STOPS;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.dimension() < 1) {
            throw new ShapeException("expected (time) of ids per sample, got " + in);
        }
        return in.add(outputDim);
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        outputShape(input);
        return new Table(inputDim, outputDim, embeddingsInitializer.toDjl(ctx.random()), maskZero);
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("input_dim", inputDim, "output_dim", outputDim,
                "embeddings_initializer", embeddingsInitializer.toMap(), "mask_zero", maskZero);
    }

    /** Reads the settings written by {@link #config()} (Keras names). */
    public static Embedding fromMap(SpecMap m) {
        return new Embedding(m.requireInt("input_dim"), m.requireInt("output_dim"),
                Initializers.parse(m.get("embeddings_initializer"), null),
                m.getBoolean("mask_zero", false));
    }

    /** The lookup block, with one parameter {@code embeddings}. */
    static final class Table extends AbstractBlock {
        private final Parameter table;
        private final int outputDim;
        private final boolean maskZero;

        Table(int inputDim, int outputDim, Initializer init, boolean maskZero) {
            super((byte) 1);
            this.outputDim = outputDim;
            this.maskZero = maskZero;
            this.table = addParameter(Parameter.builder().setName("embeddings")
                    .setType(Parameter.Type.WEIGHT).optShape(new Shape(inputDim, outputDim))
                    .optInitializer(init).build());
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray ids = inputs.singletonOrThrow();
            check(ids);
            NDArray w = ps.getValue(table, ids.getDevice(), training);
            NDList out = ai.djl.nn.core.Embedding.embedding(ids.toType(DataType.INT64, false), w,
                    SparseFormat.DENSE);
            if (maskZero) { // a (batch, time) mask: 0 where the id is 0
                out.add(ids.neq(0f).toType(w.getDataType(), false)
                        .reshape(ids.getShape().get(0), -1));
            }
            return out;
        }

        /**
         * Refuses ids outside [0, input_dim) and fractions, the same on every engine (PyTorch
         * throws "index out of range in self", MXNet silently clips to the nearest row).
         */
        private void check(NDArray ids) {
            if (ids.isEmpty()) {
                return;
            }
            NDArray d = ids.toType(DataType.FLOAT64, false);
            double lo = d.min().getDouble();
            double hi = d.max().getDouble();
            double frac = d.sub(d.floor()).abs().max().getDouble();
            long n = table.getShape().get(0);
            if (lo < 0 || hi >= n) {
                throw new IllegalArgumentException(TYPE + ": expected ids in [0, " + n
                        + "), received ids from " + fmt(lo) + " to " + fmt(hi) + " with input_dim="
                        + n + "; input_dim must be the vocabulary size (the largest id + 1)");
            }
            if (frac > 0) {
                throw new IllegalArgumentException(TYPE + ": expected whole-number ids, received "
                        + "a fraction (input_dim=" + n + ")");
            }
        }

        private static String fmt(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] in) {
            Shape out = in[0].add(outputDim);
            return maskZero ? new Shape[] {out, new Shape(in[0].get(0), in[0].size() / in[0].get(0))}
                    : new Shape[] {out};
        }
    }
}
