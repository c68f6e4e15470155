package dev.lamina.models.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.lamina.initializers.GlorotUniform;
import dev.lamina.initializers.InitializerSpec;
import dev.lamina.initializers.Initializers;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.MaskRule;
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.Map;

/**
 * Learned position embeddings (keras-hub's {@code PositionEmbedding}): a trainable table
 * {@code embeddings} (sequence_length, features); for an input x (T, features) with
 * T ≤ sequence_length the output is {@code y[t] = x[t] + embeddings[t]}.
 *
 * <p>keras-hub returns the positions alone (broadcast to the input's shape) and its users add
 * them ({@code x + PositionEmbedding(...)(x)}); Lamina adds them, so the layer works inside a
 * {@code Sequential}. Input and output (time, features); an input longer than sequence_length is
 * refused. Parameters: {@code embeddings} (sequence_length, features), keras-hub's layout and count.
 * keras-hub's defaults: Glorot-uniform (fans as Keras's: fan_in sequence_length, fan_out features).
 */
public record PositionEmbedding(int sequenceLength, InitializerSpec initializer)
        implements LayerSpec {
    public static final String TYPE = "position_embedding";

    public PositionEmbedding {
        if (sequenceLength <= 0) {
            throw new SpecException(TYPE, "sequence_length",
                    "expected a positive integer, received sequence_length=" + sequenceLength);
        }
        initializer = initializer == null ? new GlorotUniform() : initializer;
    }

    /** keras-hub's default initializer. */
    public PositionEmbedding(int sequenceLength) {
        this(sequenceLength, null);
    }

    /** The mask over time steps passes on. */
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
        if (in.dimension() != 2 || in.get(0) <= 0 || in.get(1) <= 0) {
            throw new ShapeException("expected a sequence (time, features), got " + in);
        }
        if (in.get(0) > sequenceLength) {
            throw new ShapeException("an input of " + in.get(0) + " steps is longer than"
                    + " sequence_length=" + sequenceLength + ": set sequence_length to at least "
                    + in.get(0));
        }
        return in;
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        outputShape(input);
        return new PositionBlock(sequenceLength, input.get(1),
                initializer.toDjlKerasLayout(ctx.random()));
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("sequence_length", sequenceLength, "initializer", initializer.toMap());
    }

    /** Reads the settings written by {@link #config()} (keras-hub names and defaults). */
    public static PositionEmbedding fromMap(SpecMap m) {
        return new PositionEmbedding(m.requireInt("sequence_length"),
                Initializers.parse(m.get("initializer"), null));
    }

    /** x + embeddings[0:T]. */
    static final class PositionBlock extends AbstractBlock {
        private final long length;
        private final Parameter embeddings;

        PositionBlock(long length, long features, ai.djl.training.initializer.Initializer init) {
            super((byte) 1);
            this.length = length;
            embeddings = addParameter(Parameter.builder().setName("embeddings")
                    .setType(Parameter.Type.WEIGHT).optShape(new Shape(length, features))
                    .optInitializer(init).build());
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray x = inputs.head(); // a mask after the input passes by untouched
            long t = x.getShape().get(1);
            if (t > length) {
                throw new IllegalArgumentException("'" + TYPE + "': an input of " + t
                        + " steps is longer than sequence_length=" + length);
            }
            NDArray e = ps.getValue(embeddings, x.getDevice(), training);
            return new NDList(x.add(t == length ? e : e.get(new NDIndex("0:" + t))));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0]};
        }
    }
}
