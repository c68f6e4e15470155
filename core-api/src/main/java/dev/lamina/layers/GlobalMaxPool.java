package dev.lamina.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.SpecMap;
import java.util.Map;

/**
 * The largest value of each channel over every spatial axis.
 *
 * <p>Input (channels, spatial...) with one or more spatial axes, such as (channels, length) or
 * (channels, height, width); output (channels).
 */
public record GlobalMaxPool() implements LayerSpec {
    public static final String TYPE = "global_max_pool";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.dimension() < 2) {
            throw new ShapeException("expected (channels, spatial...) such as (channels, height,"
                    + " width), got " + in);
        }
        return new Shape(in.get(0));
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        outputShape(input);
        return new FnBlock((l, training) -> {
            NDArray x = l.singletonOrThrow();
            // over one flattened axis: one engine reduces only one axis at a time
            NDArray flat = x.reshape(x.getShape().get(0), x.getShape().get(1), -1);
            return new NDList(flat.max(new int[] {2}));
        }, s -> new Shape[] {new Shape(s[0].get(0), s[0].get(1))});
    }

    @Override
    public Map<String, Object> config() {
        return Map.of();
    }

    /** GlobalMaxPool has no settings. */
    public static GlobalMaxPool fromMap(SpecMap m) {
        return new GlobalMaxPool();
    }
}
