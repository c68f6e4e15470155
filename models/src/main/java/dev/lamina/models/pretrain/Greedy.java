package dev.lamina.models.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lamina.data.Dataset;
import dev.lamina.data.Tensor;
import dev.lamina.train.Callback;
import dev.lamina.train.FitOptions;
import dev.lamina.train.History;
import dev.lamina.train.Pretraining;
import dev.lamina.train.TrainingLoop;
import dev.lamina.train.TrainingStep;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Greedy layer-wise pretraining (Hinton, Osindero and Teh, 2006; Bengio et al., 2007): the first
 * layer of a stack trains on the data, each next one on the hidden probabilities {@code
 * sigmoid(x·Wᵀ + c)} of the one below for the same samples, each a phase of the shared training
 * loop with its own progress lines and history. The last {@code held_out} fraction of the samples
 * is kept out of training for the validation figures.
 */
final class Greedy {
    private Greedy() {}

    /** What trains layer {@code i}: CD for RBMs, an autoencoder step for autoencoders. */
    interface Steps {
        TrainingStep step(int layer, boolean gaussianVisible);
    }

    /**
     * Pretrains every layer of {@code block} on {@code data}; phases are named {@code
     * LAYER/PREFIXi} ({@code dbn/rbm1}), {@code LAYER} alone for a stack of one.
     */
    static Map<String, History> run(String type, StackBlock block, Dataset data, Pretraining how,
            PretrainSettings s, boolean gaussian, String prefix, String method, Steps steps) {
        checkRange(type, how.layer(), data, gaussian);
        Map<String, History> out = new LinkedHashMap<>();
        Dataset x = data;
        int n = block.depth();
        for (int i = 0; i < n; i++) {
            String phase = n == 1 ? how.layer() : how.layer() + "/" + prefix + (i + 1);
            boolean g = gaussian && i == 0; // the layers above see probabilities in [0, 1]
            Dataset train = x;
            Dataset held = null;
            if (s.heldOut() > 0 && Math.round(x.size() * s.heldOut()) > 0) {
                Dataset[] parts = x.splitValidation(s.heldOut());
                train = parts[0];
                held = parts[1];
            }
            RbmParams p = block.layer(i, g);
            if (!g && i == 0 && "rbm".equals(prefix)) {
                startVisibleBias(p, train);
            }
            how.log().accept(String.format(Locale.ROOT, "pretraining %s (%s %d -> %d, %s):"
                    + " %d samples%s, %d epochs, batch %d", phase, g ? "gaussian" : "binary",
                    p.weight().getShape().get(1), p.weight().getShape().get(0), method,
                    train.size(), held == null ? "" : " (" + held.size() + " held out)",
                    s.epochs(), s.batchSize()));
            if (s.epochs() > 0) {
                LayerTrainable t = new LayerTrainable(phase, how.djl(), block,
                        x.inputs().get(0).sampleShape(), how.phaseSeed(i));
                FitOptions o = FitOptions.defaults().epochs(s.epochs()).batchSize(s.batchSize())
                        .shuffle(true)
                        .callbacks(how.callbacks().apply(phase).toArray(new Callback[0]));
                if (held != null) {
                    o.validationData(held);
                }
                out.put(phase, TrainingLoop.run(t, steps.step(i, g), train, o));
            }
            if (i + 1 < n) {
                x = up(p, x);
            }
        }
        return out;
    }

    /**
     * Starts the visible biases at {@code log(pᵢ / (1 − pᵢ))}, pᵢ the mean of unit i over the
     * training data (clipped to [0.001, 0.999]), as Hinton's guide advises: the RBM then models
     * the units' marginals before it learns anything else.
     */
    private static void startVisibleBias(RbmParams p, Dataset train) {
        Tensor t = train.inputs().get(0);
        int per = t.sampleSize();
        double[] mean = new double[per];
        float[] v = t.data();
        for (int i = 0; i < v.length; i++) {
            mean[i % per] += v[i];
        }
        float[] b = new float[per];
        for (int j = 0; j < per; j++) {
            double m = Math.min(0.999, Math.max(0.001, mean[j] / t.size()));
            b[j] = (float) Math.log(m / (1 - m));
        }
        NDArray bias = p.visibleBias();
        try (NDManager m = bias.getManager().newSubManager()) {
            bias.set(m.create(b).toType(bias.getDataType(), false).toByteBuffer());
        }
    }

    /** Binary visible units take values in [0, 1]; anything else is the user's to fix. */
    private static void checkRange(String type, String layer, Dataset data, boolean gaussian) {
        if (gaussian) {
            return;
        }
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float v : data.inputs().get(0).data()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        if (lo < 0 || hi > 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "layer '%s' (%s) has"
                    + " binary visible units, which need inputs in [0, 1]; its inputs range over"
                    + " [%s, %s]: scale them to [0, 1], or use visible: gaussian for"
                    + " standardised real values", layer, type, lo, hi));
        }
    }

    /** The hidden probabilities of layer {@code p} for every sample of {@code x}. */
    static Dataset up(RbmParams p, Dataset x) {
        int n = x.size();
        int units = (int) p.weight().getShape().get(0);
        float[] out = new float[Math.multiplyExact(n, units)];
        NDManager root = p.weight().getManager();
        int batch = 512;
        for (int start = 0; start < n; start += batch) {
            int end = Math.min(n, start + batch);
            int[] idx = java.util.stream.IntStream.range(start, end).toArray();
            try (NDScope scope = new NDScope(); NDManager bm = root.newSubManager()) {
                scope.suppressNotUsedWarning();
                NDArray v = x.inputs(bm, idx).head().toType(p.weight().getDataType(), false);
                float[] h = p.hiddenProbabilities(v).toType(DataType.FLOAT32, false).toFloatArray();
                System.arraycopy(h, 0, out, start * units, h.length);
            }
        }
        return Dataset.unlabelled(x.name() + " up", new Tensor(out, new Shape(units)));
    }

    /**
     * Samples from the stack as a generative model: {@code gibbs} steps of block Gibbs sampling
     * in the top RBM, starting from {@code start}'s up pass (sampled binary states) or, when
     * {@code start} is null, from visible states drawn uniformly at random; then one down pass
     * through the RBMs below, each giving the mean {@code E[v | h]} of its visible units. Returns
     * the means of the bottom visible units, one row per chain, in {@code manager}.
     */
    static NDArray sample(StackBlock block, boolean gaussian, NDManager manager, int chains,
            int gibbs, NDArray start) {
        int top = block.depth() - 1;
        RbmParams t = block.layer(top, gaussian && top == 0);
        NDArray v;
        DataType type = t.weight().getDataType();
        if (start != null) {
            v = start.toType(type, false);
            for (int i = 0; i < top; i++) {
                v = RbmParams.bernoulli(block.layer(i, gaussian && i == 0).hiddenProbabilities(v));
            }
        } else {
            long width = t.weight().getShape().get(1);
            v = RbmParams.bernoulli(manager.full(new Shape(chains, width), 0.5f, type));
        }
        NDArray mean = null;
        for (int k = 0; k < gibbs; k++) {
            NDArray h = RbmParams.bernoulli(t.hiddenProbabilities(v));
            mean = t.visibleMean(h);
            v = t.sampleVisible(mean);
        }
        // a lone RBM gives its visible means; a stack passes the top RBM's binary visible
        // state down, as means from there
        NDArray down = top == 0 && mean != null ? mean : v;
        for (int i = top - 1; i >= 0; i--) {
            down = block.layer(i, gaussian && i == 0).visibleMean(down);
        }
        return down;
    }
}
