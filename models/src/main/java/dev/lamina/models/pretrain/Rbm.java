package dev.lamina.models.pretrain;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lamina.data.Dataset;
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
 * One restricted Boltzmann machine of {@code units} hidden units (Bernoulli, or Gaussian visible
 * units with {@code visible: gaussian}), pretrained by contrastive divergence ({@link
 * ContrastiveDivergence}, the {@code pretrain:} settings of {@link PretrainSettings}); in the
 * network, its up pass {@code p(h = 1 | v) = sigmoid(v·Wᵀ + c)}, a sigmoid dense layer. The
 * maths is in {@link RbmParams}; a {@link Dbn} is a stack of these.
 *
 * <p>Input (features); output (units). Parameters {@code weight} (units, in), {@code bias}
 * (units), {@code visible_bias} (in).
 */
public record Rbm(int units, boolean gaussian, PretrainSettings pretrain)
        implements LayerSpec, Pretrainable {
    public static final String TYPE = "rbm";

    public Rbm {
        if (units <= 0) {
            throw new SpecException(TYPE, "units",
                    "expected a positive integer, received units=" + units);
        }
        pretrain = pretrain == null ? PretrainSettings.DEFAULTS : pretrain;
    }

    /** {@code units} hidden units, binary visible units, the default pretraining. */
    public Rbm(int units) {
        this(units, false, null);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Shape outputShape(Shape in) {
        return Dbn.stackOutput(in, List.of(units));
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        outputShape(input);
        return new StackBlock(ctx, "", new int[] {units}, Dbn.INIT);
    }

    @Override
    public Map<String, History> pretrain(Block block, Dataset inputs, Pretraining how) {
        StackBlock b = (StackBlock) block;
        Map<String, History> out = Greedy.run(TYPE, b, inputs, how, pretrain, gaussian, "rbm",
                Dbn.method(pretrain), (i, g) -> new ContrastiveDivergence(b, i, g, pretrain));
        Dbn.writeSamples(b, gaussian, how, inputs);
        return out;
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("units", units, "visible", gaussian ? "gaussian" : "binary",
                "pretrain", pretrain.config(true));
    }

    /** Reads the settings written by {@link #config()}. */
    public static Rbm fromMap(SpecMap m) {
        int u = m.requireInt("units");
        boolean g = "gaussian".equals(m.getChoice("visible", "binary", "binary", "gaussian"));
        return new Rbm(u, g, PretrainSettings.parse(TYPE, m.get("pretrain"),
                PretrainSettings.DEFAULTS, true));
    }
}
