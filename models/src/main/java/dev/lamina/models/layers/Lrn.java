package dev.lamina.models.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.pooling.Pool;
import dev.lamina.engine.Constants;
import dev.lamina.layers.FnBlock;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.Map;

/**
 * Local response normalisation across channels (Krizhevsky, Sutskever and Hinton, 2012,
 * "ImageNet Classification with Deep Convolutional Neural Networks"):
 * {@code b_c = a_c / (k + alpha/size · Σ_{c'} a_{c'}²)^beta}, the sum over the {@code size}
 * channels {@code c' ∈ [c − ⌊size/2⌋, c + ⌊(size − 1)/2⌋]} that exist (missing ones count as 0).
 *
 * <p><b>alpha IS divided by the window size</b>, as Caffe and PyTorch's
 * {@code LocalResponseNorm} do. The AlexNet paper does not divide: its {@code α} is this layer's
 * {@code alpha / size}. To reproduce the paper's α = 1e-4 with n = 5, write
 * {@code alpha: 5e-4, size: 5}. Defaults (AlexNet's, read as Caffe does): size 5, alpha 1e-4,
 * beta 0.75, k 2.
 *
 * <p>Input (channels, ...), such as (channels, height, width); output the same shape; no
 * parameters. Built from basic operations (the engines have no common LRN): square, reshape to
 * (N, 1, C, rest), zero-pad the channel axis, average-pool with a (size, 1) window (= Σ/size),
 * then {@code x / (k + alpha·avg)^beta}. The same numbers and gradients on PyTorch and MXNet.
 */
public record Lrn(int size, double alpha, double beta, double k) implements LayerSpec {
    public static final String TYPE = "lrn";

    public Lrn {
        if (size <= 0) {
            throw new SpecException(TYPE, "size",
                    "expected a positive integer, received size=" + size);
        }
        if (!(alpha >= 0) || Double.isInfinite(alpha)) {
            throw new SpecException(TYPE, "alpha",
                    "expected a finite number ≥ 0, received alpha=" + alpha);
        }
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new SpecException(TYPE, "beta",
                    "expected a finite number ≥ 0, received beta=" + beta);
        }
        if (!(k > 0) || Double.isInfinite(k)) {
            throw new SpecException(TYPE, "k", "expected a positive finite number, received k=" + k);
        }
    }

    /** AlexNet's settings: size 5, alpha 1e-4, beta 0.75, k 2. */
    public Lrn() {
        this(5, 1e-4, 0.75, 2.0);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.dimension() < 1 || in.get(0) <= 0) {
            throw new ShapeException("expected (channels, ...) such as (channels, height, width),"
                    + " got " + in);
        }
        return in;
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        outputShape(input);
        return FnBlock.elementwise(this::apply);
    }

    /** Normalises a batch (N, C, ...). */
    NDArray apply(NDArray x) {
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long rest = s.size() / (n * c);
        NDArray sq = x.square().reshape(n, 1, c, rest);
        int before = size / 2;
        int after = (size - 1) / 2;
        NDList parts = new NDList();
        if (before > 0) {
            parts.add(x.getManager().zeros(new Shape(n, 1, before, rest), x.getDataType()));
        }
        parts.add(sq);
        if (after > 0) {
            parts.add(x.getManager().zeros(new Shape(n, 1, after, rest), x.getDataType()));
        }
        NDArray padded = parts.size() == 1 ? sq : NDArrays.concat(parts, 2);
        NDArray avg = Pool.avgPool2d(padded, new Shape(size, 1), new Shape(1, 1),
                new Shape(0, 0), false, true);
        NDArray denom = Constants.power(Constants.times(avg, (float) alpha).add((float) k), (float) beta);
        return x.div(denom.reshape(s));
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("size", size, "alpha", alpha, "beta", beta, "k", k);
    }

    /** Reads the settings written by {@link #config()}. */
    public static Lrn fromMap(SpecMap m) {
        return new Lrn(m.getInt("size", 5), m.getDouble("alpha", 1e-4),
                m.getDouble("beta", 0.75), m.getDouble("k", 2.0));
    }
}
