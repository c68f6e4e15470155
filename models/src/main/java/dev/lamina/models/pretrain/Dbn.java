package dev.lamina.models.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lamina.Model;
import dev.lamina.Sequential;
import dev.lamina.data.Dataset;
import dev.lamina.data.Tensor;
import dev.lamina.initializers.RandomNormal;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import dev.lamina.train.History;
import dev.lamina.train.Pretrainable;
import dev.lamina.train.Pretraining;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A deep belief network (Hinton, Osindero and Teh, 2006, "A fast learning algorithm for deep
 * belief nets"): a stack of restricted Boltzmann machines of {@code units} hidden units each,
 * pretrained greedily without labels, each RBM on the hidden probabilities of the one below,
 * by contrastive divergence ({@link ContrastiveDivergence}; settings in {@code pretrain:}, see
 * {@link PretrainSettings}). In the network it is the unrolled stack: each RBM's weight and
 * hidden bias become a sigmoid dense layer, {@code x ← sigmoid(x·Wᵢᵀ + cᵢ)}; put an output layer
 * on top and {@code fit} fine-tunes the whole by backpropagation:
 *
 * <pre>
 * - flatten
 * - dbn: {units: [500, 500], visible: binary, pretrain: {epochs: 5, cd_k: 1}}
 * - dense: {units: 10}
 * </pre>
 *
 * <p>It stays generative: {@link #sample} runs Gibbs steps in the top RBM, then a down pass. With
 * {@code visible: gaussian} the first RBM has Gaussian visible units of unit variance, for
 * standardised real-valued data (binary ones need inputs in [0, 1]). Weights start from
 * N(0, 0.01²) (Hinton's guide), biases at 0; before the first RBM trains, binary visible biases
 * start at the log-odds of each unit's mean.
 *
 * <p>Input (features); output (units of the last RBM). Parameters {@code rbmI_weight} (units,
 * in), {@code rbmI_bias} (units), {@code rbmI_visible_bias} (in), I from 1.
 */
public record Dbn(List<Integer> units, boolean gaussian, PretrainSettings pretrain)
        implements LayerSpec, Pretrainable {
    public static final String TYPE = "dbn";
    static final RandomNormal INIT = new RandomNormal(0, 0.01);

    public Dbn {
        units = List.copyOf(checkUnits(TYPE, units));
        pretrain = pretrain == null ? PretrainSettings.DEFAULTS : pretrain;
    }

    /** RBMs of these sizes, binary visible units, the default pretraining. */
    public Dbn(int... units) {
        this(toList(units), false, null);
    }

    static List<Integer> toList(int[] units) {
        List<Integer> l = new ArrayList<>();
        for (int u : units) {
            l.add(u);
        }
        return l;
    }

    static List<Integer> checkUnits(String type, List<Integer> units) {
        if (units == null || units.isEmpty()) {
            throw new SpecException(type, "units", "expected a list of positive integers such as"
                    + " [500, 500], received units=" + units);
        }
        for (Integer u : units) {
            if (u == null || u <= 0) {
                throw new SpecException(type, "units", "expected positive integers, received"
                        + " units=" + units);
            }
        }
        return units;
    }

    /** A copy with other pretraining settings. */
    public Dbn withPretrain(PretrainSettings s) {
        return new Dbn(units, gaussian, s);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Shape outputShape(Shape in) {
        return stackOutput(in, units);
    }

    static Shape stackOutput(Shape in, List<Integer> units) {
        if (in.dimension() != 1 || in.get(0) <= 0) {
            throw new ShapeException("expected (features), got " + in + "; put flatten before it");
        }
        return new Shape(units.get(units.size() - 1));
    }

    static int[] array(List<Integer> units) {
        return units.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        outputShape(input);
        return new StackBlock(ctx, "rbm", array(units), INIT);
    }

    @Override
    public Map<String, History> pretrain(Block block, Dataset inputs, Pretraining how) {
        StackBlock b = (StackBlock) block;
        Map<String, History> out = Greedy.run(TYPE, b, inputs, how, pretrain, gaussian, "rbm",
                method(pretrain), (i, g) -> new ContrastiveDivergence(b, i, g, pretrain));
        writeSamples(b, gaussian, how, inputs);
        return out;
    }

    static String method(PretrainSettings s) {
        return (s.persistent() ? "PCD-" : "CD-") + s.cdK();
    }

    /** Chains, and Gibbs steps per chain, of the PNG {@code lamina train} writes. */
    static final int GRID_CHAINS = 100;
    static final int GRID_GIBBS = 1000;

    /**
     * With a directory to write in and square images as input, writes two grids of 100 samples,
     * each after 1,000 Gibbs steps in the top RBM then a down pass: {@code LAYER-samples.png},
     * chains started from random states (what the model generates), and {@code
     * LAYER-samples-from-data.png}, chains started from the up pass of the last 100 inputs (held
     * out when {@code held_out} is set; how far the chains wander from real images).
     */
    static void writeSamples(StackBlock b, boolean gaussian, Pretraining how, Dataset inputs) {
        int visible = inputs.inputs().get(0).sampleSize();
        int side = (int) Math.round(Math.sqrt(visible));
        if (how.directory() == null || side * side != visible) {
            return;
        }
        int n = Math.min(GRID_CHAINS, inputs.size());
        Tensor last = inputs.inputs().get(0).slice(inputs.size() - n, inputs.size());
        for (boolean fromData : new boolean[] {false, true}) {
            Path png = how.directory().resolve(how.layer()
                    + (fromData ? "-samples-from-data.png" : "-samples.png"));
            try (NDManager m = b.layer(0, gaussian).weight().getManager().newSubManager()) {
                NDArray start = fromData
                        ? last.gather(m, java.util.stream.IntStream.range(0, n).toArray()) : null;
                float[] v = Greedy.sample(b, gaussian, m, GRID_CHAINS, GRID_GIBBS, start)
                        .toType(DataType.FLOAT32, false).toFloatArray();
                SampleGrid.write(new Tensor(v, new Shape(visible)), side, side, 10, png);
                how.log().accept("samples of " + how.layer() + " (" + (fromData ? n : GRID_CHAINS)
                        + " chains from " + (fromData ? "the last inputs" : "random states")
                        + ", " + GRID_GIBBS + " Gibbs steps each): " + png);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + png + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Samples from the {@code dbn} or {@code rbm} layer {@code layer} of a built {@code
     * Sequential}: {@code gibbs} steps of Gibbs sampling in its top RBM for each of {@code chains}
     * chains, started at random (or from {@code start}'s up pass, one chain per row, when given),
     * then a down pass; returns the means of the visible units, one row per chain.
     */
    public static Tensor sample(Model model, String layer, int chains, int gibbs, Tensor start) {
        if (!(model instanceof Sequential s)) {
            throw new IllegalArgumentException("sampling needs a Sequential model; '"
                    + model.name() + "' is a " + model.getClass().getSimpleName());
        }
        if (gibbs < 0 || (start == null && chains <= 0)) {
            throw new IllegalArgumentException("sampling needs positive chains and 0 or more"
                    + " Gibbs steps, received chains=" + chains + ", gibbs=" + gibbs);
        }
        LayerSpec spec = null;
        for (Sequential.Entry e : s.layers()) {
            if (e.name().equals(layer)) {
                spec = e.spec();
            }
        }
        boolean gaussian;
        if (spec instanceof Dbn d) {
            gaussian = d.gaussian();
        } else if (spec instanceof Rbm r) {
            gaussian = r.gaussian();
        } else {
            throw new IllegalArgumentException("layer '" + layer + "' of model '" + model.name()
                    + "' is " + (spec == null ? "not there" : "a " + spec.type())
                    + ": sampling needs a dbn or rbm layer; layers: " + s.layerNames());
        }
        StackBlock b = (StackBlock) model.layerBlock(layer);
        try (NDManager m = model.djlModel().getNDManager().newSubManager()) {
            NDArray from = start == null ? null
                    : start.gather(m, java.util.stream.IntStream.range(0, start.size()).toArray());
            float[] v = Greedy.sample(b, gaussian, m, chains, gibbs, from)
                    .toType(DataType.FLOAT32, false).toFloatArray();
            long visible = b.layer(0, gaussian).weight().getShape().get(1);
            return new Tensor(v, new Shape(visible));
        }
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("units", units, "visible", gaussian ? "gaussian" : "binary",
                "pretrain", pretrain.config(true));
    }

    /** Reads the settings written by {@link #config()}. */
    public static Dbn fromMap(SpecMap m) {
        int[] u = m.getIntList("units", null);
        boolean g = "gaussian".equals(m.getChoice("visible", "binary", "binary", "gaussian"));
        PretrainSettings p = PretrainSettings.parse(TYPE, m.get("pretrain"),
                PretrainSettings.DEFAULTS, true);
        return new Dbn(u == null ? null : toList(u), g, p);
    }
}
