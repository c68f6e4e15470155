package dev.lamina.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.recurrent.RNN;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import dev.lamina.engine.KernelCheck;
import java.util.ArrayList;
import java.util.List;

/**
 * A recurrent network that gives the same numbers on PyTorch and MXNet: one or more stacked layers,
 * each in one or two directions, on input (batch, time, features), batch first on every engine.
 *
 * <p>Each layer and direction runs on its own: with a tanh activation on the engine's own
 * one-layer, one-direction kernel (DJL's {@code NDArrayEx.rnn/lstm/gru}, batch first, the one
 * configuration that agrees across engines), with any other activation as a loop over time of
 * basic operations (matMul, sigmoid, the activation); both ways agree to float rounding. DJL's
 * {@code RNN/LSTM/GRU} blocks are not used as such: on PyTorch they fail when bidirectional, on
 * MXNet they are silently wrong when stacked, and they make float32 initial states. So the
 * backward direction reads the sequence flipped on the time axis and its outputs are flipped back;
 * stacked layers are chained here, with dropout between them in training; initial states are zeros
 * of the input's type (float64 works). MXNet's kernel insists that its mode match the gradient
 * collector's (training inside one, inference outside); as the kernel runs without dropout, both
 * modes compute the same numbers, and the other mode is used when the first is refused.
 *
 * <p>Weights, in DJL's (out, in) layout, per layer {@code l} and direction (suffix {@code _reverse}
 * for the backward one), with {@code G} = 1 (simple RNN), 4 (LSTM: gates i, f, g, o) or 3 (GRU:
 * gates r, z, n): {@code kernel_l} (G·units, in), {@code recurrent_kernel_l} (G·units, units),
 * {@code bias_l} (G·units), and for the GRU also {@code recurrent_bias_l} (G·units), added to
 * {@code h·Uᵀ} before the reset gate multiplies it (Keras's {@code reset_after=True}, PyTorch's GRU).
 * The simple RNN and the LSTM have one bias, as in Keras (the kernels' second bias is given zeros),
 * so the parameter counts are Keras's.
 */
public final class RnnBlock extends AbstractBlock {
    /** The cell types. */
    public enum Cell {
        SIMPLE(1), LSTM(4), GRU(3);

        final int gates;

        Cell(int gates) {
            this.gates = gates;
        }
    }

    private final Cell cell;
    private final int units;
    private final Activation activation;
    private final boolean returnSequences;
    private final int directions;
    private final int layers;
    private final double dropout;
    /** [layer][direction] = {kernel, recurrent kernel, bias, recurrent bias or null}. */
    private final Parameter[][][] weights;
    private boolean loopOnly;

    /**
     * A network of {@code layers} stacked layers on {@code features} input features; the kernel,
     * recurrent kernel and bias initializers fill the three kinds of weight (the GRU's recurrent
     * bias too takes {@code bias}).
     */
    public RnnBlock(Cell cell, long features, int units, Activation activation,
            boolean returnSequences, boolean bidirectional, int layers, double dropout,
            Initializer kernel, Initializer recurrent, Initializer bias) {
        super((byte) 1);
        this.cell = cell;
        this.units = units;
        this.activation = activation;
        this.returnSequences = returnSequences;
        this.directions = bidirectional ? 2 : 1;
        this.layers = layers;
        this.dropout = dropout;
        this.weights = new Parameter[layers][directions][];
        long g = (long) cell.gates * units;
        for (int l = 0; l < layers; l++) {
            long in = l == 0 ? features : (long) directions * units;
            for (int d = 0; d < directions; d++) {
                String sfx = "_l" + l + (d == 1 ? "_reverse" : "");
                Parameter[] w = new Parameter[4];
                w[0] = param("kernel" + sfx, Parameter.Type.WEIGHT, new Shape(g, in), kernel);
                w[1] = param("recurrent_kernel" + sfx, Parameter.Type.WEIGHT, new Shape(g, units),
                        recurrent);
                w[2] = param("bias" + sfx, Parameter.Type.BIAS, new Shape(g), bias);
                if (cell == Cell.GRU) {
                    w[3] = param("recurrent_bias" + sfx, Parameter.Type.BIAS, new Shape(g), bias);
                }
                weights[l][d] = w;
            }
        }
    }

