package dev.lamina.layers;

import dev.lamina.spec.SpecMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;


/**
 * Gated recurrent unit (Cho et al., 2014), as Keras's {@code GRU}. Gates in the order r, z, n
 * (PyTorch's; Keras's kernel columns are z, r, h). With {@code reset_after} (Keras's default, and
 * PyTorch's GRU): {@code r = σ(x·W_rᵀ + b_r + h·U_rᵀ + c_r)}, {@code z = σ(x·W_zᵀ + b_z + h·U_zᵀ + c_z)},
 * {@code n = act(x·W_nᵀ + b_n + r·(h·U_nᵀ + c_n))}; with {@code reset_after: false} (the original
 * GRU, one bias): {@code r = σ(x·W_rᵀ + b_r + h·U_rᵀ)}, {@code z} alike,
 * {@code n = act(x·W_nᵀ + b_n + (r·h)·U_nᵀ)}; then {@code h_t = (1 − z)·n + z·h_{t−1}},
 * act = {@code activation} (tanh by default).
 *
 * <p>Parameters per layer and direction: 3·(n·u + u·u + 2u) for n inputs and u units with
 * {@code reset_after} (two biases: {@code bias} and {@code recurrent_bias}), 3·(n·u + u·u + u)
 * without, as in Keras; no biases with {@code use_bias: false}.
 *
 * <p>Input (batch, time, features), the same on every engine; per sample (time, features). Output
 * (units) per sample for the last step, (time, units) with {@code return_sequences}. The options
 * every recurrent layer takes are described in {@link RecurrentLayer}. Keras defaults:
 * Glorot-uniform kernel, orthogonal recurrent kernel, zero bias. Built as {@link RnnBlock}, which
 * gives the same numbers on PyTorch and MXNet (without {@code reset_after}, always as its loop:
 * neither engine has that kernel).
 */
public record Gru(Settings settings, boolean resetAfter) implements RecurrentLayer {
    public static final String TYPE = "gru";

    public Gru {
        settings = settings.check(TYPE);
    }

    /** With Keras's default {@code reset_after=True}. */
    public Gru(Settings settings) {
        this(settings, true);
    }

    /** Keras defaults: tanh, the last step only, one direction, one layer. */
    public Gru(int units) {
        this(Settings.of(units));
    }

    /** With {@code return_sequences}. */
    public Gru(int units, boolean returnSequences) {
        this(Settings.of(units).toBuilder().returnSequences(returnSequences).build());
    }

    /** A copy with {@code n} stacked layers and {@code interLayerDropout} between them. */
    public Gru withLayers(int n, double interLayerDropout) {
        return with(s -> s.layers(n).interLayerDropout(interLayerDropout));
    }

    /** A copy with or without {@code reset_after}. */
    public Gru withResetAfter(boolean on) {
        return new Gru(settings, on);
    }

    @Override
    public Gru with(UnaryOperator<Builder> change) {
        return new Gru(change.apply(settings.toBuilder()).build(), resetAfter);
    }

    @Override
    public Gru bidirectional() {
        return with(s -> s.bidirectional(true));
    }

    @Override
    public RnnBlock.Cell cell() {
        return resetAfter ? RnnBlock.Cell.GRU : RnnBlock.Cell.GRU_RESET_BEFORE;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>(settings.config());
        c.put("reset_after", resetAfter);
        return c;
    }

    /** Reads the settings written by {@link #config()} (Keras names). */
    public static Gru fromMap(SpecMap m) {
        return new Gru(Settings.fromMap(m), m.getBoolean("reset_after", true));
    }
}
