package dev.lamina.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.optimizers.Schedules;
import dev.lamina.spec.ConfigException;
import dev.lamina.spec.Spec;
import dev.lamina.spec.Yaml;
import dev.lamina.train.CallbackSpec;
import dev.lamina.train.Callbacks;
import dev.lamina.train.Callbacks.CsvLoggerSpec;
import dev.lamina.train.Callbacks.EarlyStoppingSpec;
import dev.lamina.train.Callbacks.LearningRateSchedulerSpec;
import dev.lamina.train.Callbacks.ReduceLROnPlateauSpec;
import dev.lamina.train.Callbacks.TerminateOnNaNSpec;
import dev.lamina.train.CsvLogger;
import dev.lamina.train.FitContext;
import dev.lamina.train.History;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fit: {callbacks: [...]}: Keras's names and defaults, refused mistakes, round trips. */
class FitCallbacksConfigTest {
    static RunConfig withFit(String fit) {
        return RunConfigTest.parse(RunConfigTest.GOOD.replace("fit: {epochs: 3, batch_size: 128}", fit));
    }

    static ConfigException error(String fit) {
        return assertThrows(ConfigException.class, () -> withFit(fit));
    }

    static final String ALL = """
            fit:
              epochs: 3
              callbacks:
                - early_stopping: {monitor: val_accuracy, patience: 3, restore_best_weights: true, baseline: 0.5}
                - reduce_lr_on_plateau: {factor: 0.5, cooldown: 1}
                - csv_logger
                - {csv_logger: {filename: log2.csv, separator: ';', append: true}}
                - terminate_on_nan
                - learning_rate_scheduler: {schedule: [0.1, 0.05]}
                - learning_rate_scheduler: {schedule: {exponential_decay: {initial_learning_rate: 0.1, decay_steps: 1, decay_rate: 0.5}}}
            """;

    @Test
    void everyCallbackReadsWithKerasDefaults() {
        List<CallbackSpec> cbs = withFit(ALL).fit().callbacks();
        assertEquals(List.of(
                new EarlyStoppingSpec("val_accuracy", 0, 3, "auto", 0.5, true, 0),
                new ReduceLROnPlateauSpec("val_loss", 0.5, 10, "auto", 1e-4, 1, 0),
                new CsvLoggerSpec("log.csv", ",", false),
                new CsvLoggerSpec("log2.csv", ";", true),
                new TerminateOnNaNSpec(),
                LearningRateSchedulerSpec.perEpoch(List.of(0.1, 0.05)),
                LearningRateSchedulerSpec.of(new Schedules.ExponentialDecay(0.1, 1, 0.5, false))),
                cbs);
        assertEquals(EarlyStoppingSpec.defaults(), Callbacks.parse("early_stopping"));
    }

    @Test
    void eachCallbackWritesWhatReadsBackTheSame() {
        for (CallbackSpec c : withFit(ALL).fit().callbacks()) {
            Map<String, Object> written = c.toMap();
            assertEquals(c, Callbacks.parse(written), written.toString());
        }
        assertEquals(Map.of("csv_logger", Map.of("filename", "log.csv", "separator", ",", "append", false)),
                new CsvLoggerSpec("log.csv", ",", false).toMap());
    }

    @Test
    void checkpointCallbacksReadKerasSettingsAndRoundTrip(@TempDir Path dir) {
        List<CallbackSpec> cbs = withFit("""
                fit:
                  epochs: 3
                  callbacks:
                    - model_checkpoint: "ckpt/{epoch:02d}-{val_loss:.3f}"
                    - model_checkpoint: {filepath: best, monitor: val_accuracy, save_best_only: true, save_freq: 20, initial_value_threshold: 0.5}
                    - backup_and_restore: {backup_dir: bak, save_freq: 50, delete_checkpoint: false}
                """).fit().callbacks();
        assertEquals(List.of(
                new Callbacks.ModelCheckpointSpec("ckpt/{epoch:02d}-{val_loss:.3f}", "val_loss",
                        false, "auto", 0, null),
                new Callbacks.ModelCheckpointSpec("best", "val_accuracy", true, "auto", 20, 0.5),
                new Callbacks.BackupAndRestoreSpec("bak", 50, false)), cbs);
        for (CallbackSpec c : cbs) {
            assertEquals(c, Callbacks.parse(c.toMap()), c.toMap().toString());
        }
        // files go in the run directory
        assertEquals(dir.resolve("bak"), ((Callbacks.BackupAndRestoreSpec) cbs.get(2))
                .create(dir).dir());
        ConfigException e = error("fit: {callbacks: [{backup_and_restore: {save_freq: 0}}]}");
        assertTrue(e.detail().contains("expected epoch or a positive number of batches, received"
                + " save_freq=0"), e.detail());
        e = error("fit: {callbacks: [{model_checkpoint: {filepath: 'm-{epoch:x}'}}]}");
        assertTrue(e.detail().contains("filepath field {epoch:x} is not {name}"), e.detail());
    }

