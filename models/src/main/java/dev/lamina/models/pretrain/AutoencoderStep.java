package dev.lamina.models.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import dev.lamina.data.Dataset;
import dev.lamina.engine.Constants;
import dev.lamina.train.Trainable;
import dev.lamina.train.TrainingStep;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Training one layer of a {@link StackedAutoencoder} as a (denoising) autoencoder with tied
 * weights, a step of the shared training loop. With the layer's weight W (units, in), hidden bias
 * c and visible bias b:
 *
 * <pre>
 * x̃ = x with each value set to 0 with probability noise      (masking noise; none when 0)
 * h = sigmoid(x̃·Wᵀ + c)        r = sigmoid(h·W + b)  (binary)   or   r = h·W + b  (gaussian)
 * loss = mean over the batch of Σᵢ −xᵢ·log rᵢ − (1 − xᵢ)·log(1 − rᵢ)   (binary)
 *        or ½·Σᵢ (rᵢ − xᵢ)²                                             (gaussian)
 * </pre>
 *
 * Both losses give {@code δr = (r − x)/n} at the decoder's pre-activation, so the gradient is
 * written out: {@code ∂b = Σ δr}, {@code δh = (δr·W) ⊙ h ⊙ (1 − h)}, {@code ∂c = Σ δh},
 * {@code ∂W = hᵀ·δr + δhᵀ·x̃} (decoder and encoder share W), applied with momentum and weight
 * decay by {@link MomentumUpdate} (Vincent et al., "Stacked denoising autoencoders", 2010).
 *
 * <p>Reports {@code loss} per epoch and {@code val_loss} on held-out data (uncorrupted inputs).
 */
final class AutoencoderStep implements TrainingStep {
    private final StackBlock block;
    private final int layer;
    private final boolean gaussian;
    private final double noise;
    private final PretrainSettings settings;
    private RbmParams p;
    private MomentumUpdate update;
    private NDArray[] pending;
    private double lossSum;
    private long samples;

    AutoencoderStep(StackBlock block, int layer, boolean gaussian, double noise,
            PretrainSettings s) {
        this.block = block;
        this.layer = layer;
        this.gaussian = gaussian;
        this.noise = noise;
        this.settings = s;
    }

    @Override
    public void begin(Trainable model, int batchSize) {
        p = block.layer(layer, gaussian);
        update = new MomentumUpdate(model.djlModel().getNDManager(), settings, p.weight(),
                p.visibleBias(), p.hiddenBias());
    }

    @Override
    public void beginEpoch() {
        lossSum = 0;
        samples = 0;
    }

    /**
     * The loss of reconstructing {@code x} from {@code corrupted}, and (with {@code grads}) the
     * ascent directions (minus the gradient) for W, b and c, in that order.
     */
    static double lossAndGradient(RbmParams p, NDArray x, NDArray corrupted, NDArray[] grads) {
        long n = x.getShape().get(0);
        NDArray h = p.hiddenProbabilities(corrupted);
        NDArray pre = h.matMul(p.weight()).add(p.visibleBias());
        NDArray loss;
        NDArray r;
        if (p.gaussian()) {
            r = pre;
            loss = Constants.times(r.sub(x).square().sum(), 0.5 / n);
        } else {
            r = Activation.sigmoid(pre);
            // −x·log σ(a) − (1 − x)·log(1 − σ(a)) = softplus(a) − x·a, stable for any a
            loss = Constants.over(Activation.softPlus(pre).sub(x.mul(pre)).sum(), n);
        }
        if (grads != null) {
            NDArray dr = r.sub(x).div(n);
            NDArray dh = dr.matMul(p.weight().transpose()).mul(h).mul(h.neg().add(1));
            grads[0] = h.transpose().matMul(dr).add(dh.transpose().matMul(corrupted)).neg();
            grads[1] = dr.sum(new int[] {0}).neg();
            grads[2] = dh.sum(new int[] {0}).neg();
        }
        return loss.toType(DataType.FLOAT64, false).getDouble();
    }

    @Override
    public NDArray compute(NDManager bm, Dataset data, int[] idx) {
        NDArray x = data.inputs(bm, idx).head().toType(p.weight().getDataType(), false);
        NDArray corrupted = noise > 0
                ? x.mul(bm.randomUniform(0f, 1f, x.getShape(), x.getDataType()).gte(noise)
                        .toType(x.getDataType(), false))
                : x;
        pending = new NDArray[3];
        double loss = lossAndGradient(p, x, corrupted, pending);
        lossSum += loss * idx.length;
        samples += idx.length;
        return bm.create(loss); // read already: the running means are kept in Java
    }

    @Override
    public void apply() {
        update.step(pending);
        pending = null;
    }

    @Override
    public double learningRate() {
        return settings.learningRate();
    }

    @Override
    public Map<String, Double> epochLogs() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", samples == 0 ? Double.NaN : lossSum / samples);
        return m;
    }

    @Override
    public Map<String, Double> validate(Dataset data, int batchSize) {
        double sum = 0;
        NDManager root = p.weight().getManager();
        for (int[] idx : data.batches(batchSize, false, null)) {
            try (NDScope scope = new NDScope(); NDManager bm = root.newSubManager()) {
                scope.suppressNotUsedWarning();
                NDArray x = data.inputs(bm, idx).head().toType(p.weight().getDataType(), false);
                sum += lossAndGradient(p, x, x, null) * idx.length;
            }
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("val_loss", sum / data.size());
        return m;
    }

    @Override
    public void close() {
        if (update != null) {
            update.close();
        }
    }
}
