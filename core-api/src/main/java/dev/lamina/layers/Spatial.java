package dev.lamina.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.lamina.spec.Names;
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * What convolutions and pools share: checking window settings, Keras's output-size rule for
 * {@code valid} and {@code same}, and explicit (possibly uneven) padding that gives the same numbers on
 * every engine.
 *
 * <p>Keras {@code same}: out = ceil(in / stride); total pad = max((out − 1)·stride + (k − 1)·dil +
 * 1 − in, 0), split with the extra element at the END when the total is odd (TensorFlow's rule).
 * {@code valid}: out = floor((in − (k − 1)·dil − 1) / stride) + 1, and the input must hold one
 * window.
 */
final class Spatial {
    static final List<String> PADDINGS = List.of("valid", "same");

    private Spatial() {}

    /** Checks {@code padding} is {@code valid} or {@code same}, with a "did you mean". */
    static String padding(String type, String padding) {
        if (padding == null || !PADDINGS.contains(padding)) {
            throw new SpecException(type, "padding", "expected 'valid' or 'same', received padding="
                    + (padding == null ? "null" : "'" + padding + "'") + "."
                    + Names.didYouMean(padding, PADDINGS));
        }
        return padding;
    }

    /** Checks a window setting has {@code n} positive integers; returns an immutable copy. */
    static List<Integer> positive(String type, String setting, List<Integer> v, int n) {
        if (v == null || v.size() != n || v.stream().anyMatch(x -> x == null || x <= 0)) {
            throw new SpecException(type, setting, "expected " + (n == 1 ? "a positive integer"
                    : n + " positive integers") + ", received " + setting + "=" + show(v));
        }
        return List.copyOf(v);
    }

    /** {@code 3} for a one-element list, {@code [3, 3]} otherwise. */
    static String show(List<Integer> v) {
        return v != null && v.size() == 1 ? String.valueOf(v.get(0)) : String.valueOf(v);
    }

    /** An int or a list of {@code n} ints as a list, or {@code dflt}. */
    static List<Integer> ints(SpecMap m, String key, int n, List<Integer> dflt) {
        int[] v = m.getInts(key, n, null);
        if (v == null) {
            return dflt;
        }
        return Arrays.stream(v).boxed().toList();
    }

    /** A required int or list of {@code n} ints, as a list. */
    static List<Integer> requireInts(SpecMap m, String key, int n) {
        return Arrays.stream(SpecMap.ints(m.require(key), n)).boxed().toList();
    }

    /** {@code n} copies of {@code v}. */
    static List<Integer> repeat(int v, int n) {
        return Collections.nCopies(n, v);
    }

    /** The form written to files: a bare int for one axis, else a list (Keras writes tuples). */
    static Object value(List<Integer> v) {
        return v.size() == 1 ? v.get(0) : v;
    }

    /**
     * Checks the rank of a per-sample input: {@code n} spatial axes after the channels; {@code
     * want} describes it, such as "(channels, height, width)".
     */
    static void requireRank(Shape in, int n, String want) {
        if (in.dimension() != n + 1) {
            throw new ShapeException("expected " + want + ", got " + in);
        }
        for (long d : in.getShape()) {
            if (d <= 0) {
                throw new ShapeException("expected " + want + " with known positive sizes, got "
                        + in);
            }
        }
    }

    /** The output length of one spatial axis; a ShapeException when a valid window does not fit. */
    static long outLength(String what, Shape in, int axis, long len, int k, int stride, int dil,
            boolean same) {
        if (same) {
            return (len + stride - 1) / stride;
        }
        long span = (long) (k - 1) * dil + 1;
        if (len < span) {
            throw new ShapeException("input " + in + " is too small for a " + what
                    + " window of " + span + " along axis " + axis + " with padding 'valid';"
                    + " it needs at least " + span + ", got " + len
                    + " (use padding 'same' or a smaller window)");
        }
        return (len - span) / stride + 1;
    }

    /** {before, after} padding of one axis for {@code same} (zero for valid). */
    static int[] samePad(long len, int k, int stride, int dil) {
        long out = (len + stride - 1) / stride;
        long total = Math.max((out - 1) * stride + (long) (k - 1) * dil + 1 - len, 0);
        int before = (int) (total / 2);
        return new int[] {before, (int) (total - before)};
    }

    /** The output per-sample shape (channels, spatial...) of a window op over {@code in}. */
    static Shape outputShape(String what, Shape in, long channels, List<Integer> k,
            List<Integer> strides, List<Integer> dil, boolean same) {
        long[] out = new long[in.dimension()];
        out[0] = channels;
        for (int i = 1; i < out.length; i++) {
            out[i] = outLength(what, in, i, in.get(i), k.get(i - 1), strides.get(i - 1),
                    dil.get(i - 1), same);
        }
        return new Shape(out);
    }

    /** Padding {before, after} per spatial axis of a per-sample input, for {@code same}. */
    static int[][] pads(Shape in, List<Integer> k, List<Integer> strides, List<Integer> dil) {
        int[][] pads = new int[k.size()][];
        for (int i = 0; i < pads.length; i++) {
            pads[i] = samePad(in.get(i + 1), k.get(i), strides.get(i), dil.get(i));
        }
        return pads;
    }

    /** True when every axis pads the same amount on both sides (DJL's own padding can do it). */
    static boolean symmetric(int[][] pads) {
        for (int[] p : pads) {
            if (p[0] != p[1]) {
                return false;
            }
        }
        return true;
    }

    /** True when no axis pads. */
    static boolean none(int[][] pads) {
        for (int[] p : pads) {
            if (p[0] != 0 || p[1] != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Pads the spatial axes of a batch (N, C, spatial...) with {@code value}, {@code pads[i]} =
     * {before, after} for spatial axis i, by concatenating constant blocks (same numbers and
     * gradients on every engine; DJL's {@code pad} is not the same operation on each).
     */
    static NDArray pad(NDArray x, int[][] pads, double value) {
        NDArray out = x;
        for (int i = 0; i < pads.length; i++) {
            int axis = i + 2;
            if (pads[i][0] == 0 && pads[i][1] == 0) {
                continue;
            }
            NDList parts = new NDList();
            if (pads[i][0] > 0) {
                parts.add(block(out, axis, pads[i][0], value));
            }
            parts.add(out);
            if (pads[i][1] > 0) {
                parts.add(block(out, axis, pads[i][1], value));
            }
            out = NDArrays.concat(parts, axis);
        }
        return out;
    }

    private static NDArray block(NDArray like, int axis, int size, double value) {
        long[] s = like.getShape().getShape().clone();
        s[axis] = size;
        return like.getManager().full(new Shape(s), (float) value, like.getDataType());
    }

    /** The batch shape after {@link #pad}. */
    static Shape paddedShape(Shape s, int[][] pads) {
        long[] d = s.getShape().clone();
        for (int i = 0; i < pads.length; i++) {
            d[i + 2] += pads[i][0] + pads[i][1];
        }
        return new Shape(d);
    }

    /**
     * The mean over several axes, kept as size 1, one axis at a time (a reduction over several axes
     * at once is refused by one engine: "Only 1 axis is support!").
     */
    static NDArray mean(NDArray x, int[] axes) {
        NDArray out = x;
        for (int a : axes) {
            out = out.mean(new int[] {a}, true);
        }
        return out;
    }

    /** The maximum over several axes, kept as size 1, one axis at a time. */
    static NDArray max(NDArray x, int[] axes) {
        NDArray out = x;
        for (int a : axes) {
            out = out.max(new int[] {a}, true);
        }
        return out;
    }

    /** A DJL shape from a list. */
    static Shape shape(List<Integer> v) {
        return new Shape(v.stream().mapToLong(Integer::longValue).toArray());
    }

    /** A DJL shape of {@code n} copies of {@code v}. */
    static Shape shape(long v, int n) {
        long[] d = new long[n];
        Arrays.fill(d, v);
        return new Shape(d);
    }
}
