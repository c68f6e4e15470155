package dev.lamina.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.pooling.Pool;
import dev.lamina.engine.MaxPoolKernel;
import dev.lamina.spec.Spec;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The pooling shared by {@link MaxPool1d}, {@link MaxPool2d}, {@link AvgPool1d} and
 * {@link AvgPool2d}, written so both engines give the same numbers.
 *
 * <p>Keras {@code same} padding is uneven when the total is odd (extra at the end), which DJL's
 * symmetric padding cannot express, so the input is padded explicitly and the pool runs without
 * padding. Max pooling pads with the lowest finite value (never the maximum of a window, since
 * each window holds at least one real element). Average pooling divides the zero-padded window sum
 * by the number of real elements, as Keras does: the average with padding counted, divided by the
 * same pool over a padded tensor of ones (DJL's "exclude padding" flag is silently ignored on
 * PyTorch).
 */
final class Pooling {
    private Pooling() {}

    /** The block for a pool over {@code input} (per sample: channels, spatial...). */
    static Block block(Shape input, boolean max, List<Integer> size, List<Integer> strides,
            String padding) {
        int n = size.size();
        List<Integer> ones = Spatial.repeat(1, n);
        int[][] pads = padding.equals("same") ? Spatial.pads(input, size, strides, ones)
                : new int[n][2];
        boolean padded = !Spatial.none(pads);
        Shape k = Spatial.shape(size);
        Shape s = Spatial.shape(strides);
        Shape zero = Spatial.shape(0, n);
        return new FnBlock((l, training) -> {
            NDArray x = l.singletonOrThrow();
            NDArray y;
            if (max) {
                NDArray p = padded ? Spatial.pad(x, pads, -Float.MAX_VALUE) : x;
                y = MaxPoolKernel.maxPool(p, k, s);
            } else {
                y = avg(padded ? Spatial.pad(x, pads, 0) : x, n, k, s, zero);
                if (padded) {
                    long[] d = new long[n + 2];
                    Arrays.fill(d, 1);
                    for (int i = 0; i < n; i++) {
                        d[i + 2] = x.getShape().get(i + 2);
                    }
                    NDArray one = x.getManager().ones(new Shape(d), x.getDataType());
                    y = y.div(avg(Spatial.pad(one, pads, 0), n, k, s, zero));
                }
            }
            return new NDList(y);
        }, shapes -> {
            Shape in = shapes[0];
            long[] out = in.getShape().clone();
            for (int i = 0; i < n; i++) {
                long len = in.get(i + 2) + pads[i][0] + pads[i][1];
                out[i + 2] = (len - size.get(i)) / strides.get(i) + 1;
            }
            return new Shape[] {new Shape(out)};
        });
    }

    private static NDArray avg(NDArray x, int n, Shape k, Shape s, Shape zero) {
        return n == 1 ? Pool.avgPool1d(x, k, s, zero, false, true)
                : Pool.avgPool2d(x, k, s, zero, false, true);
    }

    /** The output shape (channels, spatial...) of a pool. */
    static Shape outputShape(String type, Shape in, int n, String want, List<Integer> size,
            List<Integer> strides, String padding) {
        Spatial.requireRank(in, n, want);
        return Spatial.outputShape(type, in, in.get(0), size, strides, Spatial.repeat(1, n),
                padding.equals("same"));
    }

    /** Keras's config of a pool. */
    static Map<String, Object> config(List<Integer> size, List<Integer> strides, String padding) {
        return Spec.ordered("pool_size", Spatial.value(size), "strides", Spatial.value(strides),
                "padding", padding);
    }
}
