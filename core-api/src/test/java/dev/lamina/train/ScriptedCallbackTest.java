package dev.lamina.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import dev.lamina.data.Dataset;
import dev.lamina.optimizers.RateControl;
import dev.lamina.optimizers.Schedules;
import dev.lamina.spec.SpecException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each callback's decisions on a scripted run: the epoch logs are given, and the test asserts the
 * epoch at which the callback acts and what it does, by Keras 3's rules.
 */
class ScriptedCallbackTest {
    /**
     * A run with no model: the learning rate is {@code base} under the run's {@link RateControl},
     * as the optimizer's is; only what the callbacks reach of it is answered.
     */
    static final class Script implements TrainingStep {
        final RateControl control = new RateControl();
        final double base;

        Script(double base) {
            this.base = base;
        }

        @Override
        public double learningRate() {
            return control.apply(base);
        }

        @Override
        public RateControl rateControl() {
            return control;
        }

        @Override
        public void begin(Trainable model, int batchSize) {
            throw new UnsupportedOperationException("a script has no model");
        }

        @Override
        public ai.djl.ndarray.NDArray compute(NDManager manager, Dataset data, int[] idx) {
            throw new UnsupportedOperationException("a script has no batches");
        }

        @Override
        public void apply() {
            throw new UnsupportedOperationException("a script has no batches");
        }

        @Override
        public void beginEpoch() {}

        @Override
        public Map<String, Double> epochLogs() {
            throw new UnsupportedOperationException("a script gives its own logs");
        }

        @Override
        public Map<String, Double> validate(Dataset data, int batchSize) {
            throw new UnsupportedOperationException("a script gives its own logs");
        }

        @Override
        public void close() {}
    }

    /** What a scripted run gave: the epoch it stopped at (-1: none) and each epoch's rate. */
    record Outcome(int stoppedAt, List<Double> rates) {}

    /** Feeds {@code cb} one epoch per value of {@code key}, as the loop does. */
    static Outcome feed(Callback cb, String key, double... values) {
        Script step = new Script(0.1);
        History h = new History();
        FitContext run = new FitContext(null, values.length, 1, h, step);
        List<Double> rates = new ArrayList<>();
        cb.onTrainBegin(run);
        int stopped = -1;
        for (int e = 0; e < values.length; e++) {
            cb.onEpochBegin(e, run);
            rates.add(run.learningRate());
            Map<String, Double> logs = new java.util.LinkedHashMap<>(Map.of(key, values[e]));
            h.addEpoch(logs);
            cb.onEpochEnd(e, logs, run);
            if (run.stopRequested()) {
                stopped = e;
                break;
            }
        }
        cb.onTrainEnd(h, run);
        rates.add(run.learningRate());
        return new Outcome(stopped, rates);
    }

    static int stopsAt(EarlyStopping es, String key, double... values) {
        int at = feed(es, key, values).stoppedAt();
        assertEquals(at, es.stoppedEpoch());
        return at;
    }

    @Test
    void earlyStoppingStopsWhenPatienceRunsOut() {
        // best 0.9 at epoch 1; epochs 2 and 3 do not improve: the count reaches 2 at epoch 3
        assertEquals(3, stopsAt(new EarlyStopping("val_loss", 2), "val_loss", 1.0, 0.9, 0.95, 0.92, 0.8));
        // patience 0 (Keras's default): the first epoch that does not improve
        assertEquals(1, stopsAt(new EarlyStopping("val_loss", 0), "val_loss", 1.0, 1.1, 0.5));
        // a new best sets the count back
        assertEquals(-1, stopsAt(new EarlyStopping("val_loss", 1), "val_loss", 1.0, 0.9, 0.8, 0.7));
    }

    @Test
    void earlyStoppingMinDeltaIsTheLeastChangeThatCounts() {
        // 0.97 is 0.03 better than 1.0: less than min_delta 0.05, so no improvement
        assertEquals(1, stopsAt(new EarlyStopping("val_loss", 1, 0.05, "auto"), "val_loss", 1.0, 0.97, 0.5));
        assertEquals(-1, stopsAt(new EarlyStopping("val_loss", 1, 0.02, "auto"), "val_loss", 1.0, 0.97, 0.94));
    }

