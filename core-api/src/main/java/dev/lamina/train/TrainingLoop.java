package dev.lamina.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.lamina.data.Dataset;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The one training loop: epochs of shuffled batches, each batch's native memory freed when it
 * ends, the running loss and metrics, validation after each epoch, callbacks, the {@link History},
 * and the guard that stops at the first batch whose loss is not finite, before it changes a
 * weight. What a batch does is the {@link TrainingStep}'s business.
 */
public final class TrainingLoop {
    private TrainingLoop() {}

    /**
     * Trains {@code model} with {@code step} on {@code data}, validating after each epoch on the
     * options' validation data, or on the last {@code validationSplit} of {@code data}.
     *
     * @throws NonFiniteLossException when a batch's loss is NaN or infinite and the options say
     *     to stop (the default)
     */
    public static History run(Trainable model, TrainingStep step, Dataset data,
            FitOptions options) {
        // sample_weight is split with the data (validation is weighted too); class_weight weighs
        // the training part only, as in Keras
        Dataset all = options.sampleWeight() == null ? data : data.withSampleWeights(options.sampleWeight());
        Dataset train = all;
        Dataset validation = options.validationData();
        if (validation == null && options.validationSplit() > 0) {
            Dataset[] parts = all.splitValidation(options.validationSplit());
            train = parts[0];
            validation = parts[1];
        }
        if (options.classWeight() != null) {
            train = SampleWeights.byClass(train, options.classWeight());
        }
        long s = model.nextFitSeed();
        Random shuffler = new Random(s);
        model.djlModel().getNDManager().getEngine().setRandomSeed((int) (s ^ (s >>> 32)));
        History history = new History();
        List<Callback> callbacks = options.callbacks();
        FitContext run = new FitContext(model, options.epochs(),
                train.batchCount(options.batchSize()), history, step);
        try (step) {
            step.begin(model, options.batchSize());
            callbacks.forEach(c -> c.onTrainBegin(run));
            try {
                epochs(model, step, train, validation, options, shuffler, history, run);
            } finally {
                callbacks.forEach(c -> c.onTrainEnd(history, run));
            }
        }
        return history;
    }

    private static void epochs(Trainable model, TrainingStep step, Dataset train,
            Dataset validation, FitOptions options, Random shuffler, History history,
            FitContext run) {
        List<Callback> callbacks = options.callbacks();
        NDManager root = model.djlModel().getNDManager();
        boolean guardNan = options.terminateOnNan()
                || callbacks.stream().anyMatch(c -> c instanceof TerminateOnNaN);
        for (int epoch = 0; epoch < options.epochs(); epoch++) {
            final int e = epoch;
            callbacks.forEach(c -> c.onEpochBegin(e, run));
            step.beginEpoch();
            int batch = 0;
            for (int[] idx : train.batches(options.batchSize(), options.shuffle(), shuffler)) {
                if (!callbacks.isEmpty()) {
                    final int bi = batch;
                    callbacks.forEach(c -> c.onBatchBegin(e, bi, run));
                }
                // the scope frees what the batch made outside its manager too: results of ops on
                // parameters (DJL attaches them to the parameter's manager) and gradient handles
                try (NDScope scope = new NDScope(); NDManager bm = root.newSubManager()) {
                    scope.suppressNotUsedWarning();
                    double loss = step.compute(bm, train, idx);
                    if (guardNan && !Double.isFinite(loss)) {
                        throw new NonFiniteLossException(epoch + 1, batch + 1, loss,
                                step.learningRate(),
                                model.describeNonFinite(train.inputs(bm, idx)), history);
                    }
                    step.apply();
                }
                if (!callbacks.isEmpty()) {
                    Map<String, Double> logs = step.epochLogs();
                    final int bi = batch;
                    callbacks.forEach(c -> c.onBatchEnd(e, bi, logs, run));
                }
                batch++;
                if (run.stopRequested()) { // as Keras: a batch hook may end the epoch early
                    break;
                }
            }
            Map<String, Double> logs = step.epochLogs();
            if (validation != null) {
                logs.putAll(step.validate(validation, options.batchSize()));
            }
            if (!Double.isNaN(step.learningRate())) { // as Keras 3 logs it: the rate to come
                logs.put("learning_rate", step.learningRate());
            }
            history.addEpoch(logs);
            callbacks.forEach(c -> c.onEpochEnd(e, logs, run));
            if (run.stopRequested()) {
                break;
            }
        }
    }
}
