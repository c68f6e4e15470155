package dev.lamina;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;
import dev.lamina.data.Dataset;
import dev.lamina.data.Tensor;
import dev.lamina.engine.Backend;
import dev.lamina.io.ModelFiles;
import dev.lamina.layers.LayerBlock;
import dev.lamina.losses.LossSpec;
import dev.lamina.metrics.MetricSpec;
import dev.lamina.optimizers.OptimizerSpec;
import dev.lamina.spec.BuildContext;
import dev.lamina.train.Callback;
import dev.lamina.train.Compiled;
import dev.lamina.train.FitContext;
import dev.lamina.train.FitOptions;
import dev.lamina.train.History;
import dev.lamina.train.TrainingLoss;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
public abstract class Model implements AutoCloseable {
    private final String name;
    private Backend backend;
    private Long seed;
    private Compiled compiled;
    private ai.djl.Model djl;
    private Block block;
    private TrainingLoss trainingLoss;
    private int fits;

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

    /** The architecture as a plain map, written to {@code model.json}. */
    public abstract Map<String, Object> architecture();

    /** The names of the outputs, used to name per-output losses and metrics. */
    public List<String> outputNames() {
        return List.of("output");
    }

    /** One row per layer for {@link #summary()}: name, type, output shape, block, inputs. */
    protected abstract List<Summary.Row> summaryRows();

    // ---- settings ----

    /** The model's name. */
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
        long s = seed();
        ai.djl.Model m = ai.djl.Model.newInstance(name, b.device(), b.engine());
        try {
            Block bl = newBlock(new BuildContext(new Random(s)));
            m.setBlock(bl);
            bl.initialize(m.getNDManager(), DataType.FLOAT32, withBatch(inputs, 1));
            this.djl = m;
            this.block = bl;
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
        return this;
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
        this.trainingLoss = null;
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

    private TrainingLoss trainingLoss() {
        if (trainingLoss == null) {
            List<LayerBlock> penalized = new ArrayList<>();
            collectPenalized(block, penalized);
            trainingLoss = new TrainingLoss(compiled, outputShapes().size(), penalized);
        }
        return trainingLoss;
    }

    private static void collectPenalized(Block b, List<LayerBlock> out) {
        if (b instanceof LayerBlock lb && lb.hasPenalties()) {
            out.add(lb);
        }
        for (Pair<String, Block> c : b.getChildren()) {
            collectPenalized(c.getValue(), out);
        }
    }

    /** Trains on {@code data} with Keras's defaults (1 epoch, batch size 32). */
    public History fit(Dataset data) {
        return fit(data, FitOptions.defaults());
    }

    /**
     * Trains on {@code data}: each epoch shuffles (unless told not to), runs every batch through
     * DJL's trainer, and records the mean loss and metrics, then the validation ones. Every batch's
     * native memory is freed when the batch ends.
     */
    public History fit(Dataset data, FitOptions options) {
        build();
        requireCompiled("fit");
        checkData(data, true);
        Dataset train = data;
        Dataset validation = options.validationData();
        if (validation == null && options.validationSplit() > 0) {
            Dataset[] parts = data.splitValidation(options.validationSplit());
            train = parts[0];
            validation = parts[1];
        }
        if (validation != null) {
            checkData(validation, true);
        }
        long s = seed() + 31L * fits++;
        Random shuffler = new Random(s);
        Engine.getEngine(backend().engine()).setRandomSeed((int) (s ^ (s >>> 32)));
        History history = new History();
        List<Callback> callbacks = options.callbacks();
        TrainingLoss loss = trainingLoss();
        ai.djl.training.optimizer.Optimizer optimizer = compiled.optimizer().toDjl();
        DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                .optOptimizer(optimizer)
                .optDevices(new ai.djl.Device[] {backend().device()});
        try (Trainer trainer = djl.newTrainer(config)) {
            trainer.initialize(withBatch(checkShapes(), options.batchSize()));
            FitContext run = new FitContext(this, options.epochs(),
                    train.batchCount(options.batchSize()), history);
            callbacks.forEach(c -> c.onTrainBegin(run));
            for (int epoch = 0; epoch < options.epochs(); epoch++) {
                final int e = epoch;
                callbacks.forEach(c -> c.onEpochBegin(e, run));
                Meter meter = new Meter(compiled.metrics(), outputNames(), loss);
                int batch = 0;
                for (int[] idx : train.batches(options.batchSize(), options.shuffle(), shuffler)) {
                    // the scope frees what the batch made outside its manager too: results of ops
                    // on parameters (DJL attaches them to the parameter's manager) and the
                    // gradient handles the optimizer step reads
                    try (NDScope scope = new NDScope();
                            NDManager bm = trainer.getManager().newSubManager()) {
                        scope.suppressNotUsedWarning();
                        NDList x = train.inputs(bm, idx);
                        NDList y = train.labels(bm, idx);
                        NDList pred;
                        NDArray l;
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            pred = trainer.forward(x);
                            l = loss.evaluate(y, pred);
                            gc.backward(l);
                        }
                        trainer.step();
                        meter.add(l, y, pred, idx.length);
                    }
                    if (!callbacks.isEmpty()) {
                        Map<String, Double> logs = meter.result("");
                        final int bi = batch;
                        callbacks.forEach(c -> c.onBatchEnd(e, bi, logs, run));
                    }
                    batch++;
                }
                Map<String, Double> logs = meter.result("");
                if (validation != null) {
                    logs.putAll(measure(validation, options.batchSize(), "val_"));
                }
                history.addEpoch(logs);
                callbacks.forEach(c -> c.onEpochEnd(e, logs, run));
                if (run.stopRequested()) {
                    break;
                }
            }
            callbacks.forEach(c -> c.onTrainEnd(history, run));
        } finally {
            freeState(optimizer);
        }
        return history;
    }

