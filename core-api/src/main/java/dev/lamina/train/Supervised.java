package dev.lamina.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import dev.lamina.data.Dataset;
import dev.lamina.engine.ConvKernel;
import dev.lamina.losses.LossSpec;
import dev.lamina.losses.Reduction;
import dev.lamina.optimizers.DirectUpdates;
import dev.lamina.optimizers.OptimizerState;
import dev.lamina.optimizers.RateControl;
import java.util.List;
import java.util.Map;

/**
 * Supervised training by backpropagation, Keras's {@code train_step}: forward, the compiled loss
 * (plus the layers' penalties), gradients, and the optimizer's update: DJL's trainer collects the
 * gradients, and the update goes straight to the weights the pass used ({@link DirectUpdates}).
 */
public final class Supervised implements TrainingStep {
    private final Compiled compiled;
    private Trainable model;
    private TrainingLoss loss;
    private Optimizer optimizer;
    private Trainer trainer;
    /** Forward passes go through it; it updates the weights they used (see {@link DirectUpdates}). */
    private DirectUpdates.Store parameters;
    private Meter meter;
    private int updates;

    /** Training by the model's compile settings. */
    public Supervised(Compiled compiled) {
        this.compiled = compiled;
    }

    @Override
    public void begin(Trainable m, int batchSize) {
        this.model = m;
        for (int i = 0; i < m.outputNames().size(); i++) {
            LossSpec l = compiled.lossFor(i);
            if (l.reduction() == Reduction.NONE) {
                throw new IllegalArgumentException("loss '" + l.type() + "' has reduction none: it gives one loss per "
                        + "sample, and fit needs one number to minimise; use sum_over_batch_size (the mean, the "
                        + "default) or sum. reduction none is for calling the loss directly and for evaluate");
            }
        }
        this.loss = TrainingLoss.of(compiled, m);
        this.optimizer = compiled.optimizer().toDjl(m.block().getParameters());
        DefaultTrainingConfig config = new DefaultTrainingConfig(loss).optOptimizer(optimizer)
                .optDevices(new ai.djl.Device[] {m.device()});
        this.trainer = m.djlModel().newTrainer(config);
        this.parameters = DirectUpdates.parameterStore(optimizer, m.device(), trainer.getManager());
        List<Shape> in = m.inputShapes();
        Shape[] shapes = new Shape[in.size()];
        for (int i = 0; i < shapes.length; i++) {
            shapes[i] = new Shape(batchSize).addAll(in.get(i));
        }
        trainer.initialize(shapes);
    }

    @Override
    public void beginEpoch() {
        if (meter != null) {
            meter.close();
        }
        meter = new Meter(compiled.metrics(), model.outputNames(), loss,
                model.djlModel().getNDManager());
    }

    @Override
    public NDArray compute(NDManager bm, Dataset data, int[] idx) {
        NDList x = data.inputs(bm, idx);
        NDList y = data.labels(bm, idx);
        NDList pred;
        NDArray l;
        parameters.beginStep(bm);
        try (GradientCollector gc = trainer.newGradientCollector();
                ConvKernel.Marked marked = ConvKernel.markData(x)) {
            pred = model.block().forward(parameters, x, true);
            l = loss.evaluate(y, pred, data.sampleWeights(bm, idx));
            gc.backward(l);
        }
        if (parameters.freshLeaves()) {
            // the loss is kept past the step (the running mean, the NaN guard): kept with its
            // graph, it would keep the step's leaves and their gradients alive too
            l = l.stopGradient();
            loss.unlinkParts();
        }
        meter.add(l, y, pred, idx.length);
        return l;
    }

    @Override
    public void apply() {
        parameters.updateAllParameters();
        updates++;
    }

    @Override
    public double learningRate() {
        double scheduled = compiled.optimizer().learningRate().at(updates);
        RateControl c = rateControl();
        return c == null ? scheduled : c.apply(scheduled);
    }

    @Override
    public RateControl rateControl() {
        return optimizer == null ? null : RateControl.of(optimizer);
    }

    @Override
    public Map<String, Double> epochLogs() {
        return meter.result("");
    }

    @Override
    public Map<String, Double> validate(Dataset data, int batchSize) {
        return Inference.evaluate(model, compiled, data, batchSize, "val_");
    }

    @Override
    public Snapshot snapshot(NDManager manager) {
        OptimizerState o = OptimizerState.of(optimizer, manager);
        Map<String, Object> values = new java.util.LinkedHashMap<>();
        values.put("updates", updates);
        values.put("meter", meter.state());
        if (o == null) {
            return Snapshot.of(values);
        }
        values.put("optimizer_counts", o.counts());
        values.put("rate_factor", o.rateFactor());
        values.put("rate_value", Double.isNaN(o.rateValue()) ? "none" : o.rateValue());
        return new Snapshot(o.arrays(), values);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void restore(Snapshot state) {
        updates = (int) state.number("updates", 0);
        meter.restore((Map<String, Object>) state.values().get("meter"));
        Object counts = state.values().get("optimizer_counts");
        if (counts != null) {
            Map<String, Integer> c = new java.util.LinkedHashMap<>();
            ((Map<String, Number>) counts).forEach((k, v) -> c.put(k, v.intValue()));
            new OptimizerState(state.arrays(), c, state.number("rate_factor", 1),
                    state.number("rate_value", Double.NaN)).restoreInto(optimizer);
        }
    }

    /** The optimizer's state and the running sums come back whole from a snapshot. */
    @Override
    public boolean canRestore() {
        return OptimizerState.supports(optimizer);
    }

    /** Frees the trainer, the optimizer's moments and accumulators, and the running sums. */
    @Override
    public void close() {
        if (meter != null) {
            meter.close();
            meter = null;
        }
        try {
            if (trainer != null) {
                trainer.close();
            }
        } finally {
            if (optimizer instanceof AutoCloseable state) {
                try {
                    state.close();
                } catch (Exception e) {
                    throw new IllegalStateException("could not free the optimizer's state", e);
                }
            }
        }
    }
}
