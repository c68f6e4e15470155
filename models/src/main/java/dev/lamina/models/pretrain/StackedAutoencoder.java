package dev.lamina.models.pretrain;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lamina.data.Dataset;
import dev.lamina.initializers.GlorotUniform;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import dev.lamina.train.History;
import dev.lamina.train.Pretrainable;
import dev.lamina.train.Pretraining;
import java.util.List;
import java.util.Map;

/**
 * A stack of sigmoid dense layers pretrained greedily as autoencoders with tied weights, the
 * sibling of {@link Dbn} (Bengio et al., 2007; with {@code noise} above 0, the denoising
 * autoencoders of Vincent et al., 2010): each layer learns to reconstruct its input (the data,
 * then the layer below's codes) from a copy with a {@code noise} fraction of its values set to 0
 * ({@link AutoencoderStep}). In the network it is the encoders' stack {@code x ← sigmoid(x·Wᵢᵀ +
 * cᵢ)}; put an output layer on top and {@code fit} fine-tunes it:
 *
 * <pre>
 * - stacked_autoencoder: {units: [500, 500], noise: 0.25, pretrain: {epochs: 5}}
 * - dense: {units: 10}
 * </pre>
 *
 * <p>{@code visible: binary} (inputs in [0, 1], cross-entropy) or {@code gaussian} (linear
 * reconstruction, squared error) for the first layer; the ones above reconstruct codes in
 * [0, 1]. Weights start Glorot-uniform. Pretraining defaults: as {@link PretrainSettings} but no
 * weight decay; {@code cd_k} and {@code persistent} do not apply.
 *
 * <p>Input (features); output (units of the last layer). Parameters {@code aeI_weight} (units,
 * in), {@code aeI_bias} (units), {@code aeI_visible_bias} (in, the decoder's bias), I from 1.
 */
public record StackedAutoencoder(List<Integer> units, boolean gaussian, double noise,
        PretrainSettings pretrain) implements LayerSpec, Pretrainable {
    public static final String TYPE = "stacked_autoencoder";
    static final PretrainSettings DEFAULTS = PretrainSettings.DEFAULTS.withUpdate(0.1, 0.5, 0);

    public StackedAutoencoder {
        units = List.copyOf(Dbn.checkUnits(TYPE, units));
        if (!(noise >= 0 && noise < 1)) {
            throw new SpecException(TYPE, "noise",
                    "expected a fraction in [0, 1), received noise=" + noise);
        }
        pretrain = pretrain == null ? DEFAULTS : pretrain;
    }

    /** Layers of these sizes, binary visible units, no noise, the default pretraining. */
    public StackedAutoencoder(int... units) {
        this(Dbn.toList(units), false, 0, null);
    }

    /** A copy with masking noise {@code fraction} (denoising autoencoders). */
    public StackedAutoencoder withNoise(double fraction) {
        return new StackedAutoencoder(units, gaussian, fraction, pretrain);
    }

    /** A copy with other pretraining settings. */
    public StackedAutoencoder withPretrain(PretrainSettings s) {
        return new StackedAutoencoder(units, gaussian, noise, s);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Shape outputShape(Shape in) {
        return Dbn.stackOutput(in, units);
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        outputShape(input);
        return new StackBlock(ctx, "ae", Dbn.array(units), new GlorotUniform());
    }

    @Override
    public Map<String, History> pretrain(Block block, Dataset inputs, Pretraining how) {
        StackBlock b = (StackBlock) block;
        String method = noise > 0 ? "denoising autoencoder, noise " + noise : "autoencoder";
        return Greedy.run(TYPE, b, inputs, how, pretrain, gaussian, "ae", method,
                (i, g) -> new AutoencoderStep(b, i, g, noise, pretrain));
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("units", units, "visible", gaussian ? "gaussian" : "binary",
                "noise", noise, "pretrain", pretrain.config(false));
    }

    /** Reads the settings written by {@link #config()}. */
    public static StackedAutoencoder fromMap(SpecMap m) {
        int[] u = m.getIntList("units", null);
        boolean g = "gaussian".equals(m.getChoice("visible", "binary", "binary", "gaussian"));
        double noise = m.getDouble("noise", 0);
        PretrainSettings p = PretrainSettings.parse(TYPE, m.get("pretrain"), DEFAULTS, false);
        return new StackedAutoencoder(u == null ? null : Dbn.toList(u), g, noise, p);
    }
}
