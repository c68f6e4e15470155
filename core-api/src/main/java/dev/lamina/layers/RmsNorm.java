package dev.lamina.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.lamina.initializers.Constant;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.MaskRule;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.Arrays;
import java.util.Map;

/**
 * Root-mean-square normalisation (Zhang and Sennrich, 2019), Keras 3's RMSNormalization:
 * {@code y = x · rsqrt(mean(x², axis) + epsilon) · scale}, the mean taken over {@code axis} of each
 * sample, nothing subtracted, the same in training and inference.
 *
 * <p>{@code axis} counts the batch axis as 0, as Keras (and {@code batch_norm}) do; the default −1
 * is the last axis, the features of a (..., features) input (Keras's default too, where images
 * are channels-last; Lamina's are channels-first, so −1 is an image's width: name axis 1 for its
 * channels). Input and output: any shape with that axis. One parameter, {@code scale}, of shape
 * (size of the axis), starting at 1: {@code features} parameters, as in Keras. Keras defaults:
 * axis −1, epsilon 1e-6.
 */
public record RmsNorm(int axis, double epsilon) implements LayerSpec {
    public static final String TYPE = "rms_norm";

    public RmsNorm {
        if (axis == 0) {
            throw new SpecException(TYPE, "axis",
                    "expected a non-batch axis (-1 is the last), received axis=0");
        }
        if (!(epsilon > 0)) {
            throw new SpecException(TYPE, "epsilon",
                    "expected a positive number, received epsilon=" + epsilon);
        }
    }

    /** Keras defaults: the last axis, epsilon 1e-6. */
    public RmsNorm() {
        this(-1, 1e-6);
    }

    /** The mask over time steps passes on (each step is scaled alone), as in Keras. */
    @Override
    public MaskRule masking() {
        return MaskRule.PASSES;
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** The normalised axis of a batch of {@code in} (batch axis 0), or a {@code ShapeException}. */
    int resolvedAxis(Shape in) {
        return BatchNorm.axisOf(axis, in);
    }

    @Override
    public Shape outputShape(Shape in) {
        resolvedAxis(in);
        return in;
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        int a = resolvedAxis(input);
        return new NormBlock(ctx, epsilon, input.dimension() + 1, a, input.get(a - 1));
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("axis", axis, "epsilon", epsilon);
    }

    /** Reads the settings written by {@link #config()} (Keras names and defaults). */
    public static RmsNorm fromMap(SpecMap m) {
        return new RmsNorm(m.getInt("axis", -1), m.getDouble("epsilon", 1e-6));
    }

    /** The block, from basic NDArray operations. */
    static final class NormBlock extends AbstractBlock {
        private final double epsilon;
        private final int axis;
        private final Shape broadcast;
        private final Parameter scale;

        NormBlock(BuildContext ctx, double epsilon, int rank, int axis, long size) {
            super((byte) 1);
            this.epsilon = epsilon;
            this.axis = axis;
            long[] b = new long[rank];
            Arrays.fill(b, 1);
            b[axis] = size;
            this.broadcast = new Shape(b);
            scale = addParameter(Parameter.builder().setName("scale")
                    .setType(Parameter.Type.GAMMA).optShape(new Shape(size))
                    .optInitializer(Constant.ONES.toDjl(ctx.random())).build());
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            NDArray meanSquare = x.square().mean(new int[] {axis}, true);
            NDArray y = x.div(meanSquare.add((float) epsilon).sqrt());
            return new NDList(y.mul(ps.getValue(scale, x.getDevice(), training).reshape(broadcast)));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }
}
