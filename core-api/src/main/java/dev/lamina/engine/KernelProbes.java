package dev.lamina.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.recurrent.RNN;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The fast native paths Lamina relies on, each run in float32 on small fixed inputs and compared
 * with the same operation in float64 (which oneDNN does not implement, so the engine takes its
 * reference path): convolution forward and both gradients, pooling and batch norm forward and
 * gradients (and max pooling as inference runs it), and the fused recurrent kernels' outputs in
 * inference and training mode; and the
 * workarounds' own paths. Channel counts (17 and 5) are not multiples of oneDNN's blocks (8, 16),
 * where its padded layouts live (17 input channels made the fault show every time here), and each case runs three times, because a kernel that reads uninitialised
 * memory is wrong only some of the time.
 */
final class KernelProbes {
    private KernelProbes() {}

    private static final List<String> CELLS = List.of("lstm", "gru", "simple_rnn");

    /** Every built-in probe of a raw kernel. */
    static List<KernelCheck.Probe> all() {
        List<KernelCheck.Probe> out = new ArrayList<>(List.of(
                probe("conv2d", m -> conv(new long[] {2, 17, 7, 7}, 5, 2, false)),
                probe("conv1d", m -> conv(new long[] {2, 17, 11}, 5, 1, false)),
                probe("pooling", m -> pooling()),
                probe("batch_norm", m -> batchNorm())));
        for (String cell : CELLS) {
            out.add(probe(cell + " kernel (inference)", m -> recurrent(cell, Mode.INFERENCE)));
            out.add(probe(cell + " kernel (training)", m -> recurrent(cell, Mode.TRAINING)));
        }
        return out;
    }

    /** The workarounds Lamina can use, in the order they are tried. */
    static List<KernelCheck.Workaround> workarounds() {
        Set<String> inference = new LinkedHashSet<>();
        Set<String> recurrent = new LinkedHashSet<>();
        for (String cell : CELLS) {
            inference.add(cell + " kernel (inference)");
            recurrent.add(cell + " kernel (inference)");
            recurrent.add(cell + " kernel (training)");
        }
        return List.of(
                new KernelCheck.Workaround(KernelCheck.PAD_CONV_CHANNELS,
                        "convolutions pad their channels to a multiple of " + ConvKernel.BLOCK, Set.of("conv2d", "conv1d"),
                        List.of(probe("conv2d (channels padded)",
                                        m -> conv(new long[] {2, 17, 7, 7}, 5, 2, true)),
                                probe("conv1d (channels padded)",
                                        m -> conv(new long[] {2, 17, 11}, 5, 1, true)))),
                // the training mode is PyTorch's other oneDNN path, and needs gradients recorded
                // to be taken: as fast as training's forward pass
                new KernelCheck.Workaround(KernelCheck.RECURRENT_INFERENCE_TRAINING_KERNEL,
                        "recurrent layers predict on the kernel's training mode", inference,
                        CELLS.stream().map(cell -> probe(cell + " kernel (training mode, to predict)",
                                m -> recurrent(cell, Mode.TRAINING_TO_PREDICT))).toList()),
                // Lamina's loop of basic operations is checked against the gate equations by its
                // tests; it needs no probe here
                new KernelCheck.Workaround(KernelCheck.RECURRENT_INFERENCE_LOOP,
                        "recurrent layers predict on Lamina's own loop (the kernel still trains)",
                        inference, List.of()),
                new KernelCheck.Workaround(KernelCheck.RECURRENT_LOOP,
                        "recurrent layers train on Lamina's own loop too", recurrent, List.of()));
    }

    private enum Mode { INFERENCE, TRAINING, TRAINING_TO_PREDICT }

    /** A computation that, given a data type, returns its outputs and gradients. */
    private interface Case {
        List<NDArray> run(NDManager m, DataType type, Random data);
    }

