package dev.lamina.models.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import dev.lamina.data.Dataset;
import dev.lamina.train.Trainable;
import dev.lamina.train.TrainingStep;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Training one RBM by contrastive divergence, as a step of the shared training loop (epochs,
 * shuffled mini-batches, progress, the {@code History} and callbacks come from {@code
 * TrainingLoop}). This is not backpropagation: each batch computes the CD-k estimate of the
 * log-likelihood gradient with NDArray operations ({@link RbmParams#contrastiveDivergence})
 *
 * <pre>
 * ΔW ∝ ⟨p(h | v0)ᵀ·v0⟩ − ⟨p(h | vₖ)ᵀ·vₖ⟩,   Δb ∝ ⟨v0 − vₖ⟩,   Δc ∝ ⟨p(h | v0) − p(h | vₖ)⟩
 * </pre>
 *
 * where vₖ ends k steps of block Gibbs sampling started from a draw of {@code p(h | v0)} (CD-k,
 * Hinton 2002) or, with {@code persistent}, from where the previous batch's chains stopped
 * (persistent CD, Tieleman 2008), and applies it with momentum and weight decay ({@link
 * MomentumUpdate}).
 *
 * <p>Per epoch it reports {@code recon_error}, the mean squared difference between the data and
 * its first reconstruction {@code E[v | h0]} per visible unit; on held-out data {@code
 * val_recon_error}, and {@code free_energy_gap}: the mean free energy of the held-out samples
 * minus that of as many training samples. The gap grows when the RBM starts to overfit (Hinton's
 * guide, section 6).
 */
final class ContrastiveDivergence implements TrainingStep {
    private final StackBlock block;
    private final int layer;
    private final boolean gaussian;
    private final PretrainSettings settings;
    private RbmParams rbm;
    private MomentumUpdate update;
    private RbmParams.Gradient pending;
    private NDArray pendingChain;
    private NDArray chain; // persistent chains' hidden states, in the update's manager
    private Dataset train;
    private double errorSum;
    private long samples;

    ContrastiveDivergence(StackBlock block, int layer, boolean gaussian, PretrainSettings s) {
        this.block = block;
        this.layer = layer;
        this.gaussian = gaussian;
        this.settings = s;
    }

    @Override
    public void begin(Trainable model, int batchSize) {
        rbm = block.layer(layer, gaussian);
        update = new MomentumUpdate(model.djlModel().getNDManager(), settings, rbm.weight(),
                rbm.visibleBias(), rbm.hiddenBias());
    }

    @Override
    public void beginEpoch() {
        errorSum = 0;
        samples = 0;
    }

    @Override
    public NDArray compute(NDManager bm, Dataset data, int[] idx) {
        train = data;
        NDArray v0 = data.inputs(bm, idx).head().toType(rbm.weight().getDataType(), false);
        NDArray start = null;
        if (settings.persistent() && chain != null) {
            start = idx.length == chain.getShape().get(0) ? chain : chain.get("0:" + idx.length);
        }
        RbmParams.CdStatistics s = rbm.contrastiveDivergence(v0, start, settings.cdK());
        pending = s.gradient();
        pendingChain = s.chainEnd();
        double error = s.reconstruction().sub(v0).square().mean().toType(DataType.FLOAT64, false)
                .getDouble();
        errorSum += error * idx.length;
        samples += idx.length;
        return bm.create(error); // read already: the running means are kept in Java
    }

    @Override
    public void apply() {
        update.step(pending.dWeight(), pending.dVisibleBias(), pending.dHiddenBias());
        if (settings.persistent()) {
            NDArray next = pendingChain;
            if (chain != null && next.getShape().get(0) < chain.getShape().get(0)) {
                next = next.concat(chain.get(next.getShape().get(0) + ":"), 0);
            }
            NDArray kept = next.duplicate();
            kept.attach(update.manager());
            NDScope.unregister(kept);
            if (chain != null) {
                chain.close();
            }
            chain = kept;
        }
        pending = null;
        pendingChain = null;
    }

    @Override
    public double learningRate() {
        return settings.learningRate();
    }

    @Override
    public Map<String, Double> epochLogs() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("recon_error", samples == 0 ? Double.NaN : errorSum / samples);
        return m;
    }

    @Override
    public Map<String, Double> validate(Dataset data, int batchSize) {
        Map<String, Double> m = new LinkedHashMap<>();
        double[] held = measure(data, batchSize);
        m.put("val_recon_error", held[0]);
        if (train != null) {
            double[] seen = measure(train.limit(data.size()), batchSize);
            m.put("free_energy_gap", held[1] - seen[1]);
        }
        return m;
    }

    /** {mean reconstruction error per unit, mean free energy} over {@code data}. */
    private double[] measure(Dataset data, int batchSize) {
        double error = 0;
        double free = 0;
        NDManager root = rbm.weight().getManager();
        for (int[] idx : data.batches(batchSize, false, null)) {
            try (NDScope scope = new NDScope(); NDManager bm = root.newSubManager()) {
                scope.suppressNotUsedWarning();
                NDArray v = data.inputs(bm, idx).head().toType(rbm.weight().getDataType(), false);
                NDArray h = RbmParams.bernoulli(rbm.hiddenProbabilities(v));
                error += rbm.visibleMean(h).sub(v).square().mean(new int[] {1}).sum()
                        .toType(DataType.FLOAT64, false).getDouble();
                free += rbm.freeEnergy(v).sum().toType(DataType.FLOAT64, false).getDouble();
            }
        }
        return new double[] {error / data.size(), free / data.size()};
    }

    @Override
    public void close() {
        if (update != null) {
            update.close();
        }
    }
}
