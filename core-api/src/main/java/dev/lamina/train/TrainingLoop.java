package dev.lamina.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.lamina.data.Dataset;
import dev.lamina.engine.EngineThread;
import dev.lamina.spec.StepSeeds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The one training loop: epochs of shuffled batches, each batch's native memory freed when it
 * ends, the running loss and metrics, validation after each epoch, callbacks, the {@link History},
 * and the guard that stops at the first batch whose loss is not finite, before it changes a
 * weight. What a batch does is the {@link TrainingStep}'s business.
 *
 * <p>Data that fits {@link Budgets} is copied to the engine once per fit, and each batch gathered
 * there by its shuffled indices; larger data is gathered in Java memory a batch ahead, on a second
 * thread, while the batch before trains. The step keeps its running means on the engine; callbacks
 * get the batch's logs as a map that reads them only when looked at; the guard checks fast steps'
 * losses a few at a time ({@link LossGuard}). So a batch reads nothing back and waits for
 * nothing.
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
        EngineThread.prepare(model.djlModel().getNDManager().getEngine().getEngineName());
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
        long fitSeed = model.nextFitSeed();
        BackupAndRestore backup = options.backupAndRestore();
        for (Callback c : options.callbacks()) { // or given as a callback, as in Keras
            if (backup == null && c instanceof BackupAndRestore b) {
                backup = b;
            }
        }
        BackupAndRestore.Restored restored = null;
        if (backup != null) {
            try {
                restored = backup.restore(model);
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        }
        // data that fits the budget is copied to the engine once; batches are gathered there
        try (BackupAndRestore.Restored from = restored;
                NDManager onEngine = model.djlModel().getNDManager().newSubManager()) {
            if (from != null) {
                fitSeed = from.position().fitSeed();
            }
            if (Budgets.fitOnEngine(train, validation)) {
                train = train.onEngine(onEngine);
                validation = validation == null ? null : validation.onEngine(onEngine);
            }
            Loop loop = new Loop(model, step, train, validation, options, fitSeed, backup);
            return loop.run(from);
        }
    }

    /** The state of one fit as it runs, and what each epoch and batch does. */
    private static final class Loop {
        private final Trainable model;
        private final TrainingStep step;
        private final Dataset train;
        private final Dataset validation;
        private final FitOptions options;
        private final long fitSeed;
        private final BackupAndRestore backup;
        private final List<Callback> callbacks;
        private final History history = new History();
        private final FitContext run;
        private final Random shuffler;
        private final boolean guardNan;
        private final ExecutorService gatherer;
        /** Whether the model draws on the engine, so that each update seeds it first. */
        private final boolean reseed;
        private LossGuard guard;
        private long updates;
        /** Each batch's arrays, freed once the next batch is issued on MXNet. */
        private final InFlight inFlight;
        /**
         * Whether a callback is not one of Lamina's: its batch hooks may make arrays and keep
         * them, so they run with no batch in flight (Lamina's own make nothing they keep there
         * without reading the logs first, which finishes the batch in flight).
         */
        private final boolean foreignCallbacks;

        Loop(Trainable model, TrainingStep step, Dataset train, Dataset validation,
                FitOptions options, long fitSeed, BackupAndRestore backup) {
            this.model = model;
            this.step = step;
            this.train = train;
            this.validation = validation;
            this.options = options;
            this.fitSeed = fitSeed;
            this.backup = backup;
            this.callbacks = options.callbacks();
            this.run = new FitContext(model, options.epochs(),
                    train.batchCount(options.batchSize()), history, step);
            this.shuffler = new Random(fitSeed);
            this.reseed = model.drawsOnEngine();
            this.inFlight = new InFlight(model.djlModel().getNDManager());
            this.foreignCallbacks = callbacks.stream()
                    .anyMatch(c -> !c.getClass().getName().startsWith("dev.lamina."));
            this.guardNan = options.terminateOnNan()
                    || callbacks.stream().anyMatch(c -> c instanceof TerminateOnNaN);
            // data that stays in Java memory is gathered a batch ahead on a second thread
            this.gatherer = train.isOnEngine() ? null : Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "lamina-gather");
                t.setDaemon(true);
                return t;
            });
        }

        History run(BackupAndRestore.Restored from) {
            int startEpoch = 0;
            int skip = 0;
            boolean completed = false;
            try (step) {
                step.begin(model, options.batchSize());
                callbacks.forEach(c -> c.onTrainBegin(run));
                try {
                    if (from != null) {
                        BackupAndRestore.Position at = from.position();
                        at.history().forEach(history::addEpoch);
                        startEpoch = at.epoch();
                        skip = at.batch();
                        updates = at.updates();
                        step.beginEpoch();
                        step.restore(from.step());
                        for (int i = 0; i < callbacks.size() && i < from.callbacks().size(); i++) {
                            callbacks.get(i).restore(from.callbacks().get(i), run);
                        }
                    }
                    if (guardNan) {
                        guard = new LossGuard(model, step);
                    }
                    completed = epochs(startEpoch, skip, from != null);
                } finally {
                    inFlight.settle();
                    if (guard != null) {
                        guard.close();
                    }
                    if (gatherer != null) {
                        gatherer.shutdownNow();
                    }
                    callbacks.forEach(c -> c.onTrainEnd(history, run));
                }
            }
            if (completed && backup != null && backup.deleteCheckpoint()) {
                backup.delete();
            }
            return history;
        }

        /** Runs the epochs from {@code start}, skipping {@code skip} batches of the first. */
        private boolean epochs(int start, int skip, boolean resumed) {
            NDManager root = model.djlModel().getNDManager();
            // each epoch's order is the next draw of one generator: a resumed run draws the
            // orders of the epochs it skips, so that its later epochs see the same orders
            for (int e = 0; e < start; e++) {
                train.batches(options.batchSize(), options.shuffle(), shuffler);
            }
            for (int epoch = start; epoch < options.epochs(); epoch++) {
                final int e = epoch;
                boolean midEpoch = resumed && epoch == start;
                if (!midEpoch || skip == 0) { // a checkpoint within an epoch has its running means
                    callbacks.forEach(c -> c.onEpochBegin(e, run));
                    step.beginEpoch();
                }
                if (guard != null) {
                    guard.epochBegins();
                }
                int batch = 0;
                Iterator<int[]> order = train.batches(options.batchSize(), options.shuffle(),
                        shuffler).iterator();
                int[] idx = order.hasNext() ? order.next() : null;
                Future<Dataset.HostBatch> ahead = midEpoch && skip > 0 ? null : gatherAhead(idx);
                while (idx != null) {
                    int[] next = order.hasNext() ? order.next() : null;
                    boolean skipped = midEpoch && batch < skip;
                    Future<Dataset.HostBatch> following = midEpoch && batch + 1 < skip ? null
                            : gatherAhead(next);
                    if (!skipped) {
                        oneBatch(root, prepared(ahead), epoch, batch, idx);
                    }
                    batch++;
                    idx = next;
                    ahead = following;
                    if (skipped) {
                        continue;
                    }
                    if (run.stopRequested()) { // as Keras: a batch hook may end the epoch early
                        break;
                    }
                    if (backup != null && backup.saveFreq() > 0 && updates % backup.saveFreq() == 0
                            && batch < run.batchesPerEpoch()) {
                        checkLosses(root); // a checkpoint never holds a bad batch's update
                        backup.save(model, position(epoch, batch), step, callbacks);
                    }
                }
                if (ahead != null) {
                    ahead.cancel(false);
                }
                checkLosses(root);
                Map<String, Double> logs = step.epochLogs();
                if (validation != null) {
                    logs.putAll(step.validate(validation, options.batchSize()));
                }
                if (!Double.isNaN(step.learningRate())) { // as Keras 3 logs it: the rate to come
                    logs.put("learning_rate", step.learningRate());
                }
                history.addEpoch(logs);
                callbacks.forEach(c -> c.onEpochEnd(e, logs, run));
                if (backup != null) {
                    backup.save(model, position(epoch + 1, 0), step, callbacks);
                }
                if (run.stopRequested()) {
                    break;
                }
            }
            return true;
        }

        private BackupAndRestore.Position position(int epoch, int batch) {
            List<Map<String, Double>> h = new ArrayList<>();
            for (int i = 0; i < history.epochs(); i++) {
                h.add(history.epoch(i));
            }
            return new BackupAndRestore.Position(fitSeed, epoch, batch, updates, h);
        }

        /**
         * Starts gathering batch {@code idx} in Java memory on the loop's second thread, while
         * the current batch trains; null when the data is on the engine or there is no batch.
         */
        private Future<Dataset.HostBatch> gatherAhead(int[] idx) {
            return gatherer == null || idx == null ? null : gatherer.submit(() -> train.gather(idx));
        }

        /** The training data with the batch gathered ahead (waiting for it), or as it is. */
        private Dataset prepared(Future<Dataset.HostBatch> ahead) {
            if (ahead == null) {
                return train;
            }
            try {
                return train.withPrepared(ahead.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while gathering a batch", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("could not gather a batch: " + e.getCause(),
                        e.getCause());
            }
        }

        private void oneBatch(NDManager root, Dataset train, int epoch, int batch, int[] idx) {
            beginUpdate(root);
            if (!callbacks.isEmpty()) {
                if (foreignCallbacks) {
                    inFlight.settle(); // what they make and keep must not join the batch in flight
                }
                callbacks.forEach(c -> c.onBatchBegin(epoch, batch, run));
            }
            long start = System.nanoTime();
            boolean readNow = guard != null && guard.checkNow();
            if (readNow) {
                checkLosses(root); // what waits, before this batch is read at once
            } else if (guard != null && guard.needsSave()) {
                inFlight.settle(); // the copies outlive the batch in flight, so are made outside it
                guard.save(updates); // where a bad window starts again from
            }
            InFlight.Batch arrays = inFlight.begin();
            try {
                NDArray l = step.compute(arrays.manager(), train, idx);
                if (readNow) {
                    // the batch's loss read before it can change a weight
                    double loss = l.toType(DataType.FLOAT64, false).getDouble();
                    if (!Double.isFinite(loss)) {
                        throw new NonFiniteLossException(epoch + 1, batch + 1, loss,
                                step.learningRate(),
                                model.describeNonFinite(train.inputs(arrays.manager(), idx)), history);
                    }
                } else if (guard != null) {
                    guard.defer(epoch, batch, idx, updates, l);
                }
                step.apply();
            } catch (RuntimeException | Error e) {
                inFlight.abandon(arrays);
                throw e;
            }
            inFlight.issued(arrays);
            updates++;
            if (guard != null) {
                guard.stepTook(System.nanoTime() - start);
                if (guard.due()) {
                    checkLosses(root);
                }
            }
            if (!callbacks.isEmpty()) { // read from the engine only if a callback looks
                if (foreignCallbacks) {
                    inFlight.settle();
                }
                Map<String, Double> logs = new LazyLogs(() -> {
                    checkLosses(root);
                    return step.epochLogs();
                });
                callbacks.forEach(c -> c.onBatchEnd(epoch, batch, logs, run));
            }
        }

        /**
         * Checks the losses the guard holds (see {@link LossGuard}); when one is not finite,
         * puts back the state of the last check and runs the batches since again, reading each
         * loss: the bad one stops the fit as a check of every batch would have; if it does not
         * repeat (a fault that reads memory it did not set, like the freed constants
         * {@code engine.Constants} now prevents), training goes on, with a warning.
         */
        private void checkLosses(NDManager root) {
            inFlight.settle();
            if (guard == null || !guard.hasPending()) {
                return;
            }
            LossGuard.Pending bad = guard.check();
            if (bad == null) {
                return;
            }
            List<LossGuard.Pending> window = guard.rollBack();
            updates = guard.savedUpdates();
            // run the window again, each loss read as it comes: a bad loss that repeats stops
            // the fit at its batch, with the weights before it
            for (LossGuard.Pending p : window) {
                replay(root, p);
            }
            guard.replayed();
            // it did not repeat: a native read of memory it did not set gave a wrong number
            // once; the window's updates are now those of a run without it
            System.err.println("lamina: warning: the loss of epoch " + (bad.epoch() + 1)
                    + ", batch " + (bad.batch() + 1) + " was not finite, but running the batches"
                    + " from the last check again gave finite losses: a transient fault of the"
                    + " engine's kernels; training goes on from the state the second run gave");
        }

        /**
         * Every random draw of an update (dropout, noise, augmentation) follows from the fit's
         * seed and the update's number alone, so that a run resumed from a checkpoint, or a
         * window the NaN guard runs again, draws what the first run drew. The engine is seeded
         * only when the model draws from it.
         */
        private void beginUpdate(NDManager root) {
            long seed = StepSeeds.mix(fitSeed, updates);
            if (reseed) {
                root.getEngine().setRandomSeed((int) (seed ^ (seed >>> 32)));
            }
            model.beginUpdate(seed);
        }

        /** Runs a batch again from its update's seed, reading its loss: a bad one stops the fit. */
        private void replay(NDManager root, LossGuard.Pending p) {
            beginUpdate(root);
            try (InFlight.Batch b = inFlight.begin()) {
                NDManager bm = b.manager();
                NDArray l = step.compute(bm, train, p.idx());
                double loss = l.toType(DataType.FLOAT64, false).getDouble();
                if (!Double.isFinite(loss)) {
                    throw new NonFiniteLossException(p.epoch() + 1, p.batch() + 1, loss,
                            step.learningRate(),
                            model.describeNonFinite(train.inputs(bm, p.idx())), history);
                }
                step.apply();
            }
            updates++;
        }
    }

}
