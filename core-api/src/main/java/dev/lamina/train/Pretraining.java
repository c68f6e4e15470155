package dev.lamina.train;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * How a {@link Pretrainable} layer's pretraining runs: the DJL model that owns the weights (its
 * manager is the root of every batch's), the layer's name, a seed, the callbacks each phase
 * gets (a progress bar, a CSV log; by phase name), where it reports what it is about to do, and
 * a directory for what it draws (PNG samples), or null for none.
 */
public record Pretraining(ai.djl.Model djl, String layer, long seed,
        Function<String, List<Callback>> callbacks, Consumer<String> log, Path directory) {
    public Pretraining {
        if (djl == null || layer == null) {
            throw new IllegalArgumentException("pretraining needs the model and the layer's name");
        }
        callbacks = callbacks == null ? phase -> List.of() : callbacks;
        log = log == null ? line -> { } : log;
    }

    /** The seed of phase {@code i} (0-based) of this layer. */
    public long phaseSeed(int i) {
        return seed * 1_000_003L + 31L * i + layer.hashCode();
    }

    /** A copy for another layer of the same model. */
    public Pretraining forLayer(String name, long layerSeed) {
        return new Pretraining(djl, name, layerSeed, callbacks, log, directory);
    }
}
