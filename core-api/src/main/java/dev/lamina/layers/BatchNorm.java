package dev.lamina.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import dev.lamina.initializers.Constant;
import dev.lamina.initializers.InitializerSpec;
import dev.lamina.initializers.Initializers;
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
 * Batch normalisation (Ioffe and Szegedy, 2015), with Keras's numbers on every engine:
 * {@code y = (x − mean) / sqrt(var + epsilon) · gamma + beta} per channel.
 *
 * <p>In training, mean and variance are the batch's (the variance BIASED, divided by n, as Keras
 * does) over every axis but {@code axis}, and the moving statistics move toward them:
 * {@code moving = momentum · moving + (1 − momentum) · batch}. At inference the moving statistics
 * are used. {@code axis} counts the batch axis as 0, as Keras does; the default 1 is the channel
 * axis of a (channels, ...) input and the feature axis of a (features) input.
 *
 * <p>Input and output: (channels, ...) or (features). Parameters, each of shape (channels):
 * {@code gamma} (when {@code scale}) and {@code beta} (when {@code center}) are trained;
 * {@code moving_mean} (starts 0) and {@code moving_variance} (starts 1) are not. DJL's own
 * BatchNorm is not used: its engines disagree on the running variance (n against n − 1).
 */
public record BatchNorm(int axis, double momentum, double epsilon, boolean center, boolean scale,
        InitializerSpec betaInitializer, InitializerSpec gammaInitializer,
        InitializerSpec movingMeanInitializer, InitializerSpec movingVarianceInitializer)
        implements LayerSpec {
    public static final String TYPE = "batch_norm";

    public BatchNorm {
        if (axis == 0) {
            throw new SpecException(TYPE, "axis",
                    "expected a non-batch axis (1 is the channels), received axis=0");
        }
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new SpecException(TYPE, "momentum",
                    "expected a number in [0, 1], received momentum=" + momentum);
        }
        if (!(epsilon > 0)) {
            throw new SpecException(TYPE, "epsilon",
                    "expected a positive number, received epsilon=" + epsilon);
        }
        betaInitializer = betaInitializer == null ? Constant.ZEROS : betaInitializer;
        gammaInitializer = gammaInitializer == null ? Constant.ONES : gammaInitializer;
        movingMeanInitializer = movingMeanInitializer == null ? Constant.ZEROS
                : movingMeanInitializer;
        movingVarianceInitializer = movingVarianceInitializer == null ? Constant.ONES
                : movingVarianceInitializer;
    }

    /** Keras defaults on the channel axis: momentum 0.99, epsilon 0.001, center and scale. */
    public BatchNorm() {
        this(1, 0.99, 1e-3, true, true, null, null, null, null);
    }

    /** The given momentum and epsilon, otherwise defaults. */
    public BatchNorm(double momentum, double epsilon) {
        this(1, momentum, epsilon, true, true, null, null, null, null);
    }

    /** The mask over time steps passes on (the layer acts on each step alone), as in Keras. */
    @Override
    public MaskRule masking() {
        return MaskRule.PASSES;
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** The normalised axis of a batch of {@code in} (batch axis 0), or a ShapeException. */
    int resolvedAxis(Shape in) {
        return axisOf(axis, in);
    }

    /**
     * Axis {@code axis} (Keras's, counting the batch axis as 0; negative from the end) of a batch
     * of per-sample shape {@code in}, as a non-negative index, or a ShapeException; the norms share
     * it.
     */
    static int axisOf(int axis, Shape in) {
        int rank = in.dimension() + 1;
        int a = axis < 0 ? axis + rank : axis;
        if (in.dimension() < 1 || a < 1 || a >= rank) {
            throw new ShapeException("axis=" + axis + " does not fit input " + in + " (with the"
                    + " batch axis in front, expected axis 1.." + (rank - 1) + " or -"
                    + (rank - 1) + "..-1)");
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
        return new NormBlock(this, ctx, input.dimension() + 1, resolvedAxis(input));
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("axis", axis, "momentum", momentum, "epsilon", epsilon,
                "center", center, "scale", scale, "beta_initializer", betaInitializer.toMap(),
                "gamma_initializer", gammaInitializer.toMap(),
                "moving_mean_initializer", movingMeanInitializer.toMap(),
                "moving_variance_initializer", movingVarianceInitializer.toMap());
    }

    /** Reads the settings written by {@link #config()} (Keras names and defaults, axis 1). */
    public static BatchNorm fromMap(SpecMap m) {
        return new BatchNorm(m.getInt("axis", 1), m.getDouble("momentum", 0.99),
                m.getDouble("epsilon", 1e-3), m.getBoolean("center", true),
                m.getBoolean("scale", true),
                Initializers.parse(m.get("beta_initializer"), null),
                Initializers.parse(m.get("gamma_initializer"), null),
                Initializers.parse(m.get("moving_mean_initializer"), null),
                Initializers.parse(m.get("moving_variance_initializer"), null));
    }

    /** The block: basic NDArray operations only, so both engines compute the same thing. */
    static final class NormBlock extends AbstractBlock {
        private final BatchNorm spec;
        private final int rank;
        private final int axis;
        private final Parameter gamma;
        private final Parameter beta;
        private final Parameter movingMean;
        private final Parameter movingVariance;

        NormBlock(BatchNorm spec, BuildContext ctx, int rank, int axis) {
            super((byte) 1);
            this.spec = spec;
            this.rank = rank;
            this.axis = axis;
            gamma = spec.scale() ? addParameter(param("gamma", Parameter.Type.GAMMA,
                    spec.gammaInitializer().toDjl(ctx.random()), true)) : null;
            beta = spec.center() ? addParameter(param("beta", Parameter.Type.BETA,
                    spec.betaInitializer().toDjl(ctx.random()), true)) : null;
            movingMean = addParameter(param("moving_mean", Parameter.Type.RUNNING_MEAN,
                    spec.movingMeanInitializer().toDjl(ctx.random()), false));
            movingVariance = addParameter(param("moving_variance", Parameter.Type.RUNNING_VAR,
                    spec.movingVarianceInitializer().toDjl(ctx.random()), false));
        }

        private static Parameter param(String name, Parameter.Type type,
                Initializer init, boolean trained) {
            return Parameter.builder().setName(name).setType(type).optInitializer(init)
                    .optRequiresGrad(trained).build();
        }

        @Override
        public void prepare(Shape[] inputShapes) {
            Shape c = new Shape(inputShapes[0].get(axis));
            for (Parameter p : getDirectParameters().values()) {
                p.setShape(c);
            }
        }

        /**
         * A frozen batch norm (its scale or shift frozen, as {@code setTrainable(name, false)} does)
         * normalises with its moving statistics and stops updating them, as Keras does.
         */
        private boolean frozen() {
            return (gamma != null && !gamma.requiresGradient())
                    || (beta != null && !beta.requiresGradient());
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            long[] b = new long[rank];
            Arrays.fill(b, 1);
            b[axis] = x.getShape().get(axis);
            Shape bshape = new Shape(b);
            int[] reduce = new int[rank - 1];
            for (int i = 0, j = 0; i < rank; i++) {
                if (i != axis) {
                    reduce[j++] = i;
                }
            }
            NDArray mean;
            NDArray var;
            if (training && !frozen()) {
                mean = Spatial.mean(x, reduce);
                var = Spatial.mean(x.sub(mean).square(), reduce);
                float mom = (float) spec.momentum();
                // the moving statistics are not trained: update them in place, cut from the graph
                movingMean.getArray().muli(mom)
                        .addi(mean.stopGradient().reshape(b[axis]).mul(1 - mom));
                movingVariance.getArray().muli(mom)
                        .addi(var.stopGradient().reshape(b[axis]).mul(1 - mom));
            } else {
                mean = ps.getValue(movingMean, x.getDevice(), false).reshape(bshape);
                var = ps.getValue(movingVariance, x.getDevice(), false).reshape(bshape);
            }
            NDArray y = x.sub(mean).div(var.add((float) spec.epsilon()).sqrt());
            if (gamma != null) {
                y = y.mul(ps.getValue(gamma, x.getDevice(), training).reshape(bshape));
            }
            if (beta != null) {
                y = y.add(ps.getValue(beta, x.getDevice(), training).reshape(bshape));
            }
            return new NDList(y);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }
}
