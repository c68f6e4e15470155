package dev.lamina.train;

import dev.lamina.optimizers.LearningRate;
import dev.lamina.spec.Catalog;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The callbacks a run file can name in {@code fit: {callbacks: [...]}}, by Keras 3's names and
 * with its defaults: a bare name ({@code terminate_on_nan}) or a one-key map
 * ({@code {early_stopping: {monitor: val_loss, patience: 3}}}); unknown names and settings are
 * refused with a "did you mean".
 *
 * <pre>
 * fit:
 *   epochs: 30
 *   callbacks:
 *     - early_stopping: {monitor: val_loss, patience: 3, restore_best_weights: true}
 *     - reduce_lr_on_plateau: {monitor: val_loss, factor: 0.5, patience: 2}
 *     - learning_rate_scheduler: {schedule: [0.1, 0.1, 0.05, 0.01]}
 *     - csv_logger: {filename: log.csv, separator: ';'}
 *     - terminate_on_nan
 * </pre>
 *
 * Other modules add names with {@link #register}.
 */
public final class Callbacks {
    private Callbacks() {}

    private static final Catalog<CallbackSpec> CATALOG = new Catalog<CallbackSpec>("callback")
            .register(EarlyStopping.TYPE, EarlyStoppingSpec::fromMap)
            .register(ReduceLROnPlateau.TYPE, ReduceLROnPlateauSpec::fromMap)
            .register(CsvLogger.TYPE, CsvLoggerSpec::fromMap)
            .register(TerminateOnNaN.TYPE, TerminateOnNaNSpec::fromMap)
            .register(LearningRateScheduler.TYPE, LearningRateSchedulerSpec::fromMap)
            .register(ModelCheckpointSpec.TYPE, ModelCheckpointSpec::fromMap)
            .shorthand(ModelCheckpointSpec.TYPE, "filepath")
            .register(BackupAndRestoreSpec.TYPE, BackupAndRestoreSpec::fromMap)
            .shorthand(CsvLogger.TYPE, "filename");

    /**
     * Adds a callback name run files may use (a second registration of a name replaces the
     * first); {@code parser} reads its settings and should refuse bad values with {@link
     * SpecException}.
     */
    public static void register(String type, Function<SpecMap, CallbackSpec> parser) {
        CATALOG.register(type, parser);
    }

    /** The callback names, sorted. */
    public static Set<String> names() {
        return CATALOG.names();
    }

    /** Reads one callback: a bare name or a one-key map. */
    public static CallbackSpec parse(ConfigNode node) {
        return CATALOG.parse(node);
    }

    /** Reads one callback from a plain Java value (a name or a one-key map). */
    public static CallbackSpec parse(Object plain) {
        return CATALOG.parse(plain);
    }

    /** Reads {@code callbacks: [...]}, a list of names and one-key maps. */
    public static List<CallbackSpec> parseList(ConfigNode node) {
        if (!node.isList()) {
            throw node.error("expected a list of callbacks, such as [{early_stopping: {patience: 3}},"
                    + " csv_logger], got " + node.describe() + ". Callbacks: "
                    + String.join(", ", names()));
        }
        List<CallbackSpec> out = new ArrayList<>();
        for (ConfigNode c : node.asList()) {
            out.add(parse(c));
        }
        return out;
    }

    /** {@code early_stopping}: see {@link EarlyStopping}. */
    public record EarlyStoppingSpec(String monitor, double minDelta, int patience, String mode,
            Double baseline, boolean restoreBestWeights, int startFromEpoch)
            implements CallbackSpec {
        public EarlyStoppingSpec {
            // checks every setting, as the callback does (the fields are not set yet)
            new EarlyStopping(monitor, minDelta, patience, mode, baseline, restoreBestWeights,
                    startFromEpoch);
        }

        /** Keras's defaults: val_loss, patience 0. */
        public static EarlyStoppingSpec defaults() {
            return new EarlyStoppingSpec("val_loss", 0, 0, "auto", null, false, 0);
        }

        @Override
        public String type() {
            return EarlyStopping.TYPE;
        }

        @Override
        public EarlyStopping create(Path runDirectory) {
            return new EarlyStopping(monitor, minDelta, patience, mode, baseline,
                    restoreBestWeights, startFromEpoch);
        }

        @Override
        public Map<String, Object> config() {
            return Spec.ordered("monitor", monitor, "min_delta", minDelta, "patience", patience,
                    "mode", mode, "baseline", baseline, "restore_best_weights",
                    restoreBestWeights, "start_from_epoch", startFromEpoch);
        }

        static EarlyStoppingSpec fromMap(SpecMap m) {
            return fromMap(m, 0);
        }

        /** With another default patience (the older {@code fit: {early_stopping:}} has 3). */
        public static EarlyStoppingSpec fromMap(SpecMap m, int defaultPatience) {
            ConfigNode b = m.get("baseline");
            return new EarlyStoppingSpec(m.getString("monitor", "val_loss"),
                    m.getDouble("min_delta", 0), m.getInt("patience", defaultPatience),
                    m.getChoice("mode", "auto", "auto", "min", "max"),
                    b == null ? null : b.asDouble(), m.getBoolean("restore_best_weights", false),
                    m.getInt("start_from_epoch", 0));
        }
    }

    /** {@code reduce_lr_on_plateau}: see {@link ReduceLROnPlateau}. */
    public record ReduceLROnPlateauSpec(String monitor, double factor, int patience, String mode,
            double minDelta, int cooldown, double minLr) implements CallbackSpec {
        public ReduceLROnPlateauSpec {
            new ReduceLROnPlateau(monitor, factor, patience, mode, minDelta, cooldown, minLr);
        }

        @Override
        public String type() {
            return ReduceLROnPlateau.TYPE;
        }

        @Override
        public ReduceLROnPlateau create(Path runDirectory) {
            return new ReduceLROnPlateau(monitor, factor, patience, mode, minDelta, cooldown, minLr);
        }

        @Override
        public Map<String, Object> config() {
            return Spec.ordered("monitor", monitor, "factor", factor, "patience", patience, "mode",
                    mode, "min_delta", minDelta, "cooldown", cooldown, "min_lr", minLr);
        }

        static ReduceLROnPlateauSpec fromMap(SpecMap m) {
            return new ReduceLROnPlateauSpec(m.getString("monitor", "val_loss"),
                    m.getDouble("factor", 0.1), m.getInt("patience", 10),
                    m.getChoice("mode", "auto", "auto", "min", "max"),
                    m.getDouble("min_delta", 1e-4), m.getInt("cooldown", 0),
                    m.getDouble("min_lr", 0));
        }
    }

    /**
     * {@code csv_logger}: see {@link CsvLogger}. In a run file {@code filename} is in the run
     * directory unless absolute, and defaults to {@code log.csv} (Keras has no default);
     * {@code {csv_logger: epochs.csv}} names the file alone.
     */
    public record CsvLoggerSpec(String filename, String separator, boolean append)
            implements CallbackSpec {
        public CsvLoggerSpec {
            if (filename == null || filename.isBlank()) {
                throw new SpecException(CsvLogger.TYPE, "filename", "expected a file name, such"
                        + " as log.csv");
            }
            new CsvLogger(Path.of(filename), separator, append);
        }

        @Override
        public String type() {
            return CsvLogger.TYPE;
        }

        @Override
        public CsvLogger create(Path runDirectory) {
            Path f = Path.of(filename);
            return new CsvLogger(runDirectory == null ? f : runDirectory.resolve(f), separator,
                    append);
        }

        @Override
        public Map<String, Object> config() {
            return Spec.ordered("filename", filename, "separator", separator, "append", append);
        }

        static CsvLoggerSpec fromMap(SpecMap m) {
            return new CsvLoggerSpec(m.getString("filename", "log.csv"),
                    m.getString("separator", ","), m.getBoolean("append", false));
        }
    }

    /** Reads Keras's {@code save_freq}: {@code epoch} (0 here) or a positive number of batches. */
    private static int readSaveFreq(SpecMap m, String type) {
        ConfigNode v = m.get("save_freq");
        if (v == null || v.isScalar() && "epoch".equals(v.scalarValue())) {
            return 0;
        }
        int n = v.asInt();
        if (n <= 0) {
            throw new SpecException(type, "save_freq", "expected epoch or a positive number of"
                    + " batches, received save_freq=" + n);
        }
        return n;
    }

    /**
     * {@code model_checkpoint: {filepath: ckpt/{epoch:02d}-{val_loss:.3f}, save_best_only: true}}:
     * see {@link ModelCheckpoint}; a relative filepath is in the run directory.
     */
    public record ModelCheckpointSpec(String filepath, String monitor, boolean saveBestOnly,
            String mode, int saveFreq, Double initialValueThreshold) implements CallbackSpec {
        static final String TYPE = ModelCheckpoint.TYPE;

        public ModelCheckpointSpec {
            try {
                new ModelCheckpoint(filepath, monitor, saveBestOnly, mode, saveFreq,
                        initialValueThreshold);
            } catch (SpecException e) {
                throw e; // monitor and mode, named by the monitor's checks
            } catch (IllegalArgumentException e) {
                throw new SpecException(TYPE, "filepath", e.getMessage()
                        .replace("model_checkpoint: ", ""));
            }
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public ModelCheckpoint create(Path runDirectory) {
            String f = runDirectory == null || Path.of(filepath).isAbsolute() ? filepath
                    : runDirectory.resolve(filepath).toString();
            return new ModelCheckpoint(f, monitor, saveBestOnly, mode, saveFreq,
                    initialValueThreshold);
        }

        @Override
        public Map<String, Object> config() {
            Map<String, Object> c = Spec.ordered("filepath", filepath, "monitor", monitor,
                    "save_best_only", saveBestOnly, "mode", mode, "save_freq",
                    saveFreq == 0 ? "epoch" : saveFreq);
            if (initialValueThreshold != null) {
                c = new java.util.LinkedHashMap<>(c);
                c.put("initial_value_threshold", initialValueThreshold);
            }
            return c;
        }

        static ModelCheckpointSpec fromMap(SpecMap m) {
            return new ModelCheckpointSpec(m.require("filepath").asString(),
                    m.getString("monitor", "val_loss"), m.getBoolean("save_best_only", false),
                    m.getChoice("mode", "auto", "auto", "min", "max"), readSaveFreq(m, TYPE),
                    m.has("initial_value_threshold") ? m.requireDouble("initial_value_threshold")
                            : null);
        }
    }

    /**
     * {@code backup_and_restore: {backup_dir: backup, save_freq: epoch, delete_checkpoint: true}}:
     * see {@link BackupAndRestore}; a relative backup_dir is in the run directory (every run keeps
     * one in {@code backup} anyway: name it to change where, or how often).
     */
    public record BackupAndRestoreSpec(String backupDir, int saveFreq, boolean deleteCheckpoint)
            implements CallbackSpec {
        static final String TYPE = "backup_and_restore";

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public BackupAndRestore create(Path runDirectory) {
            Path d = Path.of(backupDir);
            return new BackupAndRestore(runDirectory == null || d.isAbsolute() ? d
                    : runDirectory.resolve(d), saveFreq, deleteCheckpoint);
        }

        @Override
        public Map<String, Object> config() {
            return Spec.ordered("backup_dir", backupDir, "save_freq", saveFreq == 0 ? "epoch"
                    : saveFreq, "delete_checkpoint", deleteCheckpoint);
        }

        static BackupAndRestoreSpec fromMap(SpecMap m) {
            return new BackupAndRestoreSpec(m.getString("backup_dir", "backup"),
                    readSaveFreq(m, TYPE), m.getBoolean("delete_checkpoint", true));
        }
    }

    /** {@code terminate_on_nan}: see {@link TerminateOnNaN}; it has no settings. */
    public record TerminateOnNaNSpec() implements CallbackSpec {
        @Override
        public String type() {
            return TerminateOnNaN.TYPE;
        }

        @Override
        public TerminateOnNaN create(Path runDirectory) {
            return new TerminateOnNaN();
        }

        @Override
        public Map<String, Object> config() {
            return Spec.ordered();
        }

        static TerminateOnNaNSpec fromMap(SpecMap m) {
            return new TerminateOnNaNSpec();
        }
    }

    /**
     * {@code learning_rate_scheduler: {schedule: ...}}: the rate of each epoch, set as it begins
     * (see {@link LearningRateScheduler}). {@code schedule} is either a list of rates, one per
     * epoch from the first (the last holds for any later epoch), or a number or one of Lamina's
     * learning-rate schedules ({@code {exponential_decay: {...}}}), evaluated at the epoch number
     * (0, 1, ...) where the optimizer evaluates it at the update number. Exactly one of {@code
     * rates} and {@code schedule} is non-null.
     */
    public record LearningRateSchedulerSpec(List<Double> rates, LearningRate schedule)
            implements CallbackSpec {
        private static final String TYPE = LearningRateScheduler.TYPE;

        public LearningRateSchedulerSpec {
            if ((rates == null) == (schedule == null)) {
                throw new SpecException(TYPE, "schedule", "expected a list of rates, one per"
                        + " epoch (such as [0.1, 0.1, 0.01]), or a schedule (such as"
                        + " {exponential_decay: {initial_learning_rate: 0.1, decay_steps: 1,"
                        + " decay_rate: 0.9}})");
            }
            if (rates != null) {
                rates = List.copyOf(rates);
                if (rates.isEmpty()) {
                    throw new SpecException(TYPE, "schedule", "expected at least one rate");
                }
                for (int i = 0; i < rates.size(); i++) {
                    double r = rates.get(i);
                    if (!(r > 0) || Double.isInfinite(r)) {
                        throw new SpecException(TYPE, "schedule", "expected rates > 0, received "
                                + r + " for epoch " + (i + 1));
                    }
                }
            }
        }

        /** One rate per epoch; the last holds for later epochs. */
        public static LearningRateSchedulerSpec perEpoch(List<Double> rates) {
            return new LearningRateSchedulerSpec(rates, null);
        }

        /** {@code schedule} evaluated at the epoch number. */
        public static LearningRateSchedulerSpec of(LearningRate schedule) {
            return new LearningRateSchedulerSpec(null, schedule);
        }

        /** The rate of epoch {@code epoch} (0-based). */
        public double rate(int epoch) {
            return rates != null ? rates.get(Math.min(epoch, rates.size() - 1))
                    : schedule.at(epoch);
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public LearningRateScheduler create(Path runDirectory) {
            return new LearningRateScheduler((epoch, lr) -> rate(epoch));
        }

        @Override
        public Map<String, Object> config() {
            return Spec.ordered("schedule", rates != null ? rates : schedule.toConfig());
        }

        static LearningRateSchedulerSpec fromMap(SpecMap m) {
            ConfigNode s = m.require("schedule");
            if (s.isList()) {
                List<Double> rates = new ArrayList<>();
                s.asList().forEach(r -> rates.add(r.asDouble()));
                return perEpoch(rates);
            }
            LearningRate lr = LearningRate.parse(s);
            if (lr instanceof LearningRate.Constant c && !(c.value() > 0 && Double.isFinite(c.value()))) {
                throw s.error("expected a learning rate > 0, received schedule=" + c.value());
            }
            return of(lr);
        }
    }
}
