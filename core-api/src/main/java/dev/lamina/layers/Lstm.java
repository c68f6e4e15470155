package dev.lamina.layers;

import ai.djl.ndarray.types.DataType;
import ai.djl.training.initializer.Initializer;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.SpecMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Long short-term memory (Hochreiter &amp; Schmidhuber, 1997), as Keras's {@code LSTM}. With
 * {@code z = x_t·Wᵀ + b + h_{t−1}·Uᵀ} split into gates in the order i, f, g, o (PyTorch's):
 * {@code c_t = σ(z_f)·c_{t−1} + σ(z_i)·act(z_g)}, {@code h_t = σ(z_o)·act(c_t)}, act = {@code activation}
 * (tanh by default).
 *
 * <p>Parameters per layer and direction: 4·(n·u + u·u + u) for n inputs and u units, as in Keras
 * (one bias; none with {@code use_bias: false}).
 *
 * <p>Input (batch, time, features), the same on every engine; per sample (time, features). Output
 * (units) per sample for the last step, (time, units) with {@code return_sequences}. The options
 * every recurrent layer takes ({@code go_backwards}, {@code return_state} with states h then c,
 * initial states h and c, {@code dropout}, {@code recurrent_dropout}, {@code bidirectional},
 * {@code layers}, masking) are described in {@link RecurrentLayer}. Keras's kernel layout is
 * (in, 4·units) with the gates in the same order; here it is transposed. The forget gate's bias
 * starts at 1 ({@code unit_forget_bias}, Keras's
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
        this(Settings.of(units).toBuilder().returnSequences(returnSequences).build());
    }

    /** A copy with {@code n} stacked layers and {@code interLayerDropout} between them. */
    public Lstm withLayers(int n, double interLayerDropout) {
        return with(s -> s.layers(n).interLayerDropout(interLayerDropout));
    }

    @Override
    public Lstm with(UnaryOperator<Builder> change) {
        return new Lstm(change.apply(settings.toBuilder()).build(), unitForgetBias);
    }

    @Override
    public RnnBlock.Cell cell() {
        return RnnBlock.Cell.LSTM;
    }

    /** A copy with or without {@code unit_forget_bias}. */
    public Lstm withUnitForgetBias(boolean on) {
        return new Lstm(settings, on);
    }

    @Override
    public Lstm bidirectional() {
        return with(s -> s.bidirectional(true));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Initializer biasInitializer(BuildContext ctx) {
        Initializer base = settings.biasInitializer().toDjl(ctx.random());
        if (!unitForgetBias) {
            return base;
        }
        long u = settings.units();
        // gates i, f, g, o: the forget gate is the second block of `units` values, set to 1 (as
        // Keras's unit_forget_bias sets it, not 1 plus the initializer's value)
        return (manager, shape, type) -> {
            float[] b = base.initialize(manager, shape, DataType.FLOAT32).toFloatArray();
            for (long i = u; i < 2 * u && i < b.length; i++) {
                b[(int) i] = 1f;
            }
            return manager.create(b, shape).toType(type, false);
        };
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
