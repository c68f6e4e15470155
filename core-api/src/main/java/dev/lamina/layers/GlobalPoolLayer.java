package dev.lamina.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.MaskRule;
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecMap;
import java.util.Map;

/**
 * What the global poolings share: input (channels, spatial...) with one or more spatial axes,
 * output (channels). {@link GlobalAvgPool} and {@link GlobalMaxPool} differ only in taking the
 * mean or the maximum.
 *
 * <p>{@code data_format: channels_last} takes (steps..., channels) instead, as Keras's default
 * layout: over a sequence (time, features), such as a recurrent layer's or attention's output,
 * it pools over time and gives (features), Keras's {@code GlobalAveragePooling1D}. There the
 * average reads a mask over time steps (see {@link dev.lamina.spec.MaskRule}): the mean of the
 * unmasked steps only, as Keras's.
 */
public sealed interface GlobalPoolLayer extends LayerSpec permits GlobalAvgPool, GlobalMaxPool {
    /** True for the maximum of each channel, false for its mean. */
    boolean max();

    /** True when the channels are the last axis (Keras's {@code channels_last}). */
    boolean channelsLast();

    @Override
    default Shape outputShape(Shape in) {
        if (in.dimension() < 2) {
            throw new ShapeException(channelsLast()
                    ? "expected (steps..., channels) such as (time, features), got " + in
                    : "expected (channels, spatial...) such as (channels, height, width), got "
                            + in);
        }
        return new Shape(in.get(channelsLast() ? in.dimension() - 1 : 0));
    }

    @Override
    default MaskRule masking() {
        return channelsLast() && !max() ? MaskRule.TAKES : MaskRule.STOPS;
    }

    @Override
    default Block toBlock(BuildContext ctx, Shape input) {
        outputShape(input);
        boolean max = max();
        boolean last = channelsLast();
        return new FnBlock((l, training) -> {
            NDArray x = l.get(0);
            long b = x.getShape().get(0);
            if (last) {
                // over one flattened axis of steps: (batch, steps, channels)
                NDArray flat = x.reshape(b, -1, x.getShape().get(x.getShape().dimension() - 1));
                if (l.size() == 2) { // a mask over the steps: the mean of the kept ones
                    NDArray m = l.get(1).toType(x.getDataType(), false).expandDims(2);
                    return new NDList(flat.mul(m).sum(new int[] {1})
                            .div(m.sum(new int[] {1}).maximum(1e-7f)));
                }
                return new NDList(max ? flat.max(new int[] {1}) : flat.mean(new int[] {1}));
            }
            // over one flattened axis: one engine reduces only one axis at a time
            NDArray flat = x.reshape(b, x.getShape().get(1), -1);
            return new NDList(max ? flat.max(new int[] {2}) : flat.mean(new int[] {2}));
        }, s -> new Shape[] {new Shape(s[0].get(0),
                s[0].get(last ? s[0].dimension() - 1 : 1))});
    }

    @Override
    default Map<String, Object> config() {
        return channelsLast() ? Spec.ordered("data_format", "channels_last") : Map.of();
    }

    /** Reads {@code data_format}: true for {@code channels_last}. */
    static boolean channelsLast(SpecMap m) {
        return m.getChoice("data_format", "channels_first", "channels_first", "channels_last")
                .equals("channels_last");
    }
}
