package dev.lamina.layers;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.SpecMap;

/**
 * Keras's {@code SimpleRNN}: {@code h_t = activation(x_t·Wᵀ + b + h_{t−1}·Uᵀ)}.
 *
 * <p>Parameters per layer and direction: n·u + u·u + u for n inputs and u units, as in Keras (one
 * bias).
 *
 * <p>Input (batch, time, features), the same on every engine; per sample (time, features). Output
 * (units) per sample for the last step, (time, units) with {@code return_sequences}; twice the units
 * when {@code bidirectional} (a second, separate set of weights runs over the time-reversed
 * sequence; its outputs are reversed back and concatenated after the forward ones). With
 * {@code layers} &gt; 1 the layers are stacked, each reading the full sequence of the one before,
 * with {@code dropout} between them in training (PyTorch's meaning of the word: Keras's
 * {@code dropout} drops the layer's inputs instead, and {@code recurrent_dropout} is not offered).
 * Initial states are zeros. Keras defaults: Glorot-uniform kernel, orthogonal recurrent kernel,
 * zero bias. Built as {@link RnnBlock}, which gives the same numbers on PyTorch and MXNet.
 */
public record SimpleRnn(Settings settings) implements RecurrentLayer {
    public static final String TYPE = "simple_rnn";

    public SimpleRnn {
        settings = settings.check(TYPE);
    }

    /** Keras defaults: tanh, the last step only, one direction, one layer. */
    public SimpleRnn(int units) {
        this(Settings.of(units));
    }

    /** With {@code return_sequences}. */
    public SimpleRnn(int units, boolean returnSequences) {
        this(Settings.of(units).withReturnSequences(returnSequences));
    }

    /** A copy with {@code n} stacked layers and {@code dropout} between them. */
    public SimpleRnn withLayers(int n, double dropout) {
        return new SimpleRnn(settings.withLayers(n, dropout));
    }

    @Override
    public SimpleRnn bidirectional() {
        return new SimpleRnn(settings.withBidirectional(true));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        return settings.toBlock(RnnBlock.Cell.SIMPLE, ctx, input);
    }

    /** Reads the settings written by {@link #config()} (Keras names). */
    public static SimpleRnn fromMap(SpecMap m) {
        return new SimpleRnn(Settings.fromMap(m));
    }
}
