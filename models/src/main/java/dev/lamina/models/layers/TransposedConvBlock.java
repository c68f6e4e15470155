package dev.lamina.models.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import dev.lamina.engine.ConvKernel;
import java.util.Arrays;
import java.util.List;

/**
 * The block behind {@link Conv1dTranspose} and {@link Conv2dTranspose}: a transposed convolution
 * built from operations that give the same numbers and gradients on PyTorch and MXNet.
 *
 * <p>Along each spatial axis the input gets {@code stride − 1} zeros between neighbours (zero
 * insertion), then {@code pads} zeros before and after ({@link ConvTranspose#zeroPads}); an
 * ordinary stride-1 convolution (with the layer's dilation) by the kernel flipped on its spatial
 * axes, its two channel axes swapped, gives the transposed convolution: output {@code o} receives
 * {@code x[i]·w[t]} exactly when {@code o = i·stride + t·dilation − p}. The convolution runs
 * through {@link ConvKernel}, as every Lamina convolution does. Parameters: {@code weight}
 * (in_channels, filters, k...) and {@code bias} (filters).
 */
final class TransposedConvBlock extends AbstractBlock {
    private final int filters;
    private final List<Integer> kernel;
    private final List<Integer> strides;
    private final Shape dilation;
    private final int[][] pads;
    private final Parameter weight;
    private final Parameter bias;

    TransposedConvBlock(int filters, List<Integer> kernel, List<Integer> strides,
            List<Integer> dilation, int[][] pads, boolean useBias, Initializer kernelInit,
            Initializer biasInit) {
        super((byte) 1);
        this.filters = filters;
        this.kernel = kernel;
        this.strides = strides;
        this.dilation = new Shape(dilation.stream().mapToLong(Integer::longValue).toArray());
        this.pads = pads;
        this.weight = addParameter(Parameter.builder().setName("weight")
                .setType(Parameter.Type.WEIGHT).optInitializer(kernelInit).build());
        this.bias = useBias ? addParameter(Parameter.builder().setName("bias")
                .setType(Parameter.Type.BIAS).optInitializer(biasInit).build()) : null;
    }

    @Override
    public void prepare(Shape[] inputShapes) {
        long[] w = new long[kernel.size() + 2];
        w[0] = inputShapes[0].get(1);
        w[1] = filters;
        for (int i = 0; i < kernel.size(); i++) {
            w[i + 2] = kernel.get(i);
        }
        weight.setShape(new Shape(w));
        if (bias != null) {
            bias.setShape(new Shape(filters));
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = bias == null ? null : ps.getValue(bias, x.getDevice(), training);
        int n = kernel.size();
        NDArray z = x;
        for (int i = 0; i < n; i++) {
            z = pad(dilate(z, i + 2, strides.get(i)), i + 2, pads[i]);
        }
        int[] spatial = new int[n];
        int[] swap = new int[n + 2];
        swap[0] = 1;
        swap[1] = 0;
        for (int i = 0; i < n; i++) {
            spatial[i] = i + 2;
            swap[i + 2] = i + 2;
        }
        NDArray flipped = w.flip(spatial).transpose(swap); // (filters, in, k...)
        long[] ones = new long[n];
        Arrays.fill(ones, 1);
        return new NDList(ConvKernel.checked(z, flipped, b, new Shape(ones), new Shape(new long[n]),
                dilation, 1));
    }

    /** {@code x} with {@code stride − 1} zeros between neighbours along {@code axis}. */
    static NDArray dilate(NDArray x, int axis, int stride) {
        if (stride == 1) {
            return x;
        }
        long[] d = x.getShape().getShape();
        long[] zeros = d.clone();
        zeros = insert(zeros, axis + 1, stride - 1);
        // (..., n, 1, ...) beside (..., n, s − 1, ...) -> (..., n, s, ...) -> (..., n·s, ...)
        NDArray spread = NDArrays.concat(new NDList(x.expandDims(axis + 1),
                x.getManager().zeros(new Shape(zeros), x.getDataType())), axis + 1);
        long[] merged = d.clone();
        merged[axis] = d[axis] * stride;
        return slice(spread.reshape(new Shape(merged)), axis, 0, (d[axis] - 1) * stride + 1);
    }

    private static long[] insert(long[] d, int at, long v) {
        long[] out = new long[d.length + 1];
        System.arraycopy(d, 0, out, 0, at);
        out[at] = v;
        System.arraycopy(d, at, out, at + 1, d.length - at);
        return out;
    }

    /** {@code x}[..., from:to, ...] along {@code axis}. */
    private static NDArray slice(NDArray x, int axis, long from, long to) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < axis; i++) {
            s.append(":,");
        }
        s.append(from).append(':').append(to);
        return x.get(new NDIndex(s.toString()));
    }

    /** {@code x} with {@code p[0]} zeros before and {@code p[1]} after along {@code axis}. */
    static NDArray pad(NDArray x, int axis, int[] p) {
        if (p[0] == 0 && p[1] == 0) {
            return x;
        }
        NDList parts = new NDList();
        if (p[0] > 0) {
            parts.add(zeros(x, axis, p[0]));
        }
        parts.add(x);
        if (p[1] > 0) {
            parts.add(zeros(x, axis, p[1]));
        }
        return NDArrays.concat(parts, axis);
    }

    private static NDArray zeros(NDArray like, int axis, long size) {
        long[] s = like.getShape().getShape().clone();
        s[axis] = size;
        return like.getManager().zeros(new Shape(s), like.getDataType());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long[] d = inputShapes[0].getShape().clone();
        d[1] = filters;
        for (int i = 0; i < kernel.size(); i++) {
            long in = d[i + 2];
            long padded = (in - 1) * strides.get(i) + 1 + pads[i][0] + pads[i][1];
            d[i + 2] = padded - (kernel.get(i) - 1) * dilation.get(i);
        }
        return new Shape[] {new Shape(d)};
    }
}
