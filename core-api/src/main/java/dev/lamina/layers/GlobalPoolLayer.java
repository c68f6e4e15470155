package dev.lamina.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.ShapeException;
import java.util.Map;

/**
 * What the global poolings share: input (channels, spatial...) with one or more spatial axes,
 * output (channels), no settings. {@link GlobalAvgPool} and {@link GlobalMaxPool} differ only in
 * taking the mean or the maximum.
 */
public sealed interface GlobalPoolLayer extends LayerSpec permits GlobalAvgPool, GlobalMaxPool {
    /** True for the maximum of each channel, false for its mean. */
    boolean max();

    @Override
    default Shape outputShape(Shape in) {
        if (in.dimension() < 2) {
            throw new ShapeException("expected (channels, spatial...) such as (channels, height,"
                    + " width), got " + in);
        }
        return new Shape(in.get(0));
    }

    @Override
    default Block toBlock(BuildContext ctx, Shape input) {
        outputShape(input);
        boolean max = max();
        return new FnBlock((l, training) -> {
            NDArray x = l.singletonOrThrow();
            // over one flattened axis: one engine reduces only one axis at a time
            NDArray flat = x.reshape(x.getShape().get(0), x.getShape().get(1), -1);
            return new NDList(max ? flat.max(new int[] {2}) : flat.mean(new int[] {2}));
        }, s -> new Shape[] {new Shape(s[0].get(0), s[0].get(1))});
    }

    @Override
    default Map<String, Object> config() {
        return Map.of();
    }
}
