package dev.lamina.layers;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.LayerTypes;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.Map;

/**
 * Keras's {@code Bidirectional} wrapper, as Keras users write it: {@code bidirectional: {layer:
 * {lstm: {units: 8}}}}. The same as the wrapped layer with {@code bidirectional: true}: a second,
 * separate set of weights reads the time-reversed sequence, and its outputs (reversed back) follow
 * the forward ones on the feature axis (Keras's {@code merge_mode="concat"}, the only mode here).
 *
 * <p>Input (batch, time, features) per engine alike; output (2·units) or (time, 2·units) per sample.
 */
public record Bidirectional(LayerSpec layer) implements LayerSpec {
    public static final String TYPE = "bidirectional";

    public Bidirectional {
        if (!(layer instanceof RecurrentLayer)) {
            throw new SpecException(TYPE, "layer", "expected a simple_rnn, lstm or gru layer,"
                    + " received layer=" + (layer == null ? null : layer.type()));
        }
    }

    private LayerSpec both() {
        return ((RecurrentLayer) layer).bidirectional();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Shape outputShape(Shape input) {
        return both().outputShape(input);
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        return both().toBlock(ctx, input);
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("layer", layer.toMap());
    }

    /** Reads {@code layer}, a nested layer spec. */
    public static Bidirectional fromMap(SpecMap m) {
        return new Bidirectional(LayerTypes.parse(m.require("layer")));
    }
}
