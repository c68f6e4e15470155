package dev.lamina.models.pretrain;

import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.Map;

/**
 * The {@code pretrain:} settings of {@link Rbm}, {@link Dbn} and {@link StackedAutoencoder}:
 * epochs (per layer of a stack), {@code cd_k} Gibbs steps and {@code persistent} chains (RBMs
 * only), the learning rate, momentum and L2 weight decay of the update, the mini-batch size, and
 * {@code held_out}, the last fraction of the samples kept out of pretraining to measure the
 * reconstruction error and the free-energy gap on (0: none).
 *
 * <p>Defaults (Hinton's "practical guide" for binary units): 5 epochs, CD-1, not persistent,
 * learning rate 0.1, momentum 0.5, weight decay 2e-4, batches of 64, 5% held out. Gaussian
 * visible units want a learning rate of about 0.001 to 0.01.
 */
public record PretrainSettings(int epochs, int cdK, boolean persistent, double learningRate,
        double momentum, double weightDecay, int batchSize, double heldOut) {
    public static final PretrainSettings DEFAULTS =
            new PretrainSettings(5, 1, false, 0.1, 0.5, 2e-4, 64, 0.05);

    public PretrainSettings {
        String t = "pretrain";
        if (epochs < 0) {
            throw new SpecException(t, "epochs", "expected 0 or more, received epochs=" + epochs);
        }
        if (cdK < 1) {
            throw new SpecException(t, "cd_k", "expected a positive number of Gibbs steps, received cd_k=" + cdK);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new SpecException(t, "learning_rate",
                    "expected a positive number, received learning_rate=" + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new SpecException(t, "momentum",
                    "expected a number in [0, 1), received momentum=" + momentum);
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new SpecException(t, "weight_decay",
                    "expected 0 or a positive number, received weight_decay=" + weightDecay);
        }
        if (batchSize < 1) {
            throw new SpecException(t, "batch_size",
                    "expected a positive integer, received batch_size=" + batchSize);
        }
        if (!(heldOut >= 0 && heldOut < 1)) {
            throw new SpecException(t, "held_out",
                    "expected a fraction in [0, 1), received held_out=" + heldOut);
        }
    }

    /** A copy with {@code n} epochs. */
    public PretrainSettings withEpochs(int n) {
        return new PretrainSettings(n, cdK, persistent, learningRate, momentum, weightDecay,
                batchSize, heldOut);
    }

    /** A copy with CD-{@code k}, persistent or not. */
    public PretrainSettings withCd(int k, boolean persistentChains) {
        return new PretrainSettings(epochs, k, persistentChains, learningRate, momentum,
                weightDecay, batchSize, heldOut);
    }

    /** A copy with another learning rate, momentum and weight decay. */
    public PretrainSettings withUpdate(double rate, double mom, double decay) {
        return new PretrainSettings(epochs, cdK, persistent, rate, mom, decay, batchSize, heldOut);
    }

    /** A copy with another batch size and held-out fraction. */
    public PretrainSettings withBatches(int size, double held) {
        return new PretrainSettings(epochs, cdK, persistent, learningRate, momentum, weightDecay,
                size, held);
    }

    /** The settings as written to files; {@code rbm}: with the RBM-only keys. */
    Map<String, Object> config(boolean rbm) {
        return Spec.ordered("epochs", epochs, "cd_k", rbm ? cdK : null,
                "persistent", rbm ? persistent : null, "learning_rate", learningRate,
                "momentum", momentum, "weight_decay", weightDecay, "batch_size", batchSize,
                "held_out", heldOut);
    }

    /**
     * Reads {@code pretrain:} of layer type {@code type} ({@code dflt} when absent); {@code rbm}
     * false refuses {@code cd_k} and {@code persistent}. Errors point at the setting's line.
     */
    static PretrainSettings parse(String type, ConfigNode node, PretrainSettings dflt, boolean rbm) {
        if (node == null) {
            return dflt;
        }
        SpecMap m = new SpecMap(type + ".pretrain", node);
        return m.build(() -> new PretrainSettings(m.getInt("epochs", dflt.epochs),
                rbm ? m.getInt("cd_k", dflt.cdK) : dflt.cdK,
                rbm ? m.getBoolean("persistent", dflt.persistent) : dflt.persistent,
                m.getDouble("learning_rate", dflt.learningRate),
                m.getDouble("momentum", dflt.momentum),
                m.getDouble("weight_decay", dflt.weightDecay),
                m.getInt("batch_size", dflt.batchSize), m.getDouble("held_out", dflt.heldOut)));
    }
}