    private Parameter param(String name, Parameter.Type type, Shape shape, Initializer init) {
        return addParameter(Parameter.builder().setName(name).setType(type).optShape(shape)
                .optInitializer(init).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray last = null;
        for (int l = 0; l < layers; l++) {
            if (l > 0 && training && dropout > 0) {
                float keep = (float) (1 - dropout);
                NDArray mask = x.getManager().randomUniform(0f, 1f, x.getShape(), x.getDataType())
                        .lt(keep).toType(x.getDataType(), false);
                x = x.mul(mask).div(keep);
            }
            NDList seqs = new NDList();
            NDList lasts = new NDList();
            for (int d = 0; d < directions; d++) {
                Parameter[] w = weights[l][d];
                NDArray[] run = run(d == 0 ? x : x.flip(1),
                        ps.getValue(w[0], x.getDevice(), training),
                        ps.getValue(w[1], x.getDevice(), training),
                        ps.getValue(w[2], x.getDevice(), training),
                        w[3] == null ? null : ps.getValue(w[3], x.getDevice(), training), training);
                seqs.add(d == 0 ? run[0] : run[0].flip(1));
                lasts.add(run[1]);
            }
            x = directions == 1 ? seqs.get(0) : NDArrays.concat(seqs, 2);
            last = directions == 1 ? lasts.get(0) : NDArrays.concat(lasts, 1);
        }
        return new NDList(returnSequences ? x : last);
    }

    /** One layer, one direction: {sequence (batch, time, units), last output (batch, units)}. */
    private NDArray[] run(NDArray x, NDArray kernel, NDArray recurrent, NDArray bias,
            NDArray recurrentBias, boolean training) {
        KernelCheck.Verdict kernels = KernelCheck.ensure(x.getManager().getEngine()
                .getEngineName());
        boolean kernelOk = !kernels.uses(KernelCheck.RECURRENT_LOOP)
                && (training || !kernels.uses(KernelCheck.RECURRENT_INFERENCE_LOOP));
        if (!loopOnly && activation.activation().equals("tanh") && kernelOk) {
            return runNative(x, kernel, recurrent, bias, recurrentBias, training);
        }
        return runLoop(x, kernel, recurrent, bias, recurrentBias);
    }

    /** For tests: always the loop of basic operations, never the engine's kernel. */
    RnnBlock loopOnly() {
        loopOnly = true;
        return this;
    }

    private NDArray[] runNative(NDArray x, NDArray kernel, NDArray recurrent, NDArray bias,
            NDArray recurrentBias, boolean training) {
        long b = x.getShape().get(0);
        long g = (long) cell.gates * units;
        NDArray h0 = x.getManager().zeros(new Shape(1, b, units), x.getDataType());
        NDArray hb = recurrentBias != null ? recurrentBias
                : x.getManager().zeros(new Shape(g), x.getDataType());
        NDList params = new NDList(kernel, recurrent, bias, hb);
        NDList out;
        try {
            out = nativeOp(x, h0, params, training);
        } catch (IllegalArgumentException e) {
            // MXNet (DJL's check, before any native call) wants the op's mode to be the gradient
            // collector's: training inside a collector, inference outside. With no dropout inside
            // the op both modes compute the same numbers, so the other mode is as good.
            if (e.getMessage() == null || !e.getMessage().contains("mode of GradientCollector")) {
                throw e;
            }
            out = nativeOp(x, h0, params, !training);
        }
        NDArray seq = out.get(0);
        return new NDArray[] {seq, seq.get(new NDIndex(":, -1, :"))};
    }

    private NDList nativeOp(NDArray x, NDArray h0, NDList params, boolean training) {
        var ex = x.getNDArrayInternal();
        return switch (cell) {
            case SIMPLE -> ex.rnn(x, h0, params, true, 1, RNN.Activation.TANH,
                    0, training, false, true);
            case LSTM -> ex.lstm(x, new NDList(h0, h0), params, true, 1, 0, training, false, true);
            case GRU -> ex.gru(x, h0, params, true, 1, 0, training, false, true);
        };
    }

    private NDArray[] runLoop(NDArray x, NDArray kernel, NDArray recurrent, NDArray bias,
            NDArray recurrentBias) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        long g = (long) cell.gates * units;
        // the input part of every gate for every step at once, time first so that step s is one
        // integer index: (time, batch, G·units)
        NDArray xw = x.reshape(b * t, x.getShape().get(2)).matMul(kernel.transpose()).add(bias)
                .reshape(b, t, g).transpose(1, 0, 2);
        NDArray rt = recurrent.transpose();
        NDArray h = x.getManager().zeros(new Shape(b, units), x.getDataType());
        NDArray c = cell == Cell.LSTM ? h : null;
        List<NDArray> outs = new ArrayList<>();
        for (int s = 0; s < t; s++) {
            NDArray xs = xw.get(s);
            NDArray hu = h.matMul(rt);
            switch (cell) {
                case SIMPLE:
                    h = activation.apply(xs.add(hu));
                    break;
                case LSTM: {
                    NDList z = xs.add(hu).split(4, 1);
                    NDArray i = sigmoid(z.get(0));
                    NDArray f = sigmoid(z.get(1));
                    NDArray cand = activation.apply(z.get(2));
                    NDArray o = sigmoid(z.get(3));
                    c = f.mul(c).add(i.mul(cand));
                    h = o.mul(activation.apply(c));
                    break;
                }
                default: {
                    NDList xg = xs.split(3, 1);
                    NDList hg = hu.add(recurrentBias).split(3, 1);
                    NDArray r = sigmoid(xg.get(0).add(hg.get(0)));
                    NDArray z = sigmoid(xg.get(1).add(hg.get(1)));
                    NDArray n = activation.apply(xg.get(2).add(r.mul(hg.get(2))));
                    h = n.add(z.mul(h.sub(n))); // (1 − z)·n + z·h
                    break;
                }
            }
            outs.add(h);
        }
        return new NDArray[] {NDArrays.stack(new NDList(outs), 1), h};
    }

    private static NDArray sigmoid(NDArray x) {
        return x.getNDArrayInternal().sigmoid();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] in) {
        long b = in[0].get(0);
        long f = (long) directions * units;
        return new Shape[] {returnSequences ? new Shape(b, in[0].get(1), f) : new Shape(b, f)};
    }
}
