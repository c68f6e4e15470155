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
import dev.lamina.spec.MaskRule;
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.Map;

/**
 * Layer normalisation (Ba, Kiros and Hinton, 2016) over the last axis of each sample:
 * {@code y = (x − mean) / sqrt(var + epsilon) · gamma + beta}, mean and (biased) variance taken
 * over the last axis, the same in training and inference.
 *
 * <p>Input and output: (..., features). Parameters {@code gamma} (when {@code scale}, starts 1) and
 * {@code beta} (when {@code center}, starts 0), each of shape (features). Keras defaults: epsilon
 * 0.001, center and scale, no rms_scaling.
 *
 * <p>{@code rms_scaling} does what Keras 3's LayerNormalization does with it (Keras deprecates it,
 * since it divides by the standard deviation, not by the root mean square):
 * {@code y = x / sqrt(var + epsilon) · gamma}, with {@code var} the biased variance about the mean
 * but {@code x} NOT centred, and no {@code beta}. As in Keras, {@code gamma} is then always made
 * (whatever {@code scale} says) and {@code beta} never is (whatever {@code center} says). For true
 * RMS normalisation use {@code rms_norm}.
 */
public record LayerNorm(double epsilon, boolean center, boolean scale, boolean rmsScaling,
        InitializerSpec betaInitializer, InitializerSpec gammaInitializer) implements LayerSpec {
    public static final String TYPE = "layer_norm";

    public LayerNorm {
        if (!(epsilon > 0)) {
            throw new SpecException(TYPE, "epsilon",
                    "expected a positive number, received epsilon=" + epsilon);
        }
        betaInitializer = betaInitializer == null ? Constant.ZEROS : betaInitializer;
        gammaInitializer = gammaInitializer == null ? Constant.ONES : gammaInitializer;
    }

    /** Keras defaults. */
    public LayerNorm() {
        this(1e-3, true, true, false, null, null);
    }

    /** Without rms_scaling. */
    public LayerNorm(double epsilon, boolean center, boolean scale, InitializerSpec betaInitializer,
            InitializerSpec gammaInitializer) {
        this(epsilon, center, scale, false, betaInitializer, gammaInitializer);
    }

    /** True when the layer has {@code gamma}: {@code scale} or {@code rms_scaling}, as in Keras. */
    public boolean hasGamma() {
        return scale || rmsScaling;
    }

    /** True when the layer has {@code beta}: {@code center} and not {@code rms_scaling}, as in Keras. */
    public boolean hasBeta() {
        return center && !rmsScaling;
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

    @Override
    public Shape outputShape(Shape in) {
        if (in.dimension() < 1 || in.get(in.dimension() - 1) <= 0) {
            throw new ShapeException("expected (features) or (..., features), got " + in);
        }
        return in;
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        outputShape(input);
        return new NormBlock(this, ctx, input.get(input.dimension() - 1));
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("epsilon", epsilon, "center", center, "scale", scale,
                "rms_scaling", rmsScaling, "beta_initializer", betaInitializer.toMap(),
                "gamma_initializer", gammaInitializer.toMap());
    }

    /** Reads the settings written by {@link #config()} (Keras names and defaults). */
    public static LayerNorm fromMap(SpecMap m) {
        return new LayerNorm(m.getDouble("epsilon", 1e-3), m.getBoolean("center", true),
                m.getBoolean("scale", true), m.getBoolean("rms_scaling", false),
                Initializers.parse(m.get("beta_initializer"), null),
                Initializers.parse(m.get("gamma_initializer"), null));
    }

    /** The block, from basic NDArray operations. */
    static final class NormBlock extends AbstractBlock {
        private final double epsilon;
        private final boolean rmsScaling;
        private final Parameter gamma;
        private final Parameter beta;

        NormBlock(LayerNorm spec, BuildContext ctx, long features) {
            super((byte) 1);
            this.epsilon = spec.epsilon();
            this.rmsScaling = spec.rmsScaling();
            Shape s = new Shape(features);
            gamma = spec.hasGamma() ? addParameter(Parameter.builder().setName("gamma")
                    .setType(Parameter.Type.GAMMA).optShape(s)
                    .optInitializer(spec.gammaInitializer().toDjl(ctx.random())).build()) : null;
            beta = spec.hasBeta() ? addParameter(Parameter.builder().setName("beta")
                    .setType(Parameter.Type.BETA).optShape(s)
                    .optInitializer(spec.betaInitializer().toDjl(ctx.random())).build()) : null;
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            int last = x.getShape().dimension() - 1;
            NDArray mean = x.mean(new int[] {last}, true);
            NDArray var = x.sub(mean).square().mean(new int[] {last}, true);
            // rms_scaling divides x itself (not x − mean) by the standard deviation, as Keras does
            NDArray y = (rmsScaling ? x : x.sub(mean)).div(var.add((float) epsilon).sqrt());
            if (gamma != null) {
                y = y.mul(ps.getValue(gamma, x.getDevice(), training));
            }
            if (beta != null) {
                y = y.add(ps.getValue(beta, x.getDevice(), training));
            }
            return new NDList(y);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }
}