    /** Frees an optimizer's moments and accumulators, which live in the model's manager. */
    private static void freeState(ai.djl.training.optimizer.Optimizer optimizer) {
        if (optimizer instanceof AutoCloseable state) {
            try {
                state.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not free the optimizer's state", e);
            }
        }
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
        return measure(data, batchSize, "");
    }

    private Map<String, Double> measure(Dataset data, int batchSize, String prefix) {
        TrainingLoss loss = trainingLoss();
        Meter meter = new Meter(compiled.metrics(), outputNames(), loss);
        NDManager root = djl.getNDManager();
        ParameterStore ps = new ParameterStore(root, false);
        for (int[] idx : data.batches(batchSize, false, null)) {
            try (NDScope scope = new NDScope(); NDManager bm = root.newSubManager()) {
                scope.suppressNotUsedWarning();
                NDList x = data.inputs(bm, idx);
                NDList y = data.labels(bm, idx);
                NDList pred = block.forward(ps, x, false);
                meter.add(loss.evaluate(y, pred), y, pred, idx.length);
            }
        }
        return meter.result(prefix);
    }

    /** The first output for every sample of {@code data}, in batches of 32 (inference mode). */
    public Tensor predict(Dataset data) {
        return predict(data, 32);
    }

    /** The first output for every sample of {@code data} (inference mode). */
    public Tensor predict(Dataset data, int batchSize) {
        build();
        checkData(data, false);
        Shape out = outputShapes().get(0);
        int per = (int) Math.max(1, out.size());
        float[] all = new float[data.size() * per];
        NDManager root = djl.getNDManager();
        ParameterStore ps = new ParameterStore(root, false);
        int at = 0;
        for (int[] idx : data.batches(batchSize, false, null)) {
            try (NDScope scope = new NDScope(); NDManager bm = root.newSubManager()) {
                scope.suppressNotUsedWarning();
                float[] part = block.forward(ps, data.inputs(bm, idx), false).head()
                        .toType(DataType.FLOAT32, false).toFloatArray();
                System.arraycopy(part, 0, all, at, part.length);
                at += part.length;
            }
        }
        return new Tensor(all, out);
    }

    /** Predictions for in-memory inputs (one sample per row of {@code x}). */
    public Tensor predict(Tensor x) {
        return predict(Dataset.unlabelled("predict", x));
    }

