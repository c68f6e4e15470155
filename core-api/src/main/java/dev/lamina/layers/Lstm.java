package dev.lamina.layers;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.initializer.Initializer;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.SpecMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Long short-term memory (Hochreiter &amp; Schmidhuber, 1997), as Keras's {@code LSTM}. With
 * {@code z = x_t·Wᵀ + b + h_{t−1}·Uᵀ} split into gates in the order i, f, g, o (PyTorch's):
 * {@code c_t = σ(z_f)·c_{t−1} + σ(z_i)·act(z_g)}, {@code h_t = σ(z_o)·act(c_t)}, act = {@code activation}
 * (tanh by default).
 *
 * <p>Parameters per layer and direction: 4·(n·u + u·u + u) for n inputs and u units, as in Keras
 * (one bias).
 *
 * <p>Input (batch, time, features), the same on every engine; per sample (time, features). Output
 * (units) per sample for the last step, (time, units) with {@code return_sequences}; twice the units
 * when {@code bidirectional} (a second, separate set of weights runs over the time-reversed
 * sequence; its outputs are reversed back and concatenated after the forward ones). With
 * {@code layers} &gt; 1 the layers are stacked, each reading the full sequence of the one before,
 * with {@code dropout} between them in training (PyTorch's meaning of the word: Keras's
 * {@code dropout} drops the layer's inputs instead, and {@code recurrent_dropout} is not offered).
 * Initial states are zeros. The forget gate's bias starts at 1 ({@code unit_forget_bias}, Keras's
 * default; turn it off with {@code unit_forget_bias: false}). Keras defaults: Glorot-uniform
 * kernel, orthogonal recurrent kernel,
 * zero bias. Built as {@link RnnBlock}, which gives the same numbers on PyTorch and MXNet.
 */
public record Lstm(Settings settings, boolean unitForgetBias) implements RecurrentLayer {
    public static final String TYPE = "lstm";

    public Lstm {
        settings = settings.check(TYPE);
    }

    /**
     * With Keras's {@code unit_forget_bias}: the forget gate's bias starts at exactly 1, whatever
     * {@code bias_initializer} gives the other gates (as Keras does), so the cell keeps its memory
     * early in training, as Jozefowicz et al. (2015) recommend.
     */
    public Lstm(Settings settings) {
        this(settings, true);
    }

    /** Keras defaults: tanh, the last step only, one direction, one layer. */
    public Lstm(int units) {
        this(Settings.of(units));
    }

    /** With {@code return_sequences}. */
    public Lstm(int units, boolean returnSequences) {
        this(Settings.of(units).withReturnSequences(returnSequences));
    }

    /** A copy with {@code n} stacked layers and {@code dropout} between them. */
    public Lstm withLayers(int n, double dropout) {
        return new Lstm(settings.withLayers(n, dropout), unitForgetBias);
    }

    /** A copy with or without {@code unit_forget_bias}. */
    public Lstm withUnitForgetBias(boolean on) {
        return new Lstm(settings, on);
    }

    @Override
    public Lstm bidirectional() {
        return new Lstm(settings.withBidirectional(true), unitForgetBias);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        Initializer base = settings.biasInitializer().toDjl(ctx.random());
        if (!unitForgetBias) {
            return settings.toBlock(RnnBlock.Cell.LSTM, ctx, input, base);
        }
        long u = settings.units();
        // gates i, f, g, o: the forget gate is the second block of `units` values, set to 1 (as
        // Keras's unit_forget_bias sets it, not 1 plus the initializer's value)
        Initializer withForget = (manager, shape, type) -> {
            float[] b = base.initialize(manager, shape, DataType.FLOAT32)
                    .toFloatArray();
            for (long i = u; i < 2 * u && i < b.length; i++) {
                b[(int) i] = 1f;
            }
            return manager.create(b, shape).toType(type, false);
        };
        return settings.toBlock(RnnBlock.Cell.LSTM, ctx, input, withForget);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>(settings.config());
        c.put("unit_forget_bias", unitForgetBias);
        return c;
    }

    /** Reads the settings written by {@link #config()} (Keras names). */
    public static Lstm fromMap(SpecMap m) {
        return new Lstm(Settings.fromMap(m), m.getBoolean("unit_forget_bias", true));
    }
}
