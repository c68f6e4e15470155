package dev.lamina.models.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import dev.lamina.initializers.Constant;
import dev.lamina.initializers.InitializerSpec;
import dev.lamina.spec.BuildContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The block behind {@link Rbm}, {@link Dbn} and {@link StackedAutoencoder}: a stack of sigmoid
 * dense layers, {@code x ← sigmoid(x·Wᵢᵀ + cᵢ)}, which is the up pass of a stack of RBMs (each
 * RBM's weight and hidden bias become a sigmoid dense layer) and the encoder of a stack of
 * autoencoders. Each layer also holds the visible bias {@code bᵢ} its pretraining learnt (the
 * RBM's, or the tied-weight decoder's); the forward pass does not use it, so it is built without
 * a gradient and fine-tuning leaves it as pretraining left it, ready for sampling.
 *
 * <p>Parameters of layer {@code i} (from 1, prefix {@code rbm}/{@code ae}; a lone RBM has no
 * prefix): {@code <prefix>i_weight} (units, in), {@code <prefix>i_bias} (units), {@code
 * <prefix>i_visible_bias} (in).
 */
final class StackBlock extends AbstractBlock {
    private final int[] units;
    private final List<Parameter[]> layers = new ArrayList<>(); // {W, c, b} per layer

    StackBlock(BuildContext ctx, String prefix, int[] units, InitializerSpec kernelInit) {
        super((byte) 1);
        this.units = units.clone();
        for (int i = 0; i < units.length; i++) {
            String p = prefix.isEmpty() ? "" : prefix + (i + 1) + "_";
            layers.add(new Parameter[] {
                param(p + "weight", Parameter.Type.WEIGHT, kernelInit.toDjl(ctx.random()), true),
                param(p + "bias", Parameter.Type.BIAS, Constant.ZEROS.toDjl(ctx.random()), true),
                param(p + "visible_bias", Parameter.Type.BIAS, Constant.ZEROS.toDjl(ctx.random()),
                        false)});
        }
    }

    private Parameter param(String name, Parameter.Type type, Initializer init, boolean grad) {
        return addParameter(Parameter.builder().setName(name).setType(type).optInitializer(init)
                .optRequiresGrad(grad).build());
    }

    /** The number of layers. */
    int depth() {
        return layers.size();
    }

    /** Layer {@code i}'s parameter arrays (as they are now), for Gibbs sampling and pretraining. */
    RbmParams layer(int i, boolean gaussian) {
        Parameter[] p = layers.get(i);
        return new RbmParams(p[0].getArray(), p[1].getArray(), p[2].getArray(), gaussian);
    }

    @Override
    public void prepare(Shape[] inputShapes) {
        long in = inputShapes[0].get(inputShapes[0].dimension() - 1);
        for (int i = 0; i < layers.size(); i++) {
            Parameter[] p = layers.get(i);
            p[0].setShape(new Shape(units[i], in));
            p[1].setShape(new Shape(units[i]));
            p[2].setShape(new Shape(in));
            in = units[i];
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        for (Parameter[] p : layers) {
            NDArray w = ps.getValue(p[0], x.getDevice(), training);
            NDArray c = ps.getValue(p[1], x.getDevice(), training);
            x = ai.djl.nn.Activation.sigmoid(Linear.linear(x, w, c).singletonOrThrow());
        }
        return new NDList(x);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {in.slice(0, in.dimension() - 1).add(units[units.length - 1])};
    }
}