    private void checkData(Dataset data, boolean needLabels) {
        List<Shape> want = checkShapes();
        if (data.inputs().size() != want.size()) {
            throw new IllegalArgumentException("model '" + name + "' takes " + want.size()
                    + " input(s), data set '" + data.name() + "' has " + data.inputs().size());
        }
        for (int i = 0; i < want.size(); i++) {
            Shape got = data.inputs().get(i).sampleShape();
            if (!got.equals(want.get(i))) {
                throw new IllegalArgumentException("model '" + name + "' expects input " + i
                        + " of shape " + want.get(i) + " per sample, data set '" + data.name()
                        + "' has " + got);
            }
        }
        if (needLabels && data.labels().isEmpty()) {
            throw new IllegalArgumentException("data set '" + data.name()
                    + "' has no labels: fit and evaluate need them");
        }
        List<Shape> outs = outputShapes();
        if (needLabels && data.labels().size() != outs.size()) {
            throw new IllegalArgumentException("model '" + name + "' has " + outs.size()
                    + " output(s) " + outputNames() + ", data set '" + data.name() + "' has "
                    + data.labels().size() + " label tensor(s): give one per output");
        }
        if (needLabels && compiled != null) {
            for (int i = 0; i < outs.size(); i++) {
                try {
                    compiled.lossFor(i).checkLabels(data.labels().get(i), outs.get(i));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("data set '" + data.name() + "'"
                            + (outs.size() > 1 ? ", output '" + outputNames().get(i) + "'" : "")
                            + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /** The Keras-like table of layers, output shapes and parameter counts. */
    public String summary() {
        build();
        return Summary.render(this, summaryRows());
    }

    /** The DJL block (built on first use). */
    public Block block() {
        return build().block;
    }

    /** The DJL model that owns the parameters (built on first use). */
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
    public void save(Path dir) throws IOException {
        ModelFiles.save(this, dir);
    }

    /** Loads a model saved by {@link #save(Path)}, on the default backend; no user code needed. */
    public static Model load(Path dir) throws IOException {
        return ModelFiles.load(dir, null);
    }

    /** Loads a saved model onto {@code backend} (any engine can read any engine's weights). */
    public static Model load(Path dir, Backend backend) throws IOException {
        return ModelFiles.load(dir, backend);
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

    static Shape[] withBatch(List<Shape> perSample, long batch) {
        Shape[] out = new Shape[perSample.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = new Shape(batch).addAll(perSample.get(i));
        }
        return out;
    }

    /**
     * Running means of the loss and metrics over an epoch or an evaluation. With several outputs
     * it also reports each output's loss and metrics, prefixed with the output's name.
     */
    private static final class Meter {
        private final List<MetricSpec> metrics;
        private final List<String> outputs;
        private final TrainingLoss loss;
        private final double[] totals;
        private final long[] counts;
        private final double[] partSums;
        private double lossSum;
        private long samples;

        Meter(List<MetricSpec> metrics, List<String> outputs, TrainingLoss loss) {
            this.metrics = metrics;
            this.outputs = outputs;
            this.loss = loss;
            this.totals = new double[metrics.size() * outputs.size()];
            this.counts = new long[totals.length];
            this.partSums = new double[outputs.size()];
        }

        void add(NDArray total, NDList labels, NDList pred, int n) {
            lossSum += total.getFloat() * (double) n;
            samples += n;
            boolean several = outputs.size() > 1;
            NDArray[] parts = several ? loss.lastParts() : null;
            for (int o = 0; o < outputs.size(); o++) {
                if (several) {
                    partSums[o] += parts[o].toType(DataType.FLOAT64, false).getDouble() * n;
                }
                NDArray y = labels.get(o);
                NDArray p = pred.get(o);
                for (int i = 0; i < metrics.size(); i++) {
                    int k = o * metrics.size() + i;
                    totals[k] += metrics.get(i).batchTotal(y, p).toType(DataType.FLOAT64, false)
                            .getDouble();
                    counts[k] += metrics.get(i).batchCount(y, p);
                }
            }
        }

        Map<String, Double> result(String prefix) {
            Map<String, Double> out = new LinkedHashMap<>();
            out.put(prefix + "loss", samples == 0 ? Double.NaN : lossSum / samples);
            boolean several = outputs.size() > 1;
            for (int o = 0; o < outputs.size(); o++) {
                String head = several ? outputs.get(o) + "_" : "";
                if (several) {
                    out.put(prefix + head + "loss", samples == 0 ? Double.NaN : partSums[o] / samples);
                }
                for (int i = 0; i < metrics.size(); i++) {
                    int k = o * metrics.size() + i;
                    out.put(prefix + head + metrics.get(i).name(),
                            counts[k] == 0 ? Double.NaN : totals[k] / counts[k]);
                }
            }
            return out;
        }
    }
}
