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
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.Arrays;
import java.util.Map;

/**
 * Keras's {@code Masking}: a time step whose features all equal {@code mask_value} (default 0) is
 * masked for the layers after (recurrent layers keep their state over it, attention ignores it,
 * {@code global_avg_pool} with {@code channels_last} leaves it out of the mean; see
 * {@link MaskRule}); the output is the input with masked steps set to zero, as Keras's.
 *
 * <p>Input (time, features...) per sample; output the same shape, and a mask (time).
 */
public record Masking(double maskValue) implements LayerSpec {
    public static final String TYPE = "masking";

    public Masking {
        if (!Double.isFinite(maskValue)) {
            throw new SpecException(TYPE, "mask_value",
                    "expected a finite number, received mask_value=" + maskValue);
        }
    }

    /** Keras's default: steps of zeros are masked. */
    public Masking() {
        this(0);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.dimension() < 2) {
            throw new ShapeException("expected (time, features) per sample, got " + in);
        }
        return in;
    }

    @Override
    public MaskRule masking() {
        return MaskRule.MAKES;
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        outputShape(input);
        float value = (float) maskValue;
        return new FnBlock((l, training) -> {
            NDArray x = l.get(0);
            long b = x.getShape().get(0);
            long t = x.getShape().get(1);
            // a step is kept when any of its features differs from the mask value
            NDArray keep = x.reshape(b, t, -1).neq(value).toType(x.getDataType(), false)
                    .max(new int[] {2});
            return new NDList(x.mul(keep.reshape(ones(b, t, x.getShape().dimension()))), keep);
        }, s -> new Shape[] {s[0], new Shape(s[0].get(0), s[0].get(1))});
    }

    /** (b, t, 1, 1, ...) for a tensor of {@code rank} axes. */
    private static Shape ones(long b, long t, int rank) {
        long[] d = new long[rank];
        Arrays.fill(d, 1L);
        d[0] = b;
        d[1] = t;
        return new Shape(d);
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("mask_value", maskValue);
    }

    /** Reads {@code mask_value} (default 0). */
    public static Masking fromMap(SpecMap m) {
        return new Masking(m.getDouble("mask_value", 0));
    }
}
