package dev.lamina.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.recurrent.RNN;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import dev.lamina.engine.Constants;
import dev.lamina.engine.KernelCheck;
import dev.lamina.spec.InnerValues;
import java.util.ArrayList;
import java.util.List;

/**
 * A recurrent network that gives the same numbers on PyTorch and MXNet: one or more stacked layers,
 * each in one or two directions, on input (batch, time, features), batch first on every engine,
 * with every option of {@link RecurrentLayer.Settings}.
 *
 * <p>Each layer and direction runs on its own: with a tanh activation on the engine's own
 * one-layer, one-direction kernel (DJL's {@code NDArrayEx.rnn/lstm/gru}, batch first, the one
 * configuration that agrees across engines), otherwise as a loop over time of basic operations
 * (matMul, sigmoid, the activation); both ways agree to float rounding. The loop runs when the
 * kernel cannot do what is asked: another activation, a mask over time steps, recurrent dropout
 * in training, a GRU with the reset gate before the recurrent kernel, or a kernel the kernel
 * check found wrong on this CPU. DJL's {@code RNN/LSTM/GRU} blocks are not used as such: on
 * PyTorch they fail when bidirectional, on MXNet they are silently wrong when stacked, and they
 * make float32 initial states. So the backward direction reads the sequence flipped on the time
 * axis and its outputs are flipped back; stacked layers are chained here. MXNet's kernel insists
 * that its mode match the gradient collector's (training inside one, inference outside); as the
 * kernel runs without dropout, both modes compute the same numbers, and the other mode is used
 * when the first is refused.
 *
 * <p>Inputs: the sequence; then, when the block was made for them, the initial states (h, or h
 * and c for the LSTM; per direction, forward first), each (batch, units); then, optionally, a
 * (batch, time) mask. Outputs: the sequence or last step (two arrays with merge mode
 * {@code NONE}), then the final states with {@code return_state}.
 *
 * <p>Weights, in DJL's (out, in) layout, per layer {@code l} and direction (suffix {@code _reverse}
 * for the backward one), with {@code G} = 1 (simple RNN), 4 (LSTM: gates i, f, g, o) or 3 (GRU:
 * gates r, z, n): {@code kernel_l} (G·units, in), {@code recurrent_kernel_l} (G·units, units),
 * {@code bias_l} (G·units) unless {@code use_bias} is false, and for the GRU with
 * {@code reset_after} also {@code recurrent_bias_l} (G·units), added to {@code h·Uᵀ} before the
 * reset gate multiplies it (PyTorch's GRU). The simple RNN and the LSTM have one bias, as in Keras
 * (the kernels' second bias is given zeros), so the parameter counts are Keras's. Keras's own
 * layout is (in, G·units) with gates i, f, c, o for the LSTM (the same order) and z, r, h for
 * the GRU (here r, z, n): a Keras weight maps here transposed, and for the GRU with its first two
 * blocks of units swapped.
 */
public final class RnnBlock extends AbstractBlock implements InnerValues {
    /** The cell types. */
    public enum Cell {
        SIMPLE(1, 1), LSTM(4, 2), GRU(3, 1),
        /** Keras's GRU with {@code reset_after=False}: the reset gate scales h before U. */
        GRU_RESET_BEFORE(3, 1);

        final int gates;
        /** The number of state arrays: h, or h and c. */
        public final int states;

        Cell(int gates, int states) {
            this.gates = gates;
            this.states = states;
        }
    }

    private final Cell cell;
    private final RecurrentLayer.Settings s;
    private final Bidirectional.MergeMode merge;
    private final int directions;
    private final int initialStates;
    /** [layer][direction] = {kernel, recurrent kernel, bias or null, recurrent bias or null}. */
    private final Parameter[][][] weights;
    private boolean loopOnly;
    private boolean zeroMasked;

