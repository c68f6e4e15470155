package dev.lamina.layers;

import dev.lamina.spec.SpecMap;
import java.util.function.UnaryOperator;


/**
 * Keras's {@code SimpleRNN}: {@code h_t = activation(x_t·Wᵀ + b + h_{t−1}·Uᵀ)}.
 *
 * <p>Parameters per layer and direction: n·u + u·u + u for n inputs and u units, as in Keras (one
 * bias; none with {@code use_bias: false}).
 *
 * <p>Input (batch, time, features), the same on every engine; per sample (time, features). Output
 * (units) per sample for the last step, (time, units) with {@code return_sequences}. The options
 * every recurrent layer takes ({@code go_backwards}, {@code return_state}, initial states,
 * {@code dropout}, {@code recurrent_dropout}, {@code bidirectional}, {@code layers}, masking) are
 * described in {@link RecurrentLayer}. Keras defaults: tanh, Glorot-uniform kernel, orthogonal
 * recurrent kernel, zero bias. Built as {@link RnnBlock}, which gives the same numbers on PyTorch
 * and MXNet.
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
        this(Settings.of(units).toBuilder().returnSequences(returnSequences).build());
    }

    /** A copy with {@code n} stacked layers and {@code interLayerDropout} between them. */
    public SimpleRnn withLayers(int n, double interLayerDropout) {
        return with(s -> s.layers(n).interLayerDropout(interLayerDropout));
    }

    @Override
    public SimpleRnn with(UnaryOperator<Builder> change) {
        return new SimpleRnn(change.apply(settings.toBuilder()).build());
    }

    @Override
    public SimpleRnn bidirectional() {
        return with(s -> s.bidirectional(true));
    }

    @Override
    public RnnBlock.Cell cell() {
        return RnnBlock.Cell.SIMPLE;
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** Reads the settings written by {@link #config()} (Keras names). */
    public static SimpleRnn fromMap(SpecMap m) {
        return new SimpleRnn(Settings.fromMap(m));
    }
}
