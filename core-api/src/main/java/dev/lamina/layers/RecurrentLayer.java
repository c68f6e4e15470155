package dev.lamina.layers;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.initializer.Initializer;
import dev.lamina.initializers.Constant;
import dev.lamina.initializers.GlorotUniform;
import dev.lamina.initializers.InitializerSpec;
import dev.lamina.initializers.Initializers;
import dev.lamina.initializers.Orthogonal;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.MaskRule;
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What {@link SimpleRnn}, {@link Lstm} and {@link Gru} share: the settings, their checks, the
 * output shapes, the block and the config, with Keras's names and meanings.
 *
 * <p>Input (batch, time, features) on every engine (per sample (time, features)); output
 * (batch, D·units) for the last step, or (batch, time, D·units) with {@code return_sequences}, where
 * D = 2 when {@code bidirectional} (the forward outputs, then the backward ones, on the feature
 * axis) and 1 otherwise.
 *
 * <ul>
 *   <li>{@code go_backwards}: the layer reads the sequence from its last step to its first, and
 *       with {@code return_sequences} gives the outputs in that (reversed) order, as Keras's.
 *   <li>{@code return_state}: the final states follow the output as further outputs (h for
 *       {@code simple_rnn} and {@code gru}; h then c for {@code lstm}; with {@code bidirectional}
 *       the forward states, then the backward ones). A model with several outputs per layer is a
 *       functional one: pick an output with {@code node.output(i)}.
 *   <li>Initial states: give them as further inputs, as Keras's {@code initial_state}
 *       ({@code lstm.on(x, h0, c0)}), each (units) per sample; zeros otherwise.
 *   <li>{@code dropout} (Keras's): drops the layer's inputs in training, with one mask per
 *       sequence (the same features dropped at every step); {@code recurrent_dropout}: the same on
 *       the previous output h before it meets the recurrent kernel.
 *   <li>{@code layers} (Lamina's, as PyTorch's {@code num_layers}): a stack of that many layers,
 *       each reading the full sequence of the one before; {@code dropout} and
 *       {@code recurrent_dropout} apply in each, and {@code inter_layer_dropout} drops between
 *       them (PyTorch's {@code dropout}).
 *   <li>Masking: with a mask over time steps (from {@code masking} or {@code embedding} with
 *       {@code mask_zero}) a masked step leaves the states as they were; with
 *       {@code return_sequences} its output repeats the previous step's output (zeros before the
 *       first kept step), Keras's rule; in {@code bidirectional} it is zero, as Keras's
 *       {@code Bidirectional} makes it.
 * </ul>
 */
public sealed interface RecurrentLayer extends LayerSpec permits SimpleRnn, Lstm, Gru {
    /** The settings every recurrent layer takes; make them with {@link #of} and {@link Builder}. */
    record Settings(int units, Activation activation, boolean useBias, boolean returnSequences,
            boolean returnState, boolean goBackwards, boolean bidirectional, int layers,
            double dropout, double recurrentDropout, double interLayerDropout,
            InitializerSpec kernelInitializer, InitializerSpec recurrentInitializer,
            InitializerSpec biasInitializer) {
        /** Checks the values; {@code type} names the layer in the errors. */
        Settings check(String type) {
            if (units <= 0) {
                throw new SpecException(type, "units",
                        "expected a positive integer, received units=" + units);
            }
            if (layers <= 0) {
                throw new SpecException(type, "layers",
                        "expected a positive number of stacked layers, received layers=" + layers);
            }
            fraction(type, "dropout", dropout);
            fraction(type, "recurrent_dropout", recurrentDropout);
            fraction(type, "inter_layer_dropout", interLayerDropout);
            return new Settings(units, activation == null ? new Activation("tanh") : activation,
                    useBias, returnSequences, returnState, goBackwards, bidirectional, layers,
                    dropout, recurrentDropout, interLayerDropout,
                    kernelInitializer == null ? new GlorotUniform() : kernelInitializer,
                    recurrentInitializer == null ? new Orthogonal() : recurrentInitializer,
                    biasInitializer == null ? Constant.ZEROS : biasInitializer);
        }

        private static void fraction(String type, String field, double v) {
            if (!(v >= 0 && v < 1)) {
                throw new SpecException(type, field,
                        "expected a fraction in [0, 1), received " + field + "=" + v);
            }
        }

        /** Keras defaults for {@code units}: tanh, a bias, the last step only, one direction. */
        public static Settings of(int units) {
            return new Builder(units).build();
        }

        /** A builder holding these settings, to change some. */
        public Builder toBuilder() {
            return new Builder(this);
        }

        /** The number of directions: 2 when bidirectional. */
        int directions() {
            return bidirectional ? 2 : 1;
        }

        /**
         * The output shapes for input {@code in} and {@code states} state arrays per direction:
         * the output, then (with {@code return_state}) the final states.
         */
        List<Shape> outputShapes(List<Shape> in, int states, int outputs) {
            Shape x = in.get(0);
            if (x.dimension() != 2 || x.get(0) <= 0 || x.get(1) <= 0) {
                throw new ShapeException("expected (time, features) per sample, got " + x);
            }
            int given = in.size() - 1;
            if (given > 0) {
                if (layers > 1) {
                    throw new ShapeException("initial states need layers: 1; stack separate"
                            + " layers to give each its own");
                }
                if (given != states * directions()) {
                    throw new ShapeException("expected " + states * directions() + " initial"
                            + " state" + (states * directions() == 1 ? "" : "s") + " after the"
                            + " sequence (" + (states == 2 ? "h and c" : "h")
                            + (bidirectional ? ", forward then backward" : "") + "), got " + given);
                }
                for (int i = 1; i < in.size(); i++) {
                    if (!in.get(i).equals(new Shape(units))) {
                        throw new ShapeException("expected initial state " + i + " of shape ("
                                + units + ") per sample, got " + in.get(i));
                    }
                }
            }
            if (returnState && layers > 1) {
                throw new ShapeException("return_state needs layers: 1; stack separate layers"
                        + " to get each one's states");
            }
            List<Shape> out = new ArrayList<>();
            long f = (long) (outputs == 1 ? directions() : 1) * units;
            for (int i = 0; i < outputs; i++) {
                out.add(returnSequences ? new Shape(x.get(0), f) : new Shape(f));
            }
            if (returnState) {
                for (int i = 0; i < states * directions(); i++) {
                    out.add(new Shape(units));
                }
            }
            return out;
        }

        Map<String, Object> config() {
            return Spec.ordered("units", units, "activation", activation.toValue(),
                    "use_bias", useBias, "return_sequences", returnSequences,
                    "return_state", returnState, "go_backwards", goBackwards,
                    "bidirectional", bidirectional, "layers", layers, "dropout", dropout,
                    "recurrent_dropout", recurrentDropout,
                    "inter_layer_dropout", interLayerDropout,
                    "kernel_initializer", kernelInitializer.toMap(),
                    "recurrent_initializer", recurrentInitializer.toMap(),
                    "bias_initializer", biasInitializer.toMap());
        }

        static Settings fromMap(SpecMap m) {
            Builder b = new Builder(m.requireInt("units"));
            if (m.has("activation")) {
                b.activation(Activation.parse(m.get("activation")));
            }
            return b.useBias(m.getBoolean("use_bias", true))
                    .returnSequences(m.getBoolean("return_sequences", false))
                    .returnState(m.getBoolean("return_state", false))
                    .goBackwards(m.getBoolean("go_backwards", false))
                    .bidirectional(m.getBoolean("bidirectional", false))
                    .layers(m.getInt("layers", 1))
                    .dropout(m.getDouble("dropout", 0))
                    .recurrentDropout(m.getDouble("recurrent_dropout", 0))
                    .interLayerDropout(m.getDouble("inter_layer_dropout", 0))
                    .kernelInitializer(Initializers.parse(m.get("kernel_initializer"), null))
                    .recurrentInitializer(Initializers.parse(m.get("recurrent_initializer"), null))
                    .biasInitializer(Initializers.parse(m.get("bias_initializer"), null))
                    .build();
        }
    }

    /** Recurrent settings, one by one: {@code new Lstm(8).with(s -> s.goBackwards(true))}. */
    final class Builder {
        private int units;
        private Activation activation;
        private boolean useBias = true;
        private boolean returnSequences;
        private boolean returnState;
        private boolean goBackwards;
        private boolean bidirectional;
        private int layers = 1;
        private double dropout;
        private double recurrentDropout;
        private double interLayerDropout;
        private InitializerSpec kernelInitializer;
        private InitializerSpec recurrentInitializer;
        private InitializerSpec biasInitializer;

        /** Keras's defaults for {@code units}. */
        public Builder(int units) {
            this.units = units;
        }

        Builder(Settings s) {
            this(s.units());
            activation = s.activation();
            useBias = s.useBias();
            returnSequences = s.returnSequences();
            returnState = s.returnState();
            goBackwards = s.goBackwards();
            bidirectional = s.bidirectional();
            layers = s.layers();
            dropout = s.dropout();
            recurrentDropout = s.recurrentDropout();
            interLayerDropout = s.interLayerDropout();
            kernelInitializer = s.kernelInitializer();
            recurrentInitializer = s.recurrentInitializer();
            biasInitializer = s.biasInitializer();
        }

        public Builder units(int v) {
            units = v;
            return this;
        }

        public Builder activation(Activation v) {
            activation = v;
            return this;
        }

        public Builder useBias(boolean v) {
            useBias = v;
            return this;
        }

        public Builder returnSequences(boolean v) {
            returnSequences = v;
            return this;
        }

        public Builder returnState(boolean v) {
            returnState = v;
            return this;
        }

        public Builder goBackwards(boolean v) {
            goBackwards = v;
            return this;
        }

        public Builder bidirectional(boolean v) {
            bidirectional = v;
            return this;
        }

        public Builder layers(int v) {
            layers = v;
            return this;
        }

        public Builder dropout(double v) {
            dropout = v;
            return this;
        }

        public Builder recurrentDropout(double v) {
            recurrentDropout = v;
            return this;
        }

        public Builder interLayerDropout(double v) {
            interLayerDropout = v;
            return this;
        }

        public Builder kernelInitializer(InitializerSpec v) {
            kernelInitializer = v;
            return this;
        }

        public Builder recurrentInitializer(InitializerSpec v) {
            recurrentInitializer = v;
            return this;
        }

        public Builder biasInitializer(InitializerSpec v) {
            biasInitializer = v;
            return this;
        }

        /** The settings (checked when the layer is made). */
        public Settings build() {
            return new Settings(units, activation, useBias, returnSequences, returnState,
                    goBackwards, bidirectional, layers, dropout, recurrentDropout,
                    interLayerDropout, kernelInitializer, recurrentInitializer, biasInitializer);
        }
    }

    /** The settings. */
    Settings settings();

    /** The cell this layer runs. */
    RnnBlock.Cell cell();

    /** A copy with settings changed: {@code lstm.with(s -> s.returnState(true))}. */
    RecurrentLayer with(UnaryOperator<Builder> change);

    /** The same layer running in both directions. */
    default RecurrentLayer bidirectional() {
        return with(s -> s.bidirectional(true));
    }

    /** The block, with {@code merge} joining the two directions and {@code bias} the biases. */
    default RnnBlock block(BuildContext ctx, List<Shape> inputs, Bidirectional.MergeMode merge,
            Initializer bias) {
        outputShapes(inputs);
        Settings s = settings();
        return new RnnBlock(cell(), inputs.get(0).get(1), s, merge, inputs.size() - 1,
                s.kernelInitializer().toDjl(ctx.random()),
                s.recurrentInitializer().toDjl(ctx.random()), bias);
    }

    /** The bias initializer as DJL's (the LSTM sets its forget gates' to 1). */
    default Initializer biasInitializer(BuildContext ctx) {
        return settings().biasInitializer().toDjl(ctx.random());
    }

    @Override
    default Shape outputShape(Shape input) {
        if (settings().returnState()) {
            throw new ShapeException("return_state gives " + (1 + cell().states
                    * settings().directions()) + " outputs: use the layer in a functional model"
                    + " and pick them with node.output(i)");
        }
        return outputShapes(List.of(input)).get(0);
    }

    @Override
    default List<Shape> outputShapes(List<Shape> inputs) {
        return settings().outputShapes(inputs, cell().states, 1);
    }

    @Override
    default Block toBlock(BuildContext ctx, Shape input) {
        return toBlock(ctx, List.of(input));
    }

    @Override
    default Block toBlock(BuildContext ctx, List<Shape> inputs) {
        return block(ctx, inputs, Bidirectional.MergeMode.CONCAT, biasInitializer(ctx));
    }

    /** A recurrent layer reads a mask over time steps; with return_sequences it passes it on. */
    @Override
    default MaskRule masking() {
        return settings().returnSequences() ? MaskRule.TAKES_AND_PASSES : MaskRule.TAKES;
    }

    @Override
    default Map<String, Object> config() {
        return settings().config();
    }
}