    @Test
    void earlyStoppingAutoMaximisesAccuracyAndMinimisesLosses() {
        assertEquals(3, stopsAt(new EarlyStopping("val_accuracy", 2), "val_accuracy", 0.5, 0.6, 0.55, 0.58));
        // min mode on an accuracy: 0.6 is worse than 0.5
        assertEquals(1, stopsAt(new EarlyStopping("val_accuracy", 1, 0, "min"), "val_accuracy", 0.5, 0.6));
        assertEquals(1, stopsAt(new EarlyStopping("logits_loss", 1), "logits_loss", 0.5, 0.6));
        assertEquals(-1, stopsAt(new EarlyStopping("auc", 1), "auc", 0.5, 0.6));
    }

    @Test
    void earlyStoppingAutoRefusesANameItCannotPlace() {
        SpecException e = assertThrows(SpecException.class,
                () -> new EarlyStopping("learning_rate", 2));
        assertEquals("early_stopping.mode: cannot tell whether monitor=learning_rate should be"
                + " minimised or maximised: give mode: max to keep the highest value, or mode: min"
                + " to keep the lowest", e.getMessage());
    }

    @Test
    void earlyStoppingBaselineMustBeBeatenToResetTheCount() {
        // Keras 3: every epoch counts; an improvement that does not beat the baseline leaves the
        // count, and only a non-improving epoch can stop
        EarlyStopping es = new EarlyStopping("val_loss", 0, 2, "auto", 0.5, false, 0);
        assertEquals(1, stopsAt(es, "val_loss", 0.9, 0.95, 0.8));
        assertEquals(-1, stopsAt(es, "val_loss", 0.9, 0.8, 0.7, 0.6), "each epoch improves");
        // beating it starts the count again: epochs 1 and 2 make it 2
        assertEquals(2, stopsAt(es, "val_loss", 0.4, 0.45, 0.46, 0.47));
    }

    @Test
    void earlyStoppingStartFromEpochIgnoresTheFirstEpochs() {
        EarlyStopping es = new EarlyStopping("loss", 0, 1, "auto", null, false, 2);
        assertEquals(3, stopsAt(es, "loss", 1.0, 2.0, 3.0, 3.5, 2.9));
        assertEquals(1, stopsAt(new EarlyStopping("loss", 1), "loss", 1.0, 2.0, 3.0, 3.5, 2.9));
        assertEquals(2, es.bestEpoch());
    }

