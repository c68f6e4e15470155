package dev.lamina.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;

/**
 * The max pooling every Lamina layer runs (no padding: the layers pad explicitly).
 *
 * <p>PyTorch's CPU max pool computes, per output, the index of its maximum (for the backward pass)
 * in a scalar loop: measured here (AMD EPYC, 2 threads, libtorch 2.7.1) 2.0 ms for a 2×2 pool
 * over 128×6×28×28, forty times a ReLU over the same array, and 5.0 ms over 128×16×28×28, most of
 * LeNet's forward pass. When PyTorch records no gradient (evaluation and prediction) no index is
 * needed, and the same maxima come from the maxima of strided views, one axis at a time: for a
 * window of k along an axis with stride s, the element-wise maximum of the k views starting at
 * 0..k−1 with step s (0.36 and 0.59 ms for the two arrays above). A maximum is exact, and
 * PyTorch's element-wise maximum propagates NaN as its pool does, so the values are the same bit
 * for bit; the test compares them. Under a gradient collector the engine's pool runs, since its
 * gradient goes to the first maximum of a window where the views' would split it between ties.
 * MXNet's pool is fast (0.49 ms) and its strided views slow, so MXNet always uses its pool.
 */
public final class MaxPoolKernel {
    private MaxPoolKernel() {}

    /**
     * The max pool of {@code x} (batch, channels, spatial...; one or two spatial axes) with
     * windows {@code size} and {@code strides}, no padding, windows that do not fit dropped.
     */
    public static NDArray maxPool(NDArray x, Shape size, Shape strides) {
        int n = size.dimension();
        if (byViews(x)) {
            NDArray y = x;
            for (int i = 0; i < n; i++) {
                y = along(y, i + 2, (int) size.get(i), (int) strides.get(i));
            }
            return y;
        }
        Shape zero = new Shape(new long[n]);
        return n == 1 ? Pool.maxPool1d(x, size, strides, zero, false)
                : Pool.maxPool2d(x, size, strides, zero, false);
    }

    /** Whether {@code x} is pooled by strided views: PyTorch on a CPU, recording no gradient. */
    static boolean byViews(NDArray x) {
        return x.getManager().getEngine().getEngineName().equals("PyTorch")
                && x.getDevice().getDeviceType().equals(Device.Type.CPU) && !TorchOneDnn.gradMode();
    }

    /** The maximum over windows of {@code k} with stride {@code s} along {@code axis}. */
    private static NDArray along(NDArray x, int axis, int k, int s) {
        if (k == 1 && s == 1) {
            return x;
        }
        long out = (x.getShape().get(axis) - k) / s + 1;
        NDArray max = null;
        for (int t = 0; t < k; t++) {
            NDArray view = x.get(new NDIndex().addAllDim(axis).addSliceDim(t, t + s * (out - 1) + 1, s));
            max = max == null ? view : max.maximum(view);
        }
        return max;
    }
}
