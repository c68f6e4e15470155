package dev.lamina;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.lamina.data.Dataset;
import dev.lamina.data.Tensor;
import dev.lamina.engine.Backend;
import dev.lamina.engine.KernelCheck;
import dev.lamina.layers.CoreLayers;
import dev.lamina.losses.LossSpec;
import dev.lamina.metrics.MetricSpec;
import dev.lamina.optimizers.OptimizerSpec;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.InnerValues;
import dev.lamina.spec.StepSeeds;
import dev.lamina.train.Compiled;
import dev.lamina.train.DataChecks;
import dev.lamina.train.FitOptions;
import dev.lamina.train.History;
import dev.lamina.train.Inference;
import dev.lamina.train.NonFiniteLossException;
import dev.lamina.train.Predictions;
import dev.lamina.train.Pretrainable;
import dev.lamina.train.Pretraining;
import dev.lamina.train.SampleWeights;
import dev.lamina.train.Supervised;
import dev.lamina.train.Trainable;
import dev.lamina.train.TrainingLoop;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A model: built from layer specs, then compiled, trained, evaluated, used to predict, saved and
 * loaded. {@link Sequential} is a stack of layers; other kinds (graphs) extend this class.
 *
 * <p>Building checks every shape before any engine call, then makes one DJL block on the chosen
 * {@link Backend} (PyTorch on the CPU unless told otherwise) and draws its initial weights from a
 * Java generator seeded by {@link #seed(long)}: one seed, the same weights on every engine. The
 * model owns native memory: close it when done (try-with-resources).
 */
public abstract class Model implements Trainable, AutoCloseable {
    private final String name;
    private Backend backend;
    private Long seed;
    private Compiled compiled;
    private ai.djl.Model djl;
    private Block block;
    private StepSeeds steps;
    private byte[] initialWeights;
    private int fits;
    private List<String> classNames = List.of();
    private final Map<String, Boolean> frozen = new java.util.HashMap<>();
    // parameters built without a gradient (batch norm's moving statistics, an RBM's visible
    // bias): unfreezing leaves them so
    private final java.util.Set<String> fixedAtBuild = new java.util.HashSet<>();

    /** A model called {@code name} (used in summaries and saved files). */
    protected Model(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a model needs a non-empty name");
        }
        this.name = name;
    }

    // ---- what a kind of model provides ----

    /** Checks every shape and returns the per-sample input shapes; throws naming the layer. */
    protected abstract List<Shape> checkShapes();

    /** The per-sample output shapes (after {@link #checkShapes()}). */
    public abstract List<Shape> outputShapes();

    /** Makes the DJL block (called once, after the shapes are checked). */
    protected abstract Block newBlock(BuildContext ctx);

    /** The architecture as a plain map in {@link ModelFormat} (the YAML {@code model:} section). */
    public abstract Map<String, Object> architecture();

    /** The names of the outputs, used to name per-output losses and metrics. */
    @Override
    public List<String> outputNames() {
        return List.of("output");
    }

    /** One row per layer for {@link #summary()}: name, type, output shape, block, inputs. */
    protected abstract List<Summary.Row> summaryRows();

    /**
     * The names of the layers, in order: a Sequential's stack; a graph's nodes in the order they
     * run (a shared layer under the name of its first node). Known before the model is built.
     */
    public abstract List<String> layerNames();

    /** The DJL block of the layer named {@code layerName} (the model is built first). */
    public abstract Block layerBlock(String layerName);

    // ---- freezing (transfer learning) ----

    /**
     * Stops (or restarts) training the weights of one layer, as Keras's {@code layer.trainable}. A
     * frozen batch norm also stops updating its moving statistics (it normalises with them, as in
     * inference), and unfreezing never makes the moving statistics trainable, nor any parameter
     * its layer built without a gradient (an RBM's visible bias). The model is built
     * first; a {@code fit} after this trains only what is not frozen.
     */
    public Model setTrainable(String layerName, boolean trainable) {
        Block b = layerBlock(layerName);
        for (ai.djl.util.Pair<String, Parameter> p : b.getParameters()) {
            Parameter.Type t = p.getValue().getType();
            if (t != Parameter.Type.RUNNING_MEAN && t != Parameter.Type.RUNNING_VAR
                    && !fixedAtBuild.contains(p.getValue().getId())) {
                p.getValue().freeze(!trainable);
            }
        }
        frozen.put(layerName, !trainable);
        return this;
    }

    /** Freezes or unfreezes every layer, as Keras's {@code model.trainable = False}. */
    public Model setTrainable(boolean trainable) {
        layerNames().forEach(n -> setTrainable(n, trainable));
        return this;
    }

    /** True when the layer's weights are frozen by {@link #setTrainable} or {@link #freeze}. */
    public boolean isFrozen(String layerName) {
        return frozen.getOrDefault(layerName, false);
    }

    /**
     * Freezes the layers named: each argument is a layer's name, or else a prefix of names
     * ({@code freeze("conv")} freezes {@code conv2d}, {@code conv2d_1}, ...). An argument that
     * names no layer is an error that lists the layers.
     */
    public Model freeze(String... namesOrPrefixes) {
        matchLayers(List.of(namesOrPrefixes)).forEach(n -> setTrainable(n, false));
        return this;
    }

    /** Unfreezes the layers named, as {@link #freeze(String...)} finds them. */
    public Model unfreeze(String... namesOrPrefixes) {
        matchLayers(List.of(namesOrPrefixes)).forEach(n -> setTrainable(n, true));
        return this;
    }

    /**
     * Freezes layers {@code from} (inclusive) to {@code to} (exclusive) of {@link #layerNames()},
     * as Python's {@code model.layers[from:to]}: a negative index counts from the end, so {@code
     * freeze(0, -1)} freezes all but the last layer.
     */
    public Model freeze(int from, int to) {
        layerRange(from, to).forEach(n -> setTrainable(n, false));
        return this;
    }

    /** Unfreezes layers {@code from} (inclusive) to {@code to} (exclusive), as {@link #freeze(int, int)}. */
    public Model unfreeze(int from, int to) {
        layerRange(from, to).forEach(n -> setTrainable(n, true));
        return this;
    }

    /**
     * The layers that {@code namesOrPrefixes} name, in the model's order: an exact name, else every
     * layer whose name starts with it. Throws, with a "did you mean" and the list of layers, for
     * one that names none. Does not build the model.
     */
    public List<String> matchLayers(List<String> namesOrPrefixes) {
        List<String> names = layerNames();
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (String p : namesOrPrefixes) {
            if (p == null || p.isEmpty()) {
                throw new IllegalArgumentException("a layer name to freeze is empty: name a layer,"
                        + " or a prefix of layer names. Layers: " + names);
            }
            if (names.contains(p)) {
                out.add(p);
                continue;
            }
            List<String> hits = names.stream().filter(n -> n.startsWith(p)).toList();
            if (hits.isEmpty()) {
                throw new IllegalArgumentException("model '" + name + "' has no layer named '" + p
                        + "' nor one whose name starts with it."
                        + dev.lamina.spec.Names.didYouMean(p, names) + " Layers: " + names);
            }
            out.addAll(hits);
        }
        List<String> ordered = new java.util.ArrayList<>(names);
        ordered.retainAll(out);
        return ordered;
    }

    private List<String> layerRange(int from, int to) {
        List<String> names = layerNames();
        int n = names.size();
        int a = from < 0 ? n + from : from;
        int b = to < 0 ? n + to : to;
        if (a < 0 || b > n || a > b) {
            throw new IllegalArgumentException("layers " + from + " to " + to + " are not a range of"
                    + " model '" + name + "', which has " + n + " layers (0 to " + (n - 1)
                    + "; negative indices count from the end)");
        }
        return names.subList(a, b);
    }

    // ---- settings ----

    /** False when every layer is of a type that draws nothing ({@link CoreLayers#DRAW_NOTHING}). */
    @Override
    public boolean drawsOnEngine() {
        build();
        for (Summary.Row r : summaryRows()) {
            if (!r.type().equals("input") && !CoreLayers.DRAW_NOTHING.contains(r.type())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public long valuesPerSample() {
        long n = 0;
        for (Summary.Row r : summaryRows()) {
            n += r.output() == null ? 0 : Math.max(0, r.output().size());
            n += innerValues(r.block());
        }
        return n;
    }

    /** What {@code block} and the blocks inside it hold besides their outputs. */
    private static long innerValues(Block block) {
        if (block == null) {
            return 0;
        }
        long n = block instanceof InnerValues v ? v.innerValuesPerSample() : 0;
        for (Block child : block.getChildren().values()) {
            n += innerValues(child);
        }
        return n;
    }

    /** The model's name. */
    @Override
    public String name() {
        return name;
    }

    /** Runs on {@code engine} ({@code pytorch} or {@code mxnet}); only before the model is built. */
    public Model engine(String engine) {
        return backend(Backend.of(engine));
    }

    /** Runs on this engine and device; only before the model is built. */
    public Model backend(Backend b) {
        requireNotBuilt("choose the engine");
        this.backend = b;
        return this;
    }

    /**
     * Names the classes of the first output, in order (class {@code i} is {@code names.get(i)}),
     * saved with the model and used by {@link #decodePredictions} and {@code lamina predict}. A
     * model trained on a data set with class names ({@code images:DIR}) takes them when it has
     * none and its output has one score per class.
     */
    public Model classNames(List<String> names) {
        List<String> copy = List.copyOf(names);
        Shape out = outputShapes().get(0);
        if (!copy.isEmpty() && (out.dimension() != 1 || out.get(0) != copy.size())) {
            throw new IllegalArgumentException("model '" + name + "' outputs " + Summary.shape(out)
                    + " but " + copy.size() + " class names were given: give one name"
                    + " per output class");
        }
        for (int i = 0; i < copy.size(); i++) {
            if (copy.get(i).isBlank()) {
                throw new IllegalArgumentException("class name " + i + " of model '" + name
                        + "' is empty: give every class a name");
            }
        }
        this.classNames = copy;
        return this;
    }

    /** The names of the output classes; empty when the model has none. */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * The {@code top} most probable classes of each sample of {@code scores} (what {@link
     * #predict} gives), named by {@link #classNames()}, as Keras's {@code decode_predictions};
     * logits become probabilities by a softmax when the compiled loss takes logits (see {@link
     * Predictions}).
     */
    public List<List<Predictions.Label>> decodePredictions(Tensor scores, int top) {
        return Predictions.decode(scores, top, classNames, compiled);
    }

    /** The engine and device (the defaults until set). */
    public Backend backend() {
        if (backend == null) {
            backend = Backend.defaults();
        }
        return backend;
    }

    /**
     * Seeds initial weights, shuffling and dropout, so a CPU run repeats exactly. Without a seed
     * every run differs. Only before the model is built.
     */
    public Model seed(long s) {
        requireNotBuilt("set the seed");
        this.seed = s;
        return this;
    }

    /** The seed (drawn at random when none was given). */
    public long seed() {
        if (seed == null) {
            seed = new Random().nextLong();
        }
        return seed;
    }

    @Override
    public long nextFitSeed() {
        return seed() + 31L * fits++;
    }

    @Override
    public ai.djl.Device device() {
        return backend().device();
    }

    @Override
    public List<Shape> inputShapes() {
        return checkShapes();
    }

    /** True once {@link #build()} ran. */
    public boolean isBuilt() {
        return block != null;
    }

    private void requireNotBuilt(String what) {
        if (isBuilt()) {
            throw new IllegalStateException("cannot " + what + " of model '" + name
                    + "' after it is built; do it before compile, fit, summary or predict");
        }
    }

    // ---- life cycle ----

    /**
     * Checks shapes, makes the DJL block on the backend and draws the initial weights. Called by
     * every method that needs it; calling it again does nothing.
     */
    public Model build() {
        if (isBuilt()) {
            return this;
        }
        List<Shape> inputs = checkShapes();
        Backend b = backend();
        KernelCheck.require(b.engine());
        long s = seed();
        ai.djl.Model m = ai.djl.Model.newInstance(name, b.device(), b.engine());
        try {
            BuildContext ctx = new BuildContext(new Random(s));
            Block bl = newBlock(ctx);
            m.setBlock(bl);
            this.steps = ctx.steps();
            bl.initialize(m.getNDManager(), DataType.FLOAT32, withBatch(inputs, 1));
            if (initialWeights != null) {
                try (java.io.DataInputStream in = new java.io.DataInputStream(
                        new java.io.ByteArrayInputStream(initialWeights))) {
                    bl.loadParameters(m.getNDManager(), in);
                } catch (java.io.IOException | ai.djl.MalformedModelException e) {
                    throw new IllegalArgumentException("the initial weights given to model '"
                            + name + "' do not fit it: " + e.getMessage(), e);
                }
            }
            for (ai.djl.util.Pair<String, Parameter> p : bl.getParameters()) {
                if (!p.getValue().requiresGradient()) {
                    fixedAtBuild.add(p.getValue().getId());
                }
            }
            this.djl = m;
            this.block = bl;
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
        return this;
    }

    /**
     * Weights to start from instead of the initializers' when the model is built: a DJL
     * parameter file's bytes (as a saved model's {@code .params}, or pretrained weights a zoo
     * ships). Set before the model is built, so its engine can still be chosen.
     */
    public Model initialWeights(byte[] params) {
        if (isBuilt()) {
            throw new IllegalStateException("model '" + name + "' is built: give its initial"
                    + " weights before it is built");
        }
        this.initialWeights = params.clone();
        return this;
    }

    @Override
    public void beginUpdate(long seed) {
        build().steps.beginUpdate(seed);
    }

    /** Sets the optimizer, the loss (for every output) and the metrics to report. */
    public Model compile(OptimizerSpec optimizer, LossSpec loss, MetricSpec... metrics) {
        return compile(new Compiled(optimizer, loss, List.of(metrics)));
    }

    /**
     * Sets the optimizer, a loss per output with its weight in the total (null weights: all 1),
     * and the metrics to report for each output.
     */
    public Model compile(OptimizerSpec optimizer, List<LossSpec> losses, List<Double> lossWeights,
            MetricSpec... metrics) {
        return compile(new Compiled(optimizer, losses, lossWeights, List.of(metrics)));
    }

    /** Sets the compile settings. */
    public Model compile(Compiled settings) {
        int outs = outputShapes().size();
        if (settings.losses().size() != 1 && settings.losses().size() != outs) {
            throw new IllegalArgumentException("model '" + name + "' has " + outs + " outputs "
                    + outputNames() + " but compile gave " + settings.losses().size()
                    + " losses: give one per output, or one for all");
        }
        this.compiled = settings;
        return this;
    }

    /** The compile settings, or null before {@code compile}. */
    public Compiled compiled() {
        return compiled;
    }

    private void requireCompiled(String what) {
        if (compiled == null) {
            throw new IllegalStateException("model '" + name + "' must be compiled before " + what
                    + ": call compile(optimizer, loss, metrics...)");
        }
    }

    /** Trains on {@code data} with Keras's defaults (1 epoch, batch size 32). */
    public History fit(Dataset data) {
        return fit(data, FitOptions.defaults());
    }

    /**
     * Trains on {@code data} by backpropagation ({@link Supervised}) in the shared {@link
     * TrainingLoop}: each epoch shuffles (unless told not to), records the mean loss and metrics,
     * then the validation ones; a NaN or infinite loss stops it with {@link
     * NonFiniteLossException}.
     */
    public History fit(Dataset data, FitOptions options) {
        build();
        requireCompiled("fit");
        checkData(data, true);
        if (options.validationData() != null) {
            checkData(options.validationData(), true);
        }
        SampleWeights.checkClassWeight(options.classWeight(), name, outputShapes());
        Shape out = outputShapes().get(0);
        if (classNames.isEmpty() && !data.classNames().isEmpty() && out.dimension() == 1
                && out.get(0) == data.classNames().size()) {
            classNames = data.classNames();
        }
        return TrainingLoop.run(this, new Supervised(compiled), data, options);
    }

    // ---- unsupervised pretraining ----

    /**
     * True when a layer of this model has an unsupervised pretraining phase ({@link
     * Pretrainable}: a deep belief network, a stack of autoencoders). None by default.
     */
    public boolean hasPretraining() {
        return false;
    }

    /** Runs {@link #pretrain(Dataset, Pretraining)} quietly (no callbacks, no files). */
    public Map<String, History> pretrain(Dataset data) {
        build();
        return pretrain(data, new Pretraining(djlModel(), "model", seed(), null, null, null));
    }

    /**
     * Runs the unsupervised pretraining of every layer that has one, in order, each on the
     * outputs of the layers below it for {@code data}'s inputs (labels, if any, are not used);
     * {@code how} gives the callbacks, the log and the directory for the layers' files. Returns
     * the histories by phase ({@code dbn/rbm1}, ...). A model without such layers does nothing.
     */
    public Map<String, History> pretrain(Dataset data, Pretraining how) {
        return Map.of();
    }

    /** Loss and metrics on {@code data}, in batches of 32. */
    public Map<String, Double> evaluate(Dataset data) {
        return evaluate(data, 32);
    }

    /** Loss and metrics on {@code data} (inference mode: no dropout, moving statistics). */
    public Map<String, Double> evaluate(Dataset data, int batchSize) {
        build();
        requireCompiled("evaluate");
        checkData(data, true);
        return Inference.evaluate(this, compiled, data, batchSize, "");
    }

    /** The first output for every sample of {@code data}, in batches of 32 (inference mode). */
    public Tensor predict(Dataset data) {
        return predict(data, 32);
    }

    /** The first output for every sample of {@code data} (inference mode). */
    public Tensor predict(Dataset data, int batchSize) {
        build();
        checkData(data, false);
        return Inference.predict(this, data, batchSize, outputShapes().get(0));
    }

    /** Predictions for in-memory inputs (one sample per row of {@code x}). */
    public Tensor predict(Tensor x) {
        return predict(Dataset.unlabelled("predict", x));
    }

    /** Checks {@code data} against the model's inputs (and, with {@code labels}, its losses). */
    protected void checkData(Dataset data, boolean labels) {
        DataChecks.check(this, outputShapes(), labels ? compiled : null, data, labels);
    }

    /** The Keras-like table of layers, output shapes and parameter counts. */
    public String summary() {
        build();
        return Summary.render(this, summaryRows());
    }

    /** The DJL block (built on first use). */
    @Override
    public Block block() {
        return build().block;
    }

    /** The DJL model that owns the parameters (built on first use). */
    @Override
    public ai.djl.Model djlModel() {
        return build().djl;
    }

    /** Total number of weights (trainable and not). */
    public long countParameters() {
        return Summary.count(block(), p -> true);
    }

    /** Number of weights a gradient step changes. */
    public long countTrainableParameters() {
        return Summary.count(block(), Parameter::requiresGradient);
    }

    /** Saves the architecture, compile settings and weights to directory {@code dir}, atomically. */
    @Override
    public void save(Path dir) throws IOException {
        ModelFiles.save(this, dir);
    }

    /** Loads a model saved by {@link #save(Path)}, on the default backend; no user code needed. */
    public static Model load(Path dir) throws IOException {
        return ModelFiles.load(dir, null, null);
    }

    /** Loads a saved model onto {@code backend} (any engine can read any engine's weights). */
    public static Model load(Path dir, Backend backend) throws IOException {
        return ModelFiles.load(dir, backend, null);
    }

    /**
     * Loads a saved model onto {@code backend}, seeded with {@code seed} for what it does next
     * (the shuffles and dropout of a fit, a new head's initial weights), so a run that goes on
     * from a saved model repeats exactly.
     */
    public static Model load(Path dir, Backend backend, long seed) throws IOException {
        return ModelFiles.load(dir, backend, seed);
    }

    /** Frees the model's native memory. */
    @Override
    public void close() {
        if (djl != null) {
            djl.close();
            djl = null;
            block = null;
        }
    }

    /** True when every value of {@code arrays} is finite (read back once; for diagnosis). */
    static boolean allFinite(NDList arrays) {
        for (NDArray a : arrays) {
            // x − x is 0 where x is finite and NaN elsewhere (MXNet has no isInfinite)
            if (Double.isNaN(a.sub(a).sum().toType(DataType.FLOAT64, false).getDouble())) {
                return false;
            }
        }
        return true;
    }

    static Shape[] withBatch(List<Shape> perSample, long batch) {
        Shape[] out = new Shape[perSample.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = new Shape(batch).addAll(perSample.get(i));
        }
        return out;
    }
}
