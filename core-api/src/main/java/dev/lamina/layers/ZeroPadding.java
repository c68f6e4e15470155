package dev.lamina.layers;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code ZeroPadding1D} and {@code ZeroPadding2D}: zeros added around each channel's
 * sequence or image, {@code pads.get(i) = [before, after]} for spatial axis {@code i} (length;
 * or height, width). Written as Keras writes it: {@code padding: 3} (3 everywhere), {@code
 * [1, 2]} (1 before and after the first axis, 2 around the second; for 1-D: 1 before, 2 after),
 * or {@code [[1, 2], [3, 4]]} (2-D: top, bottom, left, right). Keras's default is 1. No weights.
 *
 * <p>Keras's ResNet50 pads its stem this way ({@code conv1_pad} by 3 before a {@code valid} 7×7
 * stride-2 convolution, {@code pool1_pad} by 1 before the max pooling), which is not what
 * {@code same} padding does with a stride of 2 (that puts the odd zero at the end only): the
 * windows start one pixel apart, so imported weights need the explicit padding to give Keras's
 * numbers.
 */
public record ZeroPadding(int rank, List<List<Integer>> pads) implements LayerSpec {
    public static final String TYPE_1D = "zero_padding1d";
    public static final String TYPE_2D = "zero_padding2d";

    public ZeroPadding {
        if (rank != 1 && rank != 2) {
            throw new IllegalArgumentException("zero padding is 1-D or 2-D, not " + rank + "-D");
        }
        String type = rank == 1 ? TYPE_1D : TYPE_2D;
        if (pads == null || pads.size() != rank) {
            throw new SpecException(type, "padding", "expected " + rank + " pairs [before, after],"
                    + " received " + pads);
        }
        List<List<Integer>> copy = new ArrayList<>();
        for (List<Integer> p : pads) {
            if (p == null || p.size() != 2 || p.get(0) == null || p.get(1) == null
                    || p.get(0) < 0 || p.get(1) < 0) {
                throw new SpecException(type, "padding", "expected zeros to add, each a number 0"
                        + " or more, such as 1, [1, 2] or " + (rank == 1 ? "[1, 2]"
                        : "[[1, 2], [3, 4]]") + ", received padding=" + pads);
            }
            copy.add(List.copyOf(p));
        }
        pads = List.copyOf(copy);
    }

    /** The same number of zeros on every side: {@code ZeroPadding.of2d(3)}. */
    public static ZeroPadding of2d(int pad) {
        return new ZeroPadding(2, List.of(List.of(pad, pad), List.of(pad, pad)));
    }

    /** {@code before} zeros at the start of a sequence and {@code after} at its end. */
    public static ZeroPadding of1d(int before, int after) {
        return new ZeroPadding(1, List.of(List.of(before, after)));
    }

    @Override
    public String type() {
        return rank == 1 ? TYPE_1D : TYPE_2D;
    }

    private int[][] array() {
        int[][] p = new int[rank][2];
        for (int i = 0; i < rank; i++) {
            p[i][0] = pads.get(i).get(0);
            p[i][1] = pads.get(i).get(1);
        }
        return p;
    }

    @Override
    public Shape outputShape(Shape in) {
        Spatial.requireRank(in, rank, rank == 1 ? "sequences (channels, length)"
                : "images (channels, height, width)");
        Shape batched = new Shape(1).addAll(in);
        return Spatial.paddedShape(batched, array()).slice(1);
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        Shape out = outputShape(input);
        int[][] p = array();
        return new FnBlock((l, training) -> new NDList(Spatial.pad(l.singletonOrThrow(), p, 0)),
                s -> new Shape[] {new Shape(s[0].get(0)).addAll(out)});
    }

    @Override
    public Map<String, Object> config() {
        boolean same = true;
        boolean symmetric = true;
        for (List<Integer> p : pads) {
            same &= p.get(0).equals(pads.get(0).get(0)) && p.get(1).equals(pads.get(0).get(0));
            symmetric &= p.get(0).equals(p.get(1));
        }
        if (same) {
            return Map.of("padding", pads.get(0).get(0));
        }
        if (rank == 1) {
            return Map.of("padding", pads.get(0));
        }
        if (symmetric) {
            return Map.of("padding", List.of(pads.get(0).get(0), pads.get(1).get(0)));
        }
        return Map.of("padding", pads);
    }

    /** Reads {@code padding} (default 1) as Keras's {@code ZeroPadding1D} or {@code 2D} does. */
    public static ZeroPadding fromMap(int rank, SpecMap m) {
        ConfigNode v = m.get("padding");
        String type = rank == 1 ? TYPE_1D : TYPE_2D;
        if (v == null) {
            return new ZeroPadding(rank, repeat(List.of(1, 1), rank));
        }
        if (!v.isList()) {
            int n = v.asInt();
            return new ZeroPadding(rank, repeat(List.of(n, n), rank));
        }
        List<ConfigNode> items = v.asList();
        if (rank == 1) {
            if (items.size() != 2 || items.get(0).isList()) {
                throw v.error("'" + type + "' padding is a number or [before, after], such as"
                        + " [1, 2]");
            }
            return new ZeroPadding(1, List.of(List.of(items.get(0).asInt(), items.get(1).asInt())));
        }
        if (items.size() != 2) {
            throw v.error("'" + type + "' padding is a number, [height, width] or [[top, bottom],"
                    + " [left, right]], such as [[1, 2], [3, 4]]; received " + items.size()
                    + " items");
        }
        List<List<Integer>> pads = new ArrayList<>();
        for (ConfigNode item : items) {
            if (item.isList()) {
                int[] pair = SpecMap.ints(item, 2);
                pads.add(List.of(pair[0], pair[1]));
            } else {
                pads.add(List.of(item.asInt(), item.asInt()));
            }
        }
        return new ZeroPadding(2, pads);
    }

    private static List<List<Integer>> repeat(List<Integer> pair, int n) {
        List<List<Integer>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(pair);
        }
        return out;
    }
}
