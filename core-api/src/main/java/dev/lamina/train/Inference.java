package dev.lamina.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.lamina.data.Dataset;
import dev.lamina.data.Tensor;
import dev.lamina.engine.ConvKernel;
import dev.lamina.engine.EngineThread;
import java.util.Map;

/**
 * Evaluation and prediction: the model in inference mode (no dropout, moving statistics, no
 * gradients recorded), batch by batch in order, in batches as large as {@link Budgets} allows.
 * Data already on the engine (a fit's validation data) is sliced there; data in Java memory goes
 * to the engine a batch at a time through a reused buffer: one pass copies every value once
 * either way, and this way needs no copy of the whole set (measured as fast as data copied to the
 * engine beforehand, and faster than copying it first). On MXNet a batch's arrays are freed once
 * the next is issued ({@link InFlight}).
 */
public final class Inference {
    private Inference() {}

    /** The loss and metrics of {@code compiled} on {@code data}, keys prefixed with {@code prefix}. */
    public static Map<String, Double> evaluate(Trainable model, Compiled compiled, Dataset data,
            int batchSize, String prefix) {
        TrainingLoss loss = TrainingLoss.of(compiled, model);
        NDManager root = model.djlModel().getNDManager();
        EngineThread.prepare(root.getEngine().getEngineName());
        ParameterStore ps = new ParameterStore(root, false);
        int batch = Budgets.inferenceBatch(model, batchSize);
        try (Meter meter = new Meter(compiled.metrics(), model.outputNames(), loss, root);
                InFlight inFlight = new InFlight(root)) {
            for (int[] idx : data.batches(batch, false, null)) {
                InFlight.Batch b = inFlight.begin();
                try {
                    NDManager bm = b.manager();
                    NDList x = data.inputs(bm, idx);
                    NDList y = data.labels(bm, idx);
                    NDList pred = forward(model, ps, x);
                    meter.add(loss.evaluate(y, pred, data.sampleWeights(bm, idx)), y, pred,
                            idx.length);
                } catch (RuntimeException | Error e) {
                    inFlight.abandon(b);
                    throw e;
                }
                inFlight.issued(b);
            }
            inFlight.settle();
            return meter.result(prefix);
        }
    }

    private static NDList forward(Trainable model, ParameterStore ps, NDList x) {
        try (ConvKernel.Marked marked = ConvKernel.markData(x)) {
            return model.block().forward(ps, x, false);
        }
    }

    /** The first output for every sample of {@code data}; {@code out} is its per-sample shape. */
    public static Tensor predict(Trainable model, Dataset data, int batchSize, Shape out) {
        int per = (int) Math.max(1, out.size());
        float[] all = new float[data.size() * per];
        NDManager root = model.djlModel().getNDManager();
        EngineThread.prepare(root.getEngine().getEngineName());
        ParameterStore ps = new ParameterStore(root, false);
        int at = 0;
        try (InFlight inFlight = new InFlight(root)) {
            // on MXNet each batch's outputs are read after the next batch is issued, so that the
            // engine computes one batch while Java issues the next
            NDArray pending = null;
            for (int[] idx : data.batches(Budgets.inferenceBatch(model, batchSize), false, null)) {
                InFlight.Batch b = inFlight.begin();
                try {
                    NDArray outputs = forward(model, ps, data.inputs(b.manager(), idx)).head()
                            .toType(DataType.FLOAT32, false);
                    if (pending != null) {
                        at = copyOut(pending, all, at);
                        pending = null;
                    }
                    if (inFlight.isAsync()) {
                        pending = outputs;
                    } else {
                        at = copyOut(outputs, all, at);
                    }
                } catch (RuntimeException | Error e) {
                    inFlight.abandon(b);
                    throw e;
                }
                inFlight.issued(b);
            }
            if (pending != null) {
                copyOut(pending, all, at);
            }
        }
        return new Tensor(all, out);
    }

    /** Copies {@code outputs} into {@code all} at {@code at}; returns where the next go. */
    private static int copyOut(NDArray outputs, float[] all, int at) {
        float[] part = outputs.toFloatArray();
        System.arraycopy(part, 0, all, at, part.length);
        return at + part.length;
    }
}
