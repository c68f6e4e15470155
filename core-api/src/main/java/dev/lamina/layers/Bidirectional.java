package dev.lamina.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.lamina.engine.Constants;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.LayerTypes;
import dev.lamina.spec.MaskRule;
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Keras's {@code Bidirectional} wrapper, as Keras users write it: {@code bidirectional: {layer:
 * {lstm: {units: 8}}, merge_mode: concat}}. A second, separate set of weights reads the
 * time-reversed sequence, and its outputs (reversed back) are joined with the forward ones by
 * {@code merge_mode}: {@code concat} (Keras's default: forward then backward on the feature
 * axis), {@code sum}, {@code mul}, {@code ave}, or {@code none} (Keras's {@code None}: the two as
 * separate outputs, forward first). With {@code return_state} on the layer, the final states follow:
 * the forward ones, then the backward ones; initial states are given the same way, as further
 * inputs. Masked steps of output sequences are zero, as Keras's.
 *
 * <p>{@code backward_layer} (Keras's) gives the backward direction a layer of its own, which must
 * read backwards ({@code go_backwards: true}) and return what the forward one returns; otherwise
 * the backward direction is a copy of {@code layer}.
 *
 * <p>Input (batch, time, features) per engine alike; output (2·units) or (time, 2·units) per sample
 * with {@code concat}, (units) or (time, units) with the others.
 */
public record Bidirectional(LayerSpec layer, MergeMode mergeMode, LayerSpec backwardLayer)
        implements LayerSpec {
    public static final String TYPE = "bidirectional";

    /** How the two directions' outputs are joined (Keras's {@code merge_mode}). */
    public enum MergeMode {
        CONCAT, SUM, MUL, AVE, NONE;

        /** The YAML name: {@code concat}, ..., {@code none}. */
        public String yaml() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Bidirectional {
        if (!(layer instanceof RecurrentLayer)) {
            throw new SpecException(TYPE, "layer", "expected a simple_rnn, lstm or gru layer,"
                    + " received layer=" + (layer == null ? null : layer.type()));
        }
        RecurrentLayer.Settings f = ((RecurrentLayer) layer).settings();
        if (f.bidirectional() || f.goBackwards()) {
            throw new SpecException(TYPE, "layer", "expected a layer reading forwards in one"
                    + " direction; remove bidirectional and go_backwards from it");
        }
        mergeMode = mergeMode == null ? MergeMode.CONCAT : mergeMode;
        if (backwardLayer != null) {
            if (!(backwardLayer instanceof RecurrentLayer back)) {
                throw new SpecException(TYPE, "backward_layer", "expected a simple_rnn, lstm or"
                        + " gru layer, received backward_layer=" + backwardLayer.type());
            }
            RecurrentLayer.Settings b = back.settings();
            if (!b.goBackwards() || b.bidirectional()) {
                throw new SpecException(TYPE, "backward_layer", "expected go_backwards: true on"
                        + " the backward layer (Keras's rule: the two layers read in opposite"
                        + " directions)");
            }
            if (b.returnSequences() != f.returnSequences() || b.returnState() != f.returnState()
                    || b.layers() != 1 || f.layers() != 1
                    || back.cell().states != ((RecurrentLayer) layer).cell().states) {
                throw new SpecException(TYPE, "backward_layer", "expected the same kind of layer"
                        + " as layer (return_sequences, return_state, one layer, the same states)");
            }
            if (mergeMode != MergeMode.CONCAT && mergeMode != MergeMode.NONE
                    && b.units() != f.units()) {
                throw new SpecException(TYPE, "merge_mode", "merge_mode " + mergeMode.yaml()
                        + " needs the same units in both layers, got " + f.units() + " and "
                        + b.units() + "; use concat or none");
            }
        }
    }

    /** Keras's defaults: concatenated, the backward layer a copy of {@code layer}. */
    public Bidirectional(LayerSpec layer) {
        this(layer, MergeMode.CONCAT, null);
    }

    /** With a merge mode. */
    public Bidirectional(LayerSpec layer, MergeMode mergeMode) {
        this(layer, mergeMode, null);
    }

    private RecurrentLayer forward() {
        return (RecurrentLayer) layer;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public MaskRule masking() {
        return layer.masking();
    }

    @Override
    public Shape outputShape(Shape input) {
        List<Shape> out = outputShapes(List.of(input));
        if (out.size() != 1) {
            throw new ShapeException("gives " + out.size() + " outputs (merge_mode none or"
                    + " return_state): use it in a functional model and pick them with"
                    + " node.output(i)");
        }
        return out.get(0);
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        int outputs = mergeMode == MergeMode.NONE ? 2 : 1;
        if (backwardLayer == null) {
            RecurrentLayer both = forward().bidirectional();
            List<Shape> out = both.settings().outputShapes(inputs, both.cell().states, outputs);
            if (mergeMode != MergeMode.CONCAT && mergeMode != MergeMode.NONE) {
                Shape s = out.get(0);
                out.set(0, s.slice(0, s.dimension() - 1).add(forward().settings().units()));
            }
            return out;
        }
        RecurrentLayer back = (RecurrentLayer) backwardLayer;
        int states = forward().cell().states;
        List<Shape> x = List.of(inputs.get(0));
        if (inputs.size() > 1 && inputs.size() != 1 + 2 * states) {
            throw new ShapeException("expected " + 2 * states + " initial states after the"
                    + " sequence (forward then backward), got " + (inputs.size() - 1));
        }
        List<Shape> f = forward().outputShapes(inputs.size() > 1
                ? concat(x, inputs.subList(1, 1 + states)) : x);
        List<Shape> b = back.outputShapes(inputs.size() > 1
                ? concat(x, inputs.subList(1 + states, 1 + 2 * states)) : x);
        List<Shape> out = new ArrayList<>();
        if (mergeMode == MergeMode.NONE) {
            out.add(f.get(0));
            out.add(b.get(0));
        } else {
            Shape s = f.get(0);
            long width = mergeMode == MergeMode.CONCAT
                    ? s.get(s.dimension() - 1) + b.get(0).get(s.dimension() - 1)
                    : s.get(s.dimension() - 1);
            out.add(s.slice(0, s.dimension() - 1).add(width));
        }
        out.addAll(f.subList(1, f.size()));
        out.addAll(b.subList(1, b.size()));
        return out;
    }

    private static List<Shape> concat(List<Shape> a, List<Shape> b) {
        List<Shape> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        return toBlock(ctx, List.of(input));
    }

    @Override
    public Block toBlock(BuildContext ctx, List<Shape> inputs) {
        outputShapes(inputs);
        if (backwardLayer == null) {
            RecurrentLayer both = forward().bidirectional();
            return both.block(ctx, inputs, mergeMode, both.biasInitializer(ctx));
        }
        RecurrentLayer back = (RecurrentLayer) backwardLayer;
        int states = forward().cell().states;
        int given = inputs.size() > 1 ? states : 0;
        List<Shape> in = new ArrayList<>(List.of(inputs.get(0)));
        for (int i = 0; i < given; i++) {
            in.add(new Shape(forward().settings().units()));
        }
        RnnBlock f = forward().block(ctx, in, MergeMode.CONCAT, forward().biasInitializer(ctx));
        List<Shape> inBack = new ArrayList<>(List.of(inputs.get(0)));
        for (int i = 0; i < given; i++) {
            inBack.add(new Shape(back.settings().units()));
        }
        RnnBlock b = back.block(ctx, inBack, MergeMode.CONCAT, back.biasInitializer(ctx));
        boolean seqs = forward().settings().returnSequences();
        return new Pair(f.zeroMaskedOutputs(seqs), b.zeroMaskedOutputs(seqs), mergeMode, given,
                seqs);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>(Spec.ordered("layer", layer.toMap(),
                "merge_mode", mergeMode.yaml()));
        if (backwardLayer != null) {
            c.put("backward_layer", backwardLayer.toMap());
        }
        return c;
    }

    /** Reads {@code layer} (a nested layer spec), {@code merge_mode}, {@code backward_layer}. */
    public static Bidirectional fromMap(SpecMap m) {
        String mode = m.getChoice("merge_mode", "concat", "concat", "sum", "mul", "ave", "none");
        return new Bidirectional(LayerTypes.parse(m.require("layer")),
                MergeMode.valueOf(mode.toUpperCase(Locale.ROOT)),
                m.has("backward_layer") ? LayerTypes.parse(m.get("backward_layer")) : null);
    }

    /** A forward and a backward layer of their own, joined. */
    private static final class Pair extends AbstractBlock {
        private final RnnBlock forward;
        private final RnnBlock backward;
        private final MergeMode merge;
        private final int states;
        private final boolean sequences;

        Pair(RnnBlock forward, RnnBlock backward, MergeMode merge, int states,
                boolean sequences) {
            super((byte) 1);
            this.forward = addChildBlock("forward", forward);
            this.backward = addChildBlock("backward", backward);
            this.merge = merge;
            this.states = states;
            this.sequences = sequences;
        }

        private NDList part(NDList in, int direction) {
            NDList p = new NDList(in.get(0));
            for (int i = 0; i < states; i++) {
                p.add(in.get(1 + direction * states + i));
            }
            if (in.size() > 1 + 2 * states) {
                p.add(in.get(in.size() - 1));
            }
            return p;
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training,
                PairList<String, Object> params) {
            NDList f = forward.forward(ps, part(in, 0), training, params);
            NDList b = backward.forward(ps, part(in, 1), training, params);
            NDArray bOut = sequences ? b.get(0).flip(1) : b.get(0); // back in time order
            NDList out = new NDList();
            NDArray a = f.get(0);
            switch (merge) {
                case CONCAT -> out.add(NDArrays.concat(new NDList(a, bOut),
                        a.getShape().dimension() - 1));
                case SUM -> out.add(a.add(bOut));
                case MUL -> out.add(a.mul(bOut));
                case AVE -> out.add(Constants.over(a.add(bOut), 2f));
                case NONE -> out.addAll(new NDList(a, bOut));
            }
            out.addAll(f.subNDList(1));
            out.addAll(b.subNDList(1));
            return out;
        }

        @Override
        public Shape[] getOutputShapes(Shape[] in) {
            Shape[] f = forward.getOutputShapes(part(in, 0));
            Shape[] b = backward.getOutputShapes(part(in, 1));
            List<Shape> out = new ArrayList<>();
            Shape s = f[0];
            int last = s.dimension() - 1;
            switch (merge) {
                case CONCAT -> out.add(s.slice(0, last).add(s.get(last) + b[0].get(last)));
                case NONE -> out.addAll(List.of(s, b[0]));
                default -> out.add(s);
            }
            out.addAll(Arrays.asList(f).subList(1, f.length));
            out.addAll(Arrays.asList(b).subList(1, b.length));
            return out.toArray(Shape[]::new);
        }

        private Shape[] part(Shape[] in, int direction) {
            List<Shape> p = new ArrayList<>(List.of(in[0]));
            for (int i = 0; i < states; i++) {
                p.add(in[1 + direction * states + i]);
            }
            return p.toArray(Shape[]::new);
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType type, Shape... in) {
            forward.initialize(manager, type, part(in, 0));
            backward.initialize(manager, type, part(in, 1));
        }
    }
}
