package dev.lamina.layers;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.SpecMap;
import java.util.Map;

/** Flattens every axis but the batch: (batch, d1, d2, ...) to (batch, d1·d2·…). */
public record Flatten() implements LayerSpec {
    public static final String TYPE = "flatten";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Shape outputShape(Shape in) {
        return new Shape(in.size());
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        long n = input.size();
        return new FnBlock((l, training) -> new NDList(l.singletonOrThrow().reshape(-1, n)),
                s -> new Shape[] {new Shape(s[0].get(0), n)});
    }

    @Override
    public Map<String, Object> config() {
        return Map.of();
    }

    /** Flatten has no settings. */
    public static Flatten fromMap(SpecMap m) {
        return new Flatten();
    }
}
