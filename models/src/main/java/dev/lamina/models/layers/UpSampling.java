package dev.lamina.models.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lamina.layers.FnBlock;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.ShapeException;
import java.util.Arrays;
import java.util.List;

/**
 * What the up-sampling layers share ({@link UpSampling1d}, {@link UpSampling2d}): each spatial
 * axis of length {@code n} becomes {@code n·size}, by a fixed linear map along that axis (a matrix
 * product, the same numbers and gradients on both engines; no parameters).
 *
 * <p>{@code nearest} repeats each value {@code size} times (Keras's UpSampling1D/2D). {@code
 * bilinear} interpolates with half-pixel centres, as Keras (TensorFlow's {@code image.resize})
 * does: output {@code o} reads the input at {@code (o + 0.5) / size − 0.5}, clamped to the ends.
 */
public sealed interface UpSampling extends LayerSpec permits UpSampling1d, UpSampling2d {
    /** The factor on each spatial axis. */
    List<Integer> size();

    /** {@code nearest} or {@code bilinear}. */
    String interpolation();

    @Override
    default Shape outputShape(Shape in) {
        int n = size().size();
        String want = n == 1 ? "(channels, length)" : "(channels, height, width)";
        if (in.dimension() != n + 1 || Arrays.stream(in.getShape()).anyMatch(d -> d <= 0)) {
            throw new ShapeException("expected " + want + " with known positive sizes, got " + in);
        }
        long[] out = in.getShape().clone();
        for (int i = 0; i < n; i++) {
            out[i + 1] *= size().get(i);
        }
        return new Shape(out);
    }

    @Override
    default Block toBlock(BuildContext ctx, Shape input) {
        outputShape(input);
        List<Integer> f = size();
        boolean bilinear = interpolation().equals("bilinear");
        return new FnBlock((in, training) -> {
            NDArray x = in.singletonOrThrow();
            for (int i = 0; i < f.size(); i++) {
                x = alongAxis(x, i + 2, matrix(x.getShape().get(i + 2), f.get(i), bilinear));
            }
            return new NDList(x);
        }, shapes -> {
            long[] d = shapes[0].getShape().clone();
            for (int i = 0; i < f.size(); i++) {
                d[i + 2] *= f.get(i);
            }
            return new Shape[] {new Shape(d)};
        });
    }

    /**
     * The map from {@code n} values to {@code n·factor}: row {@code o} holds the weights output
     * {@code o} gives the inputs (one 1 for nearest, two weights summing to 1 for bilinear).
     */
    static double[][] matrix(long n, int factor, boolean bilinear) {
        int len = Math.toIntExact(n);
        double[][] m = new double[len * factor][len];
        for (int o = 0; o < m.length; o++) {
            if (!bilinear) {
                m[o][o / factor] = 1;
                continue;
            }
            double src = Math.min(Math.max((o + 0.5) / factor - 0.5, 0), len - 1);
            int lo = (int) Math.floor(src);
            int hi = Math.min(lo + 1, len - 1);
            double frac = src - lo;
            m[o][lo] += 1 - frac;
            m[o][hi] += frac;
        }
        return m;
    }

    /** {@code x} (N, C, ...) with {@code m} (out × in) applied along {@code axis}. */
    private static NDArray alongAxis(NDArray x, int axis, double[][] m) {
        int last = x.getShape().dimension() - 1;
        int[] order = new int[last + 1];
        for (int i = 0; i <= last; i++) {
            order[i] = i;
        }
        order[axis] = last;
        order[last] = axis;
        NDArray moved = axis == last ? x : x.transpose(order);
        long[] d = moved.getShape().getShape().clone();
        int in = m[0].length;
        double[] t = new double[in * m.length]; // m transposed: (in, out)
        for (int o = 0; o < m.length; o++) {
            for (int i = 0; i < in; i++) {
                t[i * m.length + o] = m[o][i];
            }
        }
        NDArray mt = x.getManager().create(t, new Shape(in, m.length)).toType(x.getDataType(), false);
        NDArray y = moved.reshape(-1, in).matMul(mt);
        d[last] = m.length;
        y = y.reshape(new Shape(d));
        return axis == last ? y : y.transpose(order);
    }
}
