package dev.lamina.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.StepSeeds;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * The block of an augmentation layer: a function of one input that draws its random parameters
 * (flip or not, angle, shift, noise, ...) from its own {@link java.util.Random}, reseeded for each
 * training batch from a salt drawn at build time and the update's seed ({@link StepSeeds}: the
 * fit's seed and the update's number, so a resumed run draws what the stopped one would have);
 * the salt comes from the layer's generator ({@code BuildContext.random()}, itself seeded by the model's
 * seed). So a seeded model draws the same parameters on PyTorch and MXNet, and again on the next
 * run; the engines' own generators differ.
 *
 * <p>In training it applies {@code train}; in inference {@code infer} (the identity for all but
 * {@code random_crop}).
 *
 * <p>Tests may fix the draws: {@link #fixUniforms} and {@link #fixGaussians} make the next draws
 * return the given values in turn (cycling), instead of the generator's.
 */
final class AugmentBlock extends AbstractBlock {
    private final Random random = new Random();
    private final StepSeeds steps;
    private final long salt;
    private final BiFunction<NDArray, AugmentBlock, NDArray> train;
    private final BiFunction<NDArray, AugmentBlock, NDArray> infer;
    private final UnaryOperator<Shape> shape;
    private double[] uniforms;
    private double[] gaussians;
    private int nextUniform;
    private int nextGaussian;

    /**
     * {@code train} and {@code infer} map a batch to its output, drawing through this block;
     * {@code shape} maps the input shape (with batch) to the output's.
     */
    AugmentBlock(BuildContext ctx, BiFunction<NDArray, AugmentBlock, NDArray> train,
            BiFunction<NDArray, AugmentBlock, NDArray> infer, UnaryOperator<Shape> shape) {
        super((byte) 1);
        this.salt = ctx.random().nextLong();
        this.steps = ctx.steps();
        this.train = train;
        this.infer = infer;
        this.shape = shape;
    }

    /** A shape-preserving layer that is the identity in inference. */
    AugmentBlock(BuildContext ctx, BiFunction<NDArray, AugmentBlock, NDArray> train) {
        this(ctx, train, (x, d) -> x, s -> s);
    }

    /** A draw from uniform[lo, hi): lo + u·(hi − lo), as Keras's {@code random.uniform}. */
    double uniform(double lo, double hi) {
        double u = uniforms != null ? uniforms[nextUniform++ % uniforms.length]
                : random.nextDouble();
        return lo + u * (hi - lo);
    }

    /** A draw from the standard normal distribution. */
    double gaussian() {
        return gaussians != null ? gaussians[nextGaussian++ % gaussians.length]
                : random.nextGaussian();
    }

    /** Tests: the next uniform draws are {@code u} (in [0, 1]), in turn. */
    AugmentBlock fixUniforms(double... u) {
        this.uniforms = u.clone();
        this.nextUniform = 0;
        return this;
    }

    /** Tests: the next normal draws are {@code g}, in turn. */
    AugmentBlock fixGaussians(double... g) {
        this.gaussians = g.clone();
        this.nextGaussian = 0;
        return this;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (training) { // this batch's draws: from the update's seed, whatever came before
            random.setSeed(seedFor(salt, steps.next()));
        }
        return new NDList((training ? train : infer).apply(x, this));
    }

    /** The seed of a block's draws for one batch: its own salt and the update's draw seed. */
    static long seedFor(long salt, long stepSeed) {
        return StepSeeds.mix(salt, stepSeed);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {shape.apply(inputShapes[0])};
    }
}