    @Test
    void anUnknownCallbackSuggestsTheNearestOne() {
        ConfigException e = error("fit: {callbacks: [{early_stoping: {patience: 3}}]}");
        assertEquals("run.yaml:12", e.where());
        assertTrue(e.detail().startsWith("unknown callback 'early_stoping'. Did you mean"
                + " 'early_stopping'? Known: backup_and_restore, csv_logger, early_stopping,"
                + " learning_rate_scheduler, model_checkpoint, reduce_lr_on_plateau,"
                + " terminate_on_nan"), e.detail());
    }

    @Test
    void anUnknownSettingSuggestsTheNearestOne() {
        ConfigException e = error("fit: {callbacks: [{reduce_lr_on_plateau: {min_lr: 0.001, paitence: 3}}]}");
        assertEquals("run.yaml:12", e.where());
        assertTrue(e.detail().contains("'reduce_lr_on_plateau' has no setting 'paitence'. Did you"
                + " mean 'patience'?"), e.detail());
    }

    @Test
    void aBadValueIsNamedAtItsField() {
        ConfigException e = error("fit: {callbacks: [{reduce_lr_on_plateau: {factor: 2}}]}");
        assertEquals("fit.callbacks[0].reduce_lr_on_plateau.factor", e.field());
        assertEquals("expected a number in (0, 1) to multiply the learning rate by, received"
                + " factor=2.0", e.detail());
        ConfigException m = error("fit: {callbacks: [{early_stopping: {mode: maximum}}]}");
        assertTrue(m.detail().startsWith("expected one of auto, min, max, received mode=maximum."),
                m.detail());
        ConfigException s = error("fit: {callbacks: [{learning_rate_scheduler: {schedule: [0.1, -1]}}]}");
        assertEquals("expected rates > 0, received -1.0 for epoch 2", s.detail());
        ConfigException l = error("fit: {callbacks: {early_stopping: {}}}");
        assertTrue(l.detail().startsWith("expected a list of callbacks"), l.detail());
    }

    @Test
    void theOlderEarlyStoppingKeyStillWorks() {
        List<CallbackSpec> cbs = withFit("fit: {epochs: 3, early_stopping: {monitor: val_accuracy}}")
                .fit().callbacks();
        assertEquals(List.of(new EarlyStoppingSpec("val_accuracy", 0, 3, "auto", null, false, 0)), cbs);
        ConfigException e = error("fit: {early_stopping: {patience: 2}, callbacks: [early_stopping]}");
        assertEquals("early_stopping is given twice, here and in fit.callbacks: keep the one in"
                + " callbacks", e.detail());
        ConfigException k = error("fit: {early_stopping: {patiense: 2}}");
        assertTrue(k.detail().contains("Did you mean 'patience'?"), k.detail());
    }

    @Test
    void terminateOnNanCannotBeBothOffAndNamed() {
        ConfigException e = error("fit: {terminate_on_nan: false, callbacks: [terminate_on_nan]}");
        assertEquals("terminate_on_nan is false here but fit.callbacks names terminate_on_nan:"
                + " remove one of them", e.detail());
    }

    @Test
    void anotherModuleCanRegisterACallback() {
        // named to sort last, after the names the other tests list
        Callbacks.register("zz_registered_test", m -> new CsvLoggerSpec(m.getString("filename", "n.csv"), ",", false));
        assertEquals(new CsvLoggerSpec("x.csv", ",", false),
                Callbacks.parse(Map.of("zz_registered_test", Map.of("filename", "x.csv"))));
    }

    @Test
    void csvLoggerWritesInTheRunDirectoryWithItsSeparatorAndAppends(@TempDir Path dir)
            throws IOException {
        CsvLoggerSpec spec = (CsvLoggerSpec) Callbacks.parse(
                Yaml.read("{csv_logger: {filename: logs/e.csv, separator: ';', append: true}}", "x"));
        for (int run = 0; run < 2; run++) {
            CsvLogger log = spec.create(dir);
            FitContext ctx = new FitContext(null, 1, 1, new History(), null);
            log.onTrainBegin(ctx);
            Map<String, Double> logs = new LinkedHashMap<>();
            logs.put("loss", 0.5);
            logs.put("learning_rate", 0.01);
            log.onEpochEnd(0, logs, ctx);
        }
        assertEquals(List.of("epoch;loss;learning_rate", "1;0.500000;0.0100000", "1;0.500000;0.0100000"),
                Files.readAllLines(dir.resolve("logs/e.csv")));
        // without append the file starts again
        CsvLogger fresh = new CsvLoggerSpec("logs/e.csv", ",", false).create(dir);
        FitContext ctx = new FitContext(null, 1, 1, new History(), null);
        fresh.onTrainBegin(ctx);
        fresh.onEpochEnd(0, Map.of("loss", 0.25), ctx);
        assertEquals(List.of("epoch,loss", "1,0.250000"), Files.readAllLines(dir.resolve("logs/e.csv")));
    }

    @Test
    void specsAreSpecs() {
        assertTrue(Callbacks.parse("terminate_on_nan") instanceof Spec);
    }
}
