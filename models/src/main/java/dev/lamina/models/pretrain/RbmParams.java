package dev.lamina.models.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import dev.lamina.engine.Constants;

/**
 * The mathematics of one restricted Boltzmann machine, on NDArrays of any floating type (float64
 * in the tests): energy, free energy, the two conditionals, sampling, and the contrastive-
 * divergence statistics. {@code weight} is (hidden, visible), as a dense layer stores it, so the
 * up pass {@code p(h = 1 | v) = sigmoid(v·Wᵀ + c)} is exactly the unrolled network's sigmoid
 * dense layer; {@code hiddenBias} is c (hidden), {@code visibleBias} is b (visible).
 *
 * <p>Bernoulli–Bernoulli: {@code E(v, h) = −b·v − c·h − hᵀ·W·v}, {@code F(v) = −b·v − Σⱼ
 * softplus(cⱼ + Wⱼ·v)}, {@code p(v = 1 | h) = sigmoid(h·W + b)}.
 *
 * <p>Gaussian visible units of unit variance (for data standardised to mean 0, variance 1):
 * {@code E(v, h) = ½‖v − b‖² − c·h − hᵀ·W·v}, {@code F(v) = ½‖v − b‖² − Σⱼ softplus(cⱼ +
 * Wⱼ·v)}, {@code v | h ~ N(h·W + b, 1)}; the hidden units are Bernoulli as before.
 *
 * <p>Arrays it returns are made by the engine in the manager of their inputs (the caller's batch
 * manager); it changes nothing in place.
 */
public record RbmParams(NDArray weight, NDArray hiddenBias, NDArray visibleBias,
        boolean gaussian) {

    /** {@code p(h = 1 | v)} for rows of visible states {@code v} (batch, visible). */
    public NDArray hiddenProbabilities(NDArray v) {
        return Activation.sigmoid(v.matMul(weight.transpose()).add(hiddenBias));
    }

    /** The mean of the visible units given {@code h}: {@code p(v = 1 | h)}, or the Gaussian's mean. */
    public NDArray visibleMean(NDArray h) {
        NDArray a = h.matMul(weight).add(visibleBias);
        return gaussian ? a : Activation.sigmoid(a);
    }

    /** Bernoulli draws with probabilities {@code p} (the engine's generator), in p's type. */
    public static NDArray bernoulli(NDArray p) {
        NDManager m = p.getManager();
        return m.randomUniform(0f, 1f, p.getShape(), p.getDataType()).lt(p).toType(p.getDataType(), false);
    }

    /** A draw of the visible units given their mean: Bernoulli, or the mean plus N(0, 1) noise. */
    public NDArray sampleVisible(NDArray mean) {
        if (!gaussian) {
            return bernoulli(mean);
        }
        return mean.add(mean.getManager().randomNormal(0f, 1f, mean.getShape(), mean.getDataType()));
    }

    /** {@code E(v, h)} for each row of {@code v} and {@code h} (batch). */
    public NDArray energy(NDArray v, NDArray h) {
        NDArray interaction = v.matMul(weight.transpose()).mul(h).sum(new int[] {1});
        NDArray hidden = h.matMul(hiddenBias.reshape(-1, 1)).reshape(-1);
        return visibleTerm(v).sub(hidden).sub(interaction);
    }

    /** The free energy {@code F(v) = −log Σₕ exp(−E(v, h))} of each row of {@code v} (batch). */
    public NDArray freeEnergy(NDArray v) {
        NDArray pre = v.matMul(weight.transpose()).add(hiddenBias);
        return visibleTerm(v).sub(Activation.softPlus(pre).sum(new int[] {1}));
    }

    /** {@code −b·v} (binary) or {@code ½‖v − b‖²} (Gaussian), per row. */
    private NDArray visibleTerm(NDArray v) {
        if (gaussian) {
            return Constants.times(v.sub(visibleBias).square().sum(new int[] {1}), 0.5);
        }
        return v.matMul(visibleBias.reshape(-1, 1)).reshape(-1).neg();
    }

    /**
     * The CD-k statistics of a batch: the positive phase on the data {@code v0}, then {@code k}
     * steps of block Gibbs sampling from hidden states {@code chainStart} (a draw from
     * {@code p(h | v0)} for CD-k; the persistent chain's state for PCD), then the negative phase
     * on the chain's last visible draw {@code vₖ}:
     *
     * <pre>
     * ∂W ≈ (p(h | v0)ᵀ·v0 − p(h | vₖ)ᵀ·vₖ) / n
     * ∂b ≈ mean(v0 − vₖ)          ∂c ≈ mean(p(h | v0) − p(h | vₖ))
     * </pre>
     *
     * which estimate the log-likelihood gradient {@code ⟨vhᵀ⟩_data − ⟨vhᵀ⟩_model} (for k → ∞ and
     * a chain that mixes, exactly in expectation). {@code chainStart} null: draw it from v0.
     */
    public CdStatistics contrastiveDivergence(NDArray v0, NDArray chainStart, int k) {
        long n = v0.getShape().get(0);
        NDArray ph0 = hiddenProbabilities(v0);
        NDArray h0 = bernoulli(ph0);
        NDArray h = chainStart == null ? h0 : chainStart;
        // the reconstruction of the data (not of a persistent chain's state)
        NDArray reconstruction = chainStart == null ? null : visibleMean(h0);
        NDArray vk = null;
        NDArray phk = null;
        for (int step = 0; step < k; step++) {
            NDArray mean = visibleMean(h);
            if (reconstruction == null) {
                reconstruction = mean;
            }
            vk = sampleVisible(mean);
            phk = hiddenProbabilities(vk);
            h = bernoulli(phk);
        }
        Gradient g = gradient(v0, ph0, vk, phk);
        return new CdStatistics(g, h, reconstruction);
    }

    /**
     * The CD gradient estimate for a data batch {@code v0} and the chain's visible states {@code
     * vk} (as {@link #contrastiveDivergence} ends with; given here so that it can be checked for
     * fixed samples).
     */
    public Gradient gradient(NDArray v0, NDArray vk) {
        return gradient(v0, hiddenProbabilities(v0), vk, hiddenProbabilities(vk));
    }

    private static Gradient gradient(NDArray v0, NDArray ph0, NDArray vk, NDArray phk) {
        long n = v0.getShape().get(0);
        NDArray dW = ph0.transpose().matMul(v0).sub(phk.transpose().matMul(vk)).div(n);
        NDArray dB = v0.sub(vk).mean(new int[] {0});
        NDArray dC = ph0.sub(phk).mean(new int[] {0});
        return new Gradient(dW, dB, dC);
    }

    /**
     * An estimate of the log-likelihood's gradient (ascent direction) with respect to the weight
     * (hidden, visible), the visible bias and the hidden bias.
     */
    public record Gradient(NDArray dWeight, NDArray dVisibleBias, NDArray dHiddenBias) {}

    /**
     * What one CD-k batch gives: the gradient estimate; the chain's last hidden draw (a
     * persistent chain goes on from it); and the data's reconstruction {@code E[v | h0]}, h0 a
     * draw from {@code p(h | v0)} (also with a persistent chain), for the reconstruction error.
     */
    public record CdStatistics(Gradient gradient, NDArray chainEnd, NDArray reconstruction) {}
}
