package dev.lamina.layers;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.SpecMap;

/**
 * Gated recurrent unit (Cho et al., 2014), as Keras's {@code GRU} with {@code reset_after=True}
 * and PyTorch's GRU. Gates in the order r, z, n: {@code r = σ(x·W_rᵀ + b_r + h·U_rᵀ + c_r)},
 * {@code z = σ(x·W_zᵀ + b_z + h·U_zᵀ + c_z)}, {@code n = act(x·W_nᵀ + b_n + r·(h·U_nᵀ + c_n))},
 * {@code h_t = (1 − z)·n + z·h_{t−1}}, act = {@code activation} (tanh by default).
 *
 * <p>Parameters per layer and direction: 3·(n·u + u·u + 2u) for n inputs and u units, as in Keras
 * (two biases: {@code bias} and {@code recurrent_bias}).
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
public record Gru(Settings settings) implements RecurrentLayer {
    public static final String TYPE = "gru";

    public Gru {
        settings = settings.check(TYPE);
    }

    /** Keras defaults: tanh, the last step only, one direction, one layer. */
    public Gru(int units) {
        this(Settings.of(units));
    }

    /** With {@code return_sequences}. */
    public Gru(int units, boolean returnSequences) {
        this(Settings.of(units).withReturnSequences(returnSequences));
    }

    /** A copy with {@code n} stacked layers and {@code dropout} between them. */
    public Gru withLayers(int n, double dropout) {
        return new Gru(settings.withLayers(n, dropout));
    }

    @Override
    public Gru bidirectional() {
        return new Gru(settings.withBidirectional(true));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        return settings.toBlock(RnnBlock.Cell.GRU, ctx, input);
    }

    /** Reads the settings written by {@link #config()} (Keras names). */
    public static Gru fromMap(SpecMap m) {
        return new Gru(Settings.fromMap(m));
    }
}