    private static KernelCheck.Probe probe(String name,
            Function<NDManager, Case> make) {
        return new KernelCheck.Probe() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Optional<Double> error(NDManager m) {
                Case c = make.apply(m);
                double worst = 0;
                for (int rep = 0; rep < 3; rep++) {
                    List<NDArray> fast;
                    try {
                        fast = c.run(m, DataType.FLOAT32, new Random(rep));
                    } catch (RuntimeException e) {
                        return Optional.of(Double.NaN); // the fast path refuses: not usable
                    }
                    List<NDArray> ref;
                    try {
                        ref = c.run(m, DataType.FLOAT64, new Random(rep));
                    } catch (RuntimeException e) {
                        return Optional.empty(); // the engine has no float64 reference
                    }
                    for (int i = 0; i < fast.size(); i++) {
                        worst = Math.max(worst, relative(fast.get(i), ref.get(i)));
                    }
                }
                return Optional.of(worst);
            }
        };
    }

    /** max|a − b| / max(|b|), NaN when {@code a} is not finite. */
    static double relative(NDArray a, NDArray b) {
        double[] x = a.toType(DataType.FLOAT64, false).toDoubleArray();
        double[] y = b.toType(DataType.FLOAT64, false).toDoubleArray();
        double diff = 0;
        double scale = 1e-3;
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i])) {
                return Double.NaN;
            }
            diff = Math.max(diff, Math.abs(x[i] - y[i]));
            scale = Math.max(scale, Math.abs(y[i]));
        }
        return diff / scale;
    }

    private static NDArray random(NDManager m, Shape shape, DataType type, Random r) {
        float[] v = new float[(int) shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return m.create(v, shape).toType(type, true);
    }

    /**
     * The output, input gradient and weight gradient of {@code ndim}-d convolutions (padding 1)
     * with {@code in[1]} → {@code out} and {@code out} → {@code in[1]} channels, through {@link
     * ConvKernel} with or without its channel padding.
     */
    private static Case conv(long[] in, int out, int ndim, boolean padChannels) {
        return (m, type, r) -> {
            List<NDArray> res = new ArrayList<>();
            for (long[] io : new long[][] {{in[1], out}, {out, in[1]}}) {
                long[] xs = in.clone();
                xs[1] = io[0];
                Shape k = ndim == 2 ? new Shape(io[1], io[0], 3, 3) : new Shape(io[1], io[0], 3);
                Shape one = ndim == 2 ? new Shape(1, 1) : new Shape(1);
                NDArray x = random(m, new Shape(xs), type, r);
                NDArray w = random(m, k, type, r);
                NDArray b = random(m, new Shape(io[1]), type, r);
                res.add(ConvKernel.convolution(x, w, b, one, one, one, 1, padChannels, false));
                res.addAll(withGradients(m, List.of(x, w), r, () -> ConvKernel.convolution(x, w,
                        b, one, one, one, 1, padChannels, true)));
            }
            return res;
        };
    }

    private static Case pooling() {
        return (m, type, r) -> {
            NDArray x = random(m, new Shape(2, 3, 6, 7), type, r);
            List<NDArray> res = new ArrayList<>(withGradients(m, List.of(x), r, () -> x
                    .getNDArrayInternal().maxPool(new Shape(3, 3), new Shape(2, 2),
                            new Shape(1, 1), false)));
            res.addAll(withGradients(m, List.of(x), r, () -> x.getNDArrayInternal()
                    .avgPool(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1), false, true)));
            // and max pooling as inference runs it (by strided views on PyTorch)
            res.add(MaxPoolKernel.maxPool(x, new Shape(3, 3), new Shape(2, 2)));
            return res;
        };
    }

    private static Case batchNorm() {
        return (m, type, r) -> {
            NDArray x = random(m, new Shape(4, 3, 5, 5), type, r);
            NDArray gamma = random(m, new Shape(3), type, r);
            NDArray beta = random(m, new Shape(3), type, r);
            NDArray mean = m.zeros(new Shape(3), type);
            NDArray var = m.ones(new Shape(3), type);
            return withGradients(m, List.of(x, gamma), r, () -> x.getNDArrayInternal()
                    .batchNorm(x, mean, var, gamma, beta, 1, 0.9f, 1e-3f, true).head());
        };
    }

    /**
     * A one-layer recurrent kernel's output in inference mode (outside a gradient collector) or in
     * training mode (inside one), or in training mode with gradients recorded outside a collector
     * (as a workaround predicts). In training mode outside a collector, PyTorch takes the faulty
     * inference path: only the collector's gradient mode avoids it.
     */
    private static Case recurrent(String cell, Mode mode) {
        int gates = switch (cell) {
            case "lstm" -> 4;
            case "gru" -> 3;
            default -> 1;
        };
        return (m, type, r) -> {
            long b = 3;
            long t = 4;
            long f = 5;
            long u = 6;
            NDArray x = random(m, new Shape(b, t, f), type, r);
            NDList params = new NDList(random(m, new Shape(gates * u, f), type, r).mul(0.5),
                    random(m, new Shape(gates * u, u), type, r).mul(0.5),
                    random(m, new Shape(gates * u), type, r).mul(0.1),
                    random(m, new Shape(gates * u), type, r).mul(0.1));
            NDArray h0 = m.zeros(new Shape(1, b, u), type);
            if (type == DataType.FLOAT64 || mode == Mode.INFERENCE) {
                // the reference is float64 in inference mode: MXNet's float64 GRU and RNN
                // backward is itself wrong, so gradients are not compared
                NDArray ref = runRecurrent(x, h0, params, gates, false);
                return mode == Mode.TRAINING_TO_PREDICT ? List.of(ref, ref) : List.of(ref);
            }
            if (mode == Mode.TRAINING_TO_PREDICT) {
                // as RnnBlock predicts with this workaround: weights that ask for gradients
                // (a trained model's) and weights that do not (a loaded one's)
                NDArray plain = TorchOneDnn.withGradMode(
                        () -> runRecurrent(x, h0, params, gates, true));
                params.forEach(p -> p.setRequiresGradient(true));
                NDArray trainable = TorchOneDnn.withGradMode(
                        () -> runRecurrent(x, h0, params, gates, true));
                return List.of(plain, trainable);
            }
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                return List.of(runRecurrent(x, h0, params, gates, true));
            }
        };
    }

    private static NDArray runRecurrent(NDArray x, NDArray h0, NDList params, int gates,
            boolean training) {
        var ex = x.getNDArrayInternal();
        NDList out = switch (gates) {
            case 4 -> ex.lstm(x, new NDList(h0, h0), params, true, 1, 0, training, false, true);
            case 3 -> ex.gru(x, h0, params, true, 1, 0, training, false, true);
            default -> ex.rnn(x, h0, params, true, 1, RNN.Activation.TANH, 0, training, false,
                    true);
        };
        return out.head();
    }

    /**
     * Runs {@code f} recording gradients of {@code wrt}, backpropagates {@code sum(y · g)} for a
     * fixed random {@code g}, and returns y and each gradient.
     */
    private static List<NDArray> withGradients(NDManager m, List<NDArray> wrt, Random r,
            Supplier<NDArray> f) {
        for (NDArray a : wrt) {
            a.setRequiresGradient(true);
        }
        NDArray y;
        try (GradientCollector gc = m.getEngine().newGradientCollector()) {
            y = f.get();
            NDArray g = random(m, y.getShape(), y.getDataType(), r);
            gc.backward(y.mul(g).sum());
        }
        List<NDArray> out = new ArrayList<>();
        out.add(y);
        for (NDArray a : wrt) {
            out.add(a.getGradient().duplicate());
        }
        return out;
    }
}
