package dev.lamina.models.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import dev.lamina.engine.ConvKernel;
import dev.lamina.initializers.Constant;
import dev.lamina.initializers.InitializerSpec;
import dev.lamina.layers.Activation;
import dev.lamina.spec.BuildContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The block behind {@link Highway} and {@link HighwayConv2d}: {@code layers} highway layers, each
 * {@code y = x + T·(H − x)} (the same as {@code H·T + x·(1 − T)}) with
 * {@code H = activation(affine_H(x))} and {@code T = sigmoid(affine_T(x))}.
 *
 * <p>The affine map is DJL's {@code Linear.linear} (dense) or {@code Conv2d.conv2d} with stride 1
 * and symmetric padding {@code (k − 1) / 2} (conv, odd kernels only): both give the same numbers
 * on PyTorch and MXNet. Parameters of layer {@code i} (from 0): {@code h<i>_weight},
 * {@code h<i>_bias}, {@code t<i>_weight}, {@code t<i>_bias}; weights (out, in) or
 * (out, in, kh, kw) as DJL stores them, with out = in. The transform-gate biases start at
 * {@code gate_bias}.
 */
final class HighwayBlock extends AbstractBlock {
    private static final Activation SIGMOID = new Activation("sigmoid");
    private final Activation activation;
    private final List<Integer> kernel; // null: dense
    private final List<Parameter[]> units = new ArrayList<>(); // {hW, hb, tW, tb} per layer

    HighwayBlock(BuildContext ctx, int layers, Activation activation, double gateBias,
            List<Integer> kernel, InitializerSpec kernelInit, InitializerSpec biasInit) {
        super((byte) 1);
        this.activation = activation;
        this.kernel = kernel;
        for (int i = 0; i < layers; i++) {
            units.add(new Parameter[] {
                param("h" + i + "_weight", Parameter.Type.WEIGHT, kernelInit.toDjl(ctx.random())),
                param("h" + i + "_bias", Parameter.Type.BIAS, biasInit.toDjl(ctx.random())),
                param("t" + i + "_weight", Parameter.Type.WEIGHT, kernelInit.toDjl(ctx.random())),
                param("t" + i + "_bias", Parameter.Type.BIAS,
                        Constant.of(gateBias).toDjl(ctx.random()))});
        }
    }

    private Parameter param(String name, Parameter.Type type, Initializer init) {
        return addParameter(Parameter.builder().setName(name).setType(type).optInitializer(init)
                .build());
    }

    @Override
    public void prepare(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        long c = kernel == null ? in.get(in.dimension() - 1) : in.get(1);
        Shape w = kernel == null ? new Shape(c, c) : new Shape(c, c, kernel.get(0), kernel.get(1));
        for (Parameter[] u : units) {
            u[0].setShape(w);
            u[1].setShape(new Shape(c));
            u[2].setShape(w);
            u[3].setShape(new Shape(c));
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        for (Parameter[] u : units) {
            NDArray h = activation.apply(affine(ps, x, u[0], u[1], training));
            NDArray t = SIGMOID.apply(affine(ps, x, u[2], u[3], training));
            x = h.sub(x).mul(t).add(x);
        }
        return new NDList(x);
    }

    private NDArray affine(ParameterStore ps, NDArray x, Parameter w, Parameter b,
            boolean training) {
        NDArray weight = ps.getValue(w, x.getDevice(), training);
        NDArray bias = ps.getValue(b, x.getDevice(), training);
        if (kernel == null) {
            return Linear.linear(x, weight, bias).singletonOrThrow();
        }
        Shape pad = new Shape((kernel.get(0) - 1) / 2, (kernel.get(1) - 1) / 2);
        return ConvKernel.checked(x, weight, bias, new Shape(1, 1), pad, new Shape(1, 1), 1);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