    @Test
    void earlyStoppingNamesWhatTheRunReportsWhenTheMonitorIsMissing() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> feed(new EarlyStopping("val_loss", 2), "loss", 1.0));
        assertEquals("early_stopping watches 'val_loss', which this run does not report; it"
                + " reports [loss] (give validation data for val_ metrics)", e.getMessage());
    }

    @Test
    void earlyStoppingRefusesBadSettingsByName() {
        assertEquals("early_stopping.patience: expected an integer >= 0, received patience=-1",
                assertThrows(SpecException.class, () -> new EarlyStopping("val_loss", -1)).getMessage());
        assertEquals("early_stopping.mode: expected auto, min or max, received mode=maximum",
                assertThrows(SpecException.class,
                        () -> new EarlyStopping("val_loss", 1, 0, "maximum")).getMessage());
    }

    @Test
    void reduceLrOnPlateauMultipliesTheRateWhenPatienceRunsOut() {
        // flat loss: epoch 0 is the best, epochs 1 and 2 make the count 2: the rate halves at the
        // end of epoch 2, and again at the end of epoch 4
        ReduceLROnPlateau r = new ReduceLROnPlateau("loss", 0.5, 2, "auto", 1e-4, 0, 0);
        List<Double> rates = feed(r, "loss", 1, 1, 1, 1, 1, 1).rates();
        assertRates(List.of(0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025), rates);
    }

    @Test
    void reduceLrOnPlateauWaitsOutTheCooldown() {
        // reduced at the end of epoch 2 with cooldown 2: the counter is 1 at epoch 3, which does
        // not count, and 0 at epoch 4, which does (Keras counts down first): epochs 4 and 5 make
        // the count 2, and the rate halves at the end of epoch 5. Without the cooldown, epoch 4
        ReduceLROnPlateau r = new ReduceLROnPlateau("loss", 0.5, 2, "auto", 1e-4, 2, 0);
        assertRates(List.of(0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025),
                feed(r, "loss", 1, 1, 1, 1, 1, 1, 1).rates());
    }

    @Test
    void reduceLrOnPlateauStopsAtMinLr() {
        ReduceLROnPlateau r = new ReduceLROnPlateau("loss", 0.5, 1, "auto", 1e-4, 0, 0.03);
        assertRates(List.of(0.1, 0.1, 0.05, 0.03, 0.03, 0.03),
                feed(r, "loss", 1, 1, 1, 1, 1).rates());
    }

    @Test
    void reduceLrOnPlateauMinDeltaAndMode() {
        // improvements of 1e-5 are below min_delta 1e-4: they count as a plateau
        ReduceLROnPlateau r = new ReduceLROnPlateau("val_loss", 0.1, 2, "auto", 1e-4, 0, 0);
        assertRates(List.of(0.1, 0.1, 0.1, 0.01), feed(r, "val_loss", 1, 0.99999, 0.99998).rates());
        // accuracy rising is an improvement (auto: max)
        ReduceLROnPlateau a = new ReduceLROnPlateau("val_accuracy", 0.1, 1, "auto", 1e-4, 0, 0);
        assertRates(List.of(0.1, 0.1, 0.1, 0.01), feed(a, "val_accuracy", 0.5, 0.6, 0.6).rates());
    }

    @Test
    void reduceLrOnPlateauRefusesAFactorOfOneOrMore() {
        assertEquals("reduce_lr_on_plateau.factor: expected a number in (0, 1) to multiply the"
                + " learning rate by, received factor=1.0", assertThrows(SpecException.class,
                        () -> new ReduceLROnPlateau("val_loss", 1.0, 10, "auto", 1e-4, 0, 0))
                        .getMessage());
    }

    @Test
    void learningRateSchedulerSetsEachEpochsRateFromTheLast() {
        LearningRateScheduler s = new LearningRateScheduler((epoch, lr) -> epoch == 0 ? 0.2 : lr * 0.5);
        assertRates(List.of(0.2, 0.1, 0.05, 0.05), feed(s, "loss", 1, 1, 1).rates());
    }

    @Test
    void learningRateSchedulerFromAListOrASchedule() {
        Callback list = Callbacks.LearningRateSchedulerSpec.perEpoch(List.of(0.3, 0.2)).create(null);
        assertRates(List.of(0.3, 0.2, 0.2, 0.2), feed(list, "loss", 1, 1, 1).rates());
        // exponential_decay by epoch: 0.1 · 0.5^epoch
        Callback decay = Callbacks.LearningRateSchedulerSpec.of(
                new Schedules.ExponentialDecay(0.1, 1, 0.5, false)).create(null);
        assertRates(List.of(0.1, 0.05, 0.025, 0.0125, 0.0125), feed(decay, "loss", 1, 1, 1, 1).rates());
    }

    @Test
    void learningRateSchedulerRefusesARateThatIsNotPositive() {
        LearningRateScheduler s = new LearningRateScheduler((epoch, lr) -> epoch == 1 ? 0 : lr);
        assertEquals("learning_rate_scheduler gave the learning rate 0.0 for epoch 2: a schedule"
                + " must give a number > 0", assertThrows(IllegalArgumentException.class,
                        () -> feed(s, "loss", 1, 1)).getMessage());
    }

    private static void assertRates(List<Double> want, List<Double> got) {
        assertEquals(want.size(), got.size(), "rates " + got);
        for (int i = 0; i < want.size(); i++) {
            assertEquals(want.get(i), got.get(i), 1e-12, "epoch " + i + " of " + got);
        }
    }
}
