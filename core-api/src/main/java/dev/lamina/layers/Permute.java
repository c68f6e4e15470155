package dev.lamina.layers;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code Permute}: reorders the axes of each sample, {@code y.shape[i] = x.shape[dims[i]]},
 * with dims counted from 1 (the batch axis, 0, stays first). {@code dims: [2, 1]} turns a
 * sequence (time, features) into (features, time), e.g. ahead of {@code global_avg_pool}, which
 * averages over the axes after the first (Keras's {@code GlobalAveragePooling1D} over time).
 * No weights.
 */
public record Permute(List<Integer> dims) implements LayerSpec {
    public static final String TYPE = "permute";

    public Permute {
        int[] sorted = dims == null ? new int[0]
                : dims.stream().mapToInt(d -> d == null ? 0 : d).sorted().toArray();
        boolean ok = sorted.length > 0;
        for (int i = 0; ok && i < sorted.length; i++) {
            ok = sorted[i] == i + 1;
        }
        if (!ok) {
            throw new SpecException(TYPE, "dims", "expected a permutation of 1.." + Math.max(1,
                    sorted.length) + " (axes counted from 1, the batch is 0), received dims="
                    + dims);
        }
        dims = List.copyOf(dims);
    }

    /** {@code new Permute(2, 1)}. */
    public Permute(int... dims) {
        this(Arrays.stream(dims).boxed().toList());
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.dimension() != dims.size()) {
            throw new ShapeException("dims " + dims + " reorder " + dims.size() + " axes, but the"
                    + " input " + in + " has " + in.dimension());
        }
        long[] out = new long[dims.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = in.get(dims.get(i) - 1);
        }
        return new Shape(out);
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        Shape out = outputShape(input);
        int[] axes = new int[dims.size() + 1];
        for (int i = 0; i < dims.size(); i++) {
            axes[i + 1] = dims.get(i);
        }
        return new FnBlock((l, training) -> new NDList(l.singletonOrThrow().transpose(axes)),
                s -> new Shape[] {new Shape(s[0].get(0)).addAll(out)});
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("dims", dims);
    }

    /** Reads {@code dims} (required, as in Keras). */
    public static Permute fromMap(SpecMap m) {
        return new Permute(m.require("dims").asList().stream()
                .map(dev.lamina.spec.ConfigNode::asInt).toList());
    }
}