    /**
     * A network on {@code features} input features with settings {@code s}, made for
     * {@code initialStates} initial-state inputs (0 for zeros); {@code merge} joins the two
     * directions of the last layer (the ones below are concatenated); the kernel, recurrent and
     * bias initializers fill the three kinds of weight (the GRU's recurrent bias too takes
     * {@code bias}).
     */
    public RnnBlock(Cell cell, long features, RecurrentLayer.Settings s,
            Bidirectional.MergeMode merge, int initialStates, Initializer kernel,
            Initializer recurrent, Initializer bias) {
        super((byte) 1);
        this.cell = cell;
        this.s = s;
        this.merge = merge;
        this.directions = s.directions();
        this.initialStates = initialStates;
        this.weights = new Parameter[s.layers()][directions][];
        int units = s.units();
        long g = (long) cell.gates * units;
        for (int l = 0; l < s.layers(); l++) {
            long in = l == 0 ? features : (long) directions * units;
            for (int d = 0; d < directions; d++) {
                String sfx = "_l" + l + (d == 1 ? "_reverse" : "");
                Parameter[] w = new Parameter[4];
                w[0] = param("kernel" + sfx, Parameter.Type.WEIGHT, new Shape(g, in), kernel);
                w[1] = param("recurrent_kernel" + sfx, Parameter.Type.WEIGHT, new Shape(g, units),
                        recurrent);
                if (s.useBias()) {
                    w[2] = param("bias" + sfx, Parameter.Type.BIAS, new Shape(g), bias);
                    if (cell == Cell.GRU) {
                        w[3] = param("recurrent_bias" + sfx, Parameter.Type.BIAS, new Shape(g),
                                bias);
                    }
                }
                weights[l][d] = w;
            }
        }
    }

    /** Every step's gates and states, for each layer and direction: see {@link InnerValues}. */
    @Override
    public long innerValuesPerSample() {
        if (inputShapes == null || inputShapes.length == 0 || inputShapes[0].dimension() < 3) {
            return 0;
        }
        long steps = Math.max(0, inputShapes[0].get(1));
        return steps * (cell.gates + cell.states) * s.units() * directions * s.layers();
    }

    private Parameter param(String name, Parameter.Type type, Shape shape, Initializer init) {
        return addParameter(Parameter.builder().setName(name).setType(type).optShape(shape)
                .optInitializer(init).build());
    }

