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
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.Map;

/**
 * What {@link SimpleRnn}, {@link Lstm} and {@link Gru} share: the settings, their checks, the
 * output shape, the block and the config.
 *
 * <p>Input (batch, time, features) on every engine (per sample (time, features)); output
 * (batch, D·units) for the last step, or (batch, time, D·units) with {@code return_sequences}, where
 * D = 2 when {@code bidirectional} (the forward outputs, then the backward ones, on the feature
 * axis) and 1 otherwise. Initial states are zeros.
 */
public sealed interface RecurrentLayer extends LayerSpec permits SimpleRnn, Lstm, Gru {
    /** The settings every recurrent layer takes. */
    record Settings(int units, Activation activation, boolean returnSequences,
            boolean bidirectional, int layers, double dropout, InitializerSpec kernelInitializer,
            InitializerSpec recurrentInitializer, InitializerSpec biasInitializer) {
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
            if (!(dropout >= 0 && dropout < 1)) {
                throw new SpecException(type, "dropout",
                        "expected a fraction in [0, 1), received dropout=" + dropout);
            }
            return new Settings(units, activation == null ? new Activation("tanh") : activation,
                    returnSequences, bidirectional, layers, dropout,
                    kernelInitializer == null ? new GlorotUniform() : kernelInitializer,
                    recurrentInitializer == null ? new Orthogonal() : recurrentInitializer,
                    biasInitializer == null ? Constant.ZEROS : biasInitializer);
        }

        /** Keras defaults for {@code units}: tanh, last step only, one direction, one layer. */
        static Settings of(int units) {
            return new Settings(units, null, false, false, 1, 0, null, null, null);
        }

        Settings withBidirectional(boolean b) {
            return new Settings(units, activation, returnSequences, b, layers, dropout,
                    kernelInitializer, recurrentInitializer, biasInitializer);
        }

        Settings withReturnSequences(boolean r) {
            return new Settings(units, activation, r, bidirectional, layers, dropout,
                    kernelInitializer, recurrentInitializer, biasInitializer);
        }

        Settings withLayers(int n, double drop) {
            return new Settings(units, activation, returnSequences, bidirectional, n, drop,
                    kernelInitializer, recurrentInitializer, biasInitializer);
        }

        Shape outputShape(Shape in) {
            if (in.dimension() != 2 || in.get(0) <= 0 || in.get(1) <= 0) {
                throw new ShapeException("expected (time, features) per sample, got " + in);
            }
            long f = (long) (bidirectional ? 2 : 1) * units;
            return returnSequences ? new Shape(in.get(0), f) : new Shape(f);
        }

        Block toBlock(RnnBlock.Cell cell, BuildContext ctx, Shape in) {
            return toBlock(cell, ctx, in, biasInitializer.toDjl(ctx.random()));
        }

        /** The block, with {@code bias} drawing every bias (the LSTM adds its forget-gate ones). */
        Block toBlock(RnnBlock.Cell cell, BuildContext ctx, Shape in,
                Initializer bias) {
            outputShape(in);
            return new RnnBlock(cell, in.get(1), units, activation, returnSequences, bidirectional,
                    layers, dropout, kernelInitializer.toDjl(ctx.random()),
                    recurrentInitializer.toDjl(ctx.random()), bias);
        }

        Map<String, Object> config() {
            return Spec.ordered("units", units, "activation", activation.toValue(),
                    "return_sequences", returnSequences, "bidirectional", bidirectional,
                    "layers", layers, "dropout", dropout,
                    "kernel_initializer", kernelInitializer.toMap(),
                    "recurrent_initializer", recurrentInitializer.toMap(),
                    "bias_initializer", biasInitializer.toMap());
        }

        static Settings fromMap(SpecMap m) {
            return new Settings(m.requireInt("units"),
                    m.has("activation") ? Activation.parse(m.get("activation")) : null,
                    m.getBoolean("return_sequences", false), m.getBoolean("bidirectional", false),
                    m.getInt("layers", 1), m.getDouble("dropout", 0),
                    Initializers.parse(m.get("kernel_initializer"), null),
                    Initializers.parse(m.get("recurrent_initializer"), null),
                    Initializers.parse(m.get("bias_initializer"), null));
        }
    }

    /** The settings. */
    Settings settings();

    /** The same layer running in both directions. */
    RecurrentLayer bidirectional();

    @Override
    default Shape outputShape(Shape input) {
        return settings().outputShape(input);
    }

    @Override
    default Map<String, Object> config() {
        return settings().config();
    }
}
