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
import dev.lamina.initializers.InitializerSpec;
import dev.lamina.initializers.Initializers;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.Arrays;
import java.util.Map;

/**
 * Group normalisation (Wu and He, 2018), Keras 3's GroupNormalization: the channels are split into
 * {@code groups} groups of consecutive channels, and each sample is normalised per group,
 * {@code y = (x − mean) / sqrt(var + epsilon) · gamma + beta}, mean and (biased) variance taken over
 * the group's channels and every other axis of the sample; the same in training and inference.
 * {@code gamma} and {@code beta} are per channel.
 *
 * <p>{@code axis} is the channel axis and counts the batch axis as 0, as Keras (and
 * {@code batch_norm}) do. Keras's default −1 is the channel axis of its channels-last images;
 * Lamina's images are channels-first, (channels, ...) per sample, so the default here is axis 1:
 * axis 0 of the per-sample shape. {@code groups: -1} makes one group per channel (instance
 * normalisation), {@code groups} equal to 1 one group for the whole sample (layer normalisation
 * over every axis). The channels must be a multiple of {@code groups}.
 *
 * <p>Input and output: (channels, ...). Parameters, each of shape (channels): {@code gamma} (when
 * {@code scale}, starts 1) and {@code beta} (when {@code center}, starts 0); none is moving, so
 * there are 2·channels parameters by default, as in Keras. Keras defaults: groups 32, epsilon
 * 0.001, center and scale.
 */
public record GroupNorm(int groups, int axis, double epsilon, boolean center, boolean scale,
        InitializerSpec betaInitializer, InitializerSpec gammaInitializer) implements LayerSpec {
    public static final String TYPE = "group_norm";

    public GroupNorm {
        if (groups == 0 || groups < -1) {
            throw new SpecException(TYPE, "groups", "expected a positive number of groups, or -1"
                    + " for one group per channel (instance normalisation), received groups="
                    + groups);
        }
        if (axis == 0) {
            throw new SpecException(TYPE, "axis",
                    "expected a non-batch axis (1 is the channels), received axis=0");
        }
        if (!(epsilon > 0)) {
            throw new SpecException(TYPE, "epsilon",
                    "expected a positive number, received epsilon=" + epsilon);
        }
        betaInitializer = betaInitializer == null ? Constant.ZEROS : betaInitializer;
        gammaInitializer = gammaInitializer == null ? Constant.ONES : gammaInitializer;
    }

    /** Keras defaults (32 groups) on Lamina's channel axis, 1. */
    public GroupNorm() {
        this(32);
    }

    /** {@code groups} groups, otherwise defaults. */
    public GroupNorm(int groups) {
        this(groups, 1, 1e-3, true, true, null, null);
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** The channel axis of a batch of {@code in} (batch axis 0), or a ShapeException. */
    int resolvedAxis(Shape in) {
        int a = BatchNorm.axisOf(axis, in);
        long channels = in.get(a - 1);
        if (groups > 0 && channels % groups != 0) {
            throw new ShapeException("group_norm: " + channels + " channels (axis " + axis
                    + " of input " + in + ") cannot be split into " + groups + " groups; the"
                    + " channels must be a multiple of groups: set groups to a divisor of "
                    + channels + ", or -1 for one group per channel");
        }
        return a;
    }

    @Override
    public Shape outputShape(Shape in) {
        resolvedAxis(in);
        return in;
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        int a = resolvedAxis(input);
        long channels = input.get(a - 1);
        return new NormBlock(this, ctx, input.dimension() + 1, a, channels,
                groups == -1 ? channels : groups);
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("groups", groups, "axis", axis, "epsilon", epsilon, "center", center,
                "scale", scale, "beta_initializer", betaInitializer.toMap(),
                "gamma_initializer", gammaInitializer.toMap());
    }

    /** Reads the settings written by {@link #config()} (Keras names and defaults, axis 1). */
    public static GroupNorm fromMap(SpecMap m) {
        return new GroupNorm(m.getInt("groups", 32), m.getInt("axis", 1),
                m.getDouble("epsilon", 1e-3), m.getBoolean("center", true),
                m.getBoolean("scale", true), Initializers.parse(m.get("beta_initializer"), null),
                Initializers.parse(m.get("gamma_initializer"), null));
    }

    /** The block, from basic NDArray operations. */
    static final class NormBlock extends AbstractBlock {
        private final double epsilon;
        private final int axis;
        private final long channels;
        private final long groups;
        private final Shape broadcast;
        private final Parameter gamma;
        private final Parameter beta;

        NormBlock(GroupNorm spec, BuildContext ctx, int rank, int axis, long channels,
                long groups) {
            super((byte) 1);
            this.epsilon = spec.epsilon();
            this.axis = axis;
            this.channels = channels;
            this.groups = groups;
            long[] b = new long[rank];
            Arrays.fill(b, 1);
            b[axis] = channels;
            this.broadcast = new Shape(b);
            Shape s = new Shape(channels);
            gamma = spec.scale() ? addParameter(Parameter.builder().setName("gamma")
                    .setType(Parameter.Type.GAMMA).optShape(s)
                    .optInitializer(spec.gammaInitializer().toDjl(ctx.random())).build()) : null;
            beta = spec.center() ? addParameter(Parameter.builder().setName("beta")
                    .setType(Parameter.Type.BETA).optShape(s)
                    .optInitializer(spec.betaInitializer().toDjl(ctx.random())).build()) : null;
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            Shape shape = x.getShape();
            // (batch, ..., channels, ...) -> (batch, ..., groups, channels / groups, ...)
            long[] d = shape.getShape();
            long[] g = new long[d.length + 1];
            System.arraycopy(d, 0, g, 0, axis);
            g[axis] = groups;
            g[axis + 1] = channels / groups;
            System.arraycopy(d, axis + 1, g, axis + 2, d.length - axis - 1);
            NDArray xg = x.reshape(new Shape(g));
            int[] reduce = new int[g.length - 2]; // every axis but the batch and the group
            for (int i = 1, j = 0; i < g.length; i++) {
                if (i != axis) {
                    reduce[j++] = i;
                }
            }
            NDArray mean = Spatial.mean(xg, reduce);
            NDArray centred = xg.sub(mean);
            NDArray var = Spatial.mean(centred.square(), reduce);
            NDArray y = centred.div(var.add((float) epsilon).sqrt()).reshape(shape);
            if (gamma != null) {
                y = y.mul(ps.getValue(gamma, x.getDevice(), training).reshape(broadcast));
            }
            if (beta != null) {
                y = y.add(ps.getValue(beta, x.getDevice(), training).reshape(broadcast));
            }
            return new NDList(y);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }
}