    /** One direction's run: the outputs (batch, time, units), the last output, the states. */
    private record Run(NDArray seq, NDArray last, NDList states) {}

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        int given = initialStates;
        NDArray mask = inputs.size() > 1 + given ? inputs.get(1 + given)
                .toType(x.getDataType(), false) : null;
        if (s.goBackwards()) {
            x = x.flip(1);
            mask = mask == null ? null : mask.flip(1);
        }
        long b = x.getShape().get(0);
        // Keras's Bidirectional sets masked steps of its output sequences to zero
        boolean zeroMasked = this.zeroMasked || directions == 2 && s.returnSequences();
        NDList outs = null;
        NDList states = new NDList();
        for (int l = 0; l < s.layers(); l++) {
            if (l > 0 && training && s.interLayerDropout() > 0) {
                x = Dropout.drop(x, x.getShape(), s.interLayerDropout());
            }
            NDList seqs = new NDList();
            NDList lasts = new NDList();
            for (int d = 0; d < directions; d++) {
                NDArray xin = x;
                if (training && s.dropout() > 0) { // one mask per sequence, as Keras's
                    xin = Dropout.drop(x, new Shape(b, 1, x.getShape().get(2)), s.dropout());
                }
                NDList init = new NDList();
                for (int k = 0; k < given / directions; k++) {
                    init.add(inputs.get(1 + d * cell.states + k));
                }
                Run run = run(d == 0 ? xin : xin.flip(1),
                        mask == null || d == 0 ? mask : mask.flip(1), weights[l][d], init, ps,
                        training, zeroMasked);
                seqs.add(d == 0 ? run.seq() : run.seq().flip(1));
                lasts.add(run.last());
                states.addAll(run.states());
            }
            boolean top = l == s.layers() - 1;
            x = join(seqs, top ? merge : Bidirectional.MergeMode.CONCAT);
            if (top) {
                outs = s.returnSequences() ? split(seqs) : split(lasts);
            }
        }
        NDList out = new NDList(outs);
        if (s.returnState()) {
            out.addAll(states);
        }
        return out;
    }

    /** The last layer's output(s): one joined array, or each direction's with merge mode NONE. */
    private NDList split(NDList perDirection) {
        return merge == Bidirectional.MergeMode.NONE && directions == 2 ? perDirection
                : new NDList(join(perDirection, merge));
    }

    private static NDArray join(NDList perDirection, Bidirectional.MergeMode mode) {
        if (perDirection.size() == 1) {
            return perDirection.get(0);
        }
        NDArray a = perDirection.get(0);
        NDArray z = perDirection.get(1);
        return switch (mode) {
            case CONCAT, NONE -> NDArrays.concat(perDirection, a.getShape().dimension() - 1);
            case SUM -> a.add(z);
            case MUL -> a.mul(z);
            case AVE -> Constants.over(a.add(z), 2f);
        };
    }

    /** One layer, one direction, over {@code x} in the order to read it. */
    private Run run(NDArray x, NDArray mask, Parameter[] w, NDList init, ParameterStore ps,
            boolean training, boolean zeroMasked) {
        NDArray kernel = ps.getValue(w[0], x.getDevice(), training);
        NDArray recurrent = ps.getValue(w[1], x.getDevice(), training);
        NDArray bias = w[2] == null ? null : ps.getValue(w[2], x.getDevice(), training);
        NDArray recurrentBias = w[3] == null ? null : ps.getValue(w[3], x.getDevice(), training);
        KernelCheck.Verdict kernels = KernelCheck.ensure(x.getManager().getEngine()
                .getEngineName());
        boolean kernelOk = !kernels.uses(KernelCheck.RECURRENT_LOOP)
                && (training || !kernels.uses(KernelCheck.RECURRENT_INFERENCE_LOOP));
        boolean recurrentDrop = training && s.recurrentDropout() > 0;
        if (!loopOnly && kernelOk && mask == null && !recurrentDrop && cell != Cell.GRU_RESET_BEFORE
                && s.activation().activation().equals("tanh")) {
            if (!training && kernels.uses(KernelCheck.RECURRENT_INFERENCE_TRAINING_KERNEL)) {
                // the inference kernel is wrong here: the training one (no dropout inside, so
                // the same numbers), which PyTorch takes only while it records gradients
                return KernelCheck.recordingGradients(() -> runNative(x, kernel, recurrent, bias,
                        recurrentBias, init, true));
            }
            return runNative(x, kernel, recurrent, bias, recurrentBias, init, training);
        }
        return runLoop(x, mask, kernel, recurrent, bias, recurrentBias, init, recurrentDrop,
                zeroMasked);
    }

    /** For tests: always the loop of basic operations, never the engine's kernel. */
    RnnBlock loopOnly() {
        loopOnly = true;
        return this;
    }

    /** As one direction of a bidirectional pair: masked steps of the outputs are zero when on. */
    RnnBlock zeroMaskedOutputs(boolean on) {
        zeroMasked = on;
        return this;
    }

    private NDArray[] startStates(NDArray x, NDList init) {
        long b = x.getShape().get(0);
        NDArray zero = x.getManager().zeros(new Shape(b, s.units()), x.getDataType());
        NDArray[] st = new NDArray[cell.states];
        for (int k = 0; k < cell.states; k++) {
            st[k] = init.isEmpty() ? zero : init.get(k).toType(x.getDataType(), false);
        }
        return st;
    }

    private Run runNative(NDArray x, NDArray kernel, NDArray recurrent, NDArray bias,
            NDArray recurrentBias, NDList init, boolean training) {
        long g = (long) cell.gates * s.units();
        NDArray[] st = startStates(x, init);
        NDArray h0 = st[0].expandDims(0);
        NDArray zeros = x.getManager().zeros(new Shape(g), x.getDataType());
        NDList params = new NDList(kernel, recurrent, bias != null ? bias : zeros,
                recurrentBias != null ? recurrentBias : zeros);
        boolean mxnet = x.getManager().getEngine().getEngineName().equals("MXNet");
        NDList out = mxnet ? mxnetKernel(x, h0, st, params)
                : torchKernel(x, h0, st, params, training);
        NDArray seq = out.get(0);
        NDArray last = mxnet ? lastStepOnMxnet(seq) : seq.get(new NDIndex(":, -1, :"));
        NDList states = new NDList(last);
        if (cell == Cell.LSTM) {
            states.add(out.get(2).squeeze(0));
        }
        return new Run(seq, last, states);
    }

    /** PyTorch's fused kernel, as DJL calls it. */
    private NDList torchKernel(NDArray x, NDArray h0, NDArray[] st, NDList params, boolean training) {
        var ex = x.getNDArrayInternal();
        return switch (cell) {
            case SIMPLE -> ex.rnn(x, h0, params, true, 1, RNN.Activation.TANH,
                    0, training, false, true);
            case LSTM -> ex.lstm(x, new NDList(h0, st[1].expandDims(0)), params, true, 1, 0,
                    training, false, true);
            case GRU -> ex.gru(x, h0, params, true, 1, 0, training, false, true);
            case GRU_RESET_BEFORE -> throw new IllegalStateException("no kernel for reset_before");
        };
    }

    /**
     * {@code seq[:, -1, :]} by MXNet's {@code slice_axis} op: DJL's indexing frees a temporary at
     * once, which waits for the engine to compute the kernel before Java may go on.
     */
    private static NDArray lastStepOnMxnet(NDArray seq) {
        Shape sh = seq.getShape();
        PairList<String, Object> op = new PairList<>();
        op.add("axis", "1");
        op.add("begin", Long.toString(sh.get(1) - 1));
        op.add("end", Long.toString(sh.get(1)));
        return seq.getManager().invoke("slice_axis", new NDList(seq), op).head()
                .reshape(sh.get(0), sh.get(2));
    }

    /**
     * MXNet's fused kernel ({@code _npx_rnn}) on the same inputs and settings as DJL's {@code
     * lstm}, {@code gru} and {@code rnn} give it, so the same numbers, without their waits: DJL
     * frees the packed weights and the time-major output as soon as the op is issued, and on
     * MXNet freeing an array waits until the engine has computed it, so every recurrent layer
     * waited for the previous batch's update and then for its own kernel, and Java could not
     * issue the rest of the batch meanwhile. Here those arrays stay in the input's manager and
     * go with the batch (the training loop and inference free each batch's arrays after the next
     * is issued).
     */
    private NDList mxnetKernel(NDArray x, NDArray h0, NDArray[] st, NDList params) {
        NDManager batch = x.getManager();
        NDArray timeMajor = x.swapAxes(0, 1);
        NDList flat = new NDList(params.size());
        for (NDArray p : params) {
            NDArray f = p.flatten();
            f.attach(batch);
            flat.add(f);
        }
        NDArray packed = NDArrays.concat(flat);
        packed.attach(batch);
        NDList in = new NDList(timeMajor, packed, h0);
        PairList<String, Object> op = new PairList<>();
        op.add("p", "0.0");
        op.add("state_size", Long.toString(s.units()));
        op.add("num_layers", "1");
        op.add("bidirectional", "False");
        op.add("state_outputs", "True");
        op.add("mode", switch (cell) {
            case SIMPLE -> "rnn_tanh";
            case LSTM -> "lstm";
            case GRU -> "gru";
            case GRU_RESET_BEFORE -> throw new IllegalStateException("no kernel for reset_before");
        });
        if (cell == Cell.LSTM) {
            in.add(st[1].expandDims(0));
            op.add("lstm_state_clip_nan", "True");
        }
        NDList out = batch.invoke("_npx_rnn", in, op);
        NDList result = new NDList(out.get(0).swapAxes(0, 1));
        result.addAll(out.subList(1, out.size()));
        return result;
    }

    private Run runLoop(NDArray x, NDArray mask, NDArray kernel, NDArray recurrent, NDArray bias,
            NDArray recurrentBias, NDList init, boolean recurrentDrop, boolean zeroMasked) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        int u = s.units();
        long g = (long) cell.gates * u;
        // the input part of every gate for every step at once, time first so that step s is one
        // integer index: (time, batch, G·units)
        NDArray xw = x.reshape(b * t, x.getShape().get(2)).matMul(kernel.transpose());
        if (bias != null) {
            xw = xw.add(bias);
        }
        xw = xw.reshape(b, t, g).transpose(1, 0, 2);
        NDArray maskT = mask == null ? null : mask.transpose().expandDims(2); // (time, batch, 1)
        NDArray rt = recurrent.transpose();
        NDArray[] st = startStates(x, init);
        NDArray h = st[0];
        NDArray c = cell == Cell.LSTM ? st[1] : null;
        NDArray recMask = recurrentDrop ? Dropout.drop(x.getManager().ones(new Shape(b, u),
                x.getDataType()), new Shape(b, u), s.recurrentDropout()) : null;
        NDArray out = x.getManager().zeros(new Shape(b, u), x.getDataType());
        List<NDArray> outs = new ArrayList<>();
        for (int step = 0; step < t; step++) {
            NDArray xs = xw.get(step);
            NDArray hr = recMask == null ? h : h.mul(recMask);
            NDArray hNew;
            NDArray cNew = null;
            switch (cell) {
                case SIMPLE:
                    hNew = s.activation().apply(xs.add(hr.matMul(rt)));
                    break;
                case LSTM: {
                    NDList z = xs.add(hr.matMul(rt)).split(4, 1);
                    NDArray i = sigmoid(z.get(0));
                    NDArray f = sigmoid(z.get(1));
                    NDArray cand = s.activation().apply(z.get(2));
                    NDArray o = sigmoid(z.get(3));
                    cNew = f.mul(c).add(i.mul(cand));
                    hNew = o.mul(s.activation().apply(cNew));
                    break;
                }
                case GRU: {
                    NDList xg = xs.split(3, 1);
                    NDArray hu = hr.matMul(rt);
                    NDList hg = (recurrentBias == null ? hu : hu.add(recurrentBias)).split(3, 1);
                    NDArray r = sigmoid(xg.get(0).add(hg.get(0)));
                    NDArray z = sigmoid(xg.get(1).add(hg.get(1)));
                    NDArray n = s.activation().apply(xg.get(2).add(r.mul(hg.get(2))));
                    hNew = n.add(z.mul(h.sub(n))); // (1 − z)·n + z·h
                    break;
                }
                default: { // reset before: n = act(x·W_n + b_n + (r·h)·U_nᵀ)
                    NDList xg = xs.split(3, 1);
                    NDList ug = rt.split(3, 1); // (units, units) each
                    NDArray r = sigmoid(xg.get(0).add(hr.matMul(ug.get(0))));
                    NDArray z = sigmoid(xg.get(1).add(hr.matMul(ug.get(1))));
                    NDArray n = s.activation().apply(xg.get(2).add(r.mul(hr).matMul(ug.get(2))));
                    hNew = n.add(z.mul(h.sub(n)));
                    break;
                }
            }
            if (maskT == null) {
                h = hNew;
                c = cNew;
                out = hNew;
            } else { // a masked step keeps the states, and the output repeats (or is zero)
                NDArray m = maskT.get(step);
                h = h.add(m.mul(hNew.sub(h)));
                c = c == null ? null : c.add(m.mul(cNew.sub(c)));
                out = zeroMasked ? hNew.mul(m) : out.add(m.mul(hNew.sub(out)));
            }
            outs.add(out);
        }
        NDList states = new NDList(h);
        if (c != null) {
            states.add(c);
        }
        return new Run(NDArrays.stack(new NDList(outs), 1), out, states);
    }

    private static NDArray sigmoid(NDArray x) {
        return x.getNDArrayInternal().sigmoid();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] in) {
        long b = in[0].get(0);
        int u = s.units();
        boolean two = merge == Bidirectional.MergeMode.NONE && directions == 2;
        long f = (long) (two || merge != Bidirectional.MergeMode.CONCAT ? 1 : directions) * u;
        List<Shape> out = new ArrayList<>();
        for (int i = 0; i < (two ? 2 : 1); i++) {
            out.add(s.returnSequences() ? new Shape(b, in[0].get(1), f) : new Shape(b, f));
        }
        if (s.returnState()) {
            for (int i = 0; i < cell.states * directions; i++) {
                out.add(new Shape(b, u));
            }
        }
        return out.toArray(Shape[]::new);
    }
}
