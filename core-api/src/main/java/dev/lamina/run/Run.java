package dev.lamina.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lamina.Lamina;
import dev.lamina.Model;
import dev.lamina.data.DataSources;
import dev.lamina.data.Dataset;
import dev.lamina.engine.Backend;
import dev.lamina.io.AtomicFiles;
import dev.lamina.spec.ConfigException;
import dev.lamina.spec.ConfigNode;
import dev.lamina.train.BackupAndRestore;
import dev.lamina.train.Callback;
import dev.lamina.train.CallbackSpec;
import dev.lamina.train.Callbacks;
import dev.lamina.train.CsvLogger;
import dev.lamina.train.DataChecks;
import dev.lamina.train.FitOptions;
import dev.lamina.train.History;
import dev.lamina.train.NonFiniteLossException;
import dev.lamina.train.SampleWeights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A run file made runnable from Java: {@code Run.load(path).train()} reads the data the file
 * names, trains its model, evaluates it on the test data and writes the run directory (the saved
 * {@code model/}, {@code history.csv}, {@code metrics.json}); {@code lamina train} is a thin shell
 * over it. Settings may be overridden before {@link #train()}:
 *
 * <pre>{@code
 * try (Run.Result r = Run.load(Path.of("examples/lenet.yaml")).epochs(2).train()) {
 *     System.out.println(r.metrics().get("test_accuracy"));
 * }
 * }</pre>
 *
 * <p>The run directory is checked before any training: it must be a directory that can be
 * written, and a run's name cannot lead out of {@code runs/}. Files are replaced atomically, and
 * a model saved there earlier is only replaced by a finished run's.
 */
public final class Run {
    private final RunConfig config;
    private Backend backend;
    private Path dir;
    private boolean resume;
    private Integer epochs;
    private final List<Callback> callbacks = new ArrayList<>();
    private Consumer<String> log = line -> { };

    private Run(RunConfig config) {
        this.config = config;
    }

    /** Reads and checks the run file at {@code file} (errors name its line). */
    public static Run load(Path file) throws IOException {
        return new Run(RunConfig.read(file));
    }

    /** The file's settings. */
    public RunConfig config() {
        return config;
    }

    /** Trains on this engine and device instead of the file's (or the defaults). */
    public Run backend(Backend b) {
        this.backend = b;
        return this;
    }

    /**
     * Goes on from the checkpoint a killed run of this file left in its run directory
     * ({@code DIR/backup}), instead of starting afresh: the run then ends with the weights an
     * uninterrupted run ends with.
     */
    public Run resume(boolean on) {
        this.resume = on;
        return this;
    }

    /** Writes the run directory here instead of {@code runs/NAME}. */
    public Run directory(Path d) {
        if (d == null || d.toString().isBlank()) {
            throw new IllegalArgumentException("the run directory must be named: give a path"
                    + " such as runs/" + config.name());
        }
        this.dir = d;
        return this;
    }

    /** Trains for {@code n} epochs instead of the file's {@code fit.epochs}. */
    public Run epochs(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("epochs must be positive, received " + n);
        }
        this.epochs = n;
        return this;
    }

    /** Adds a callback (a progress bar, say) to the file's own. */
    public Run callback(Callback c) {
        callbacks.add(c);
        return this;
    }

    /** Where the run reports what it is about to do (one line before training). */
    public Run log(Consumer<String> l) {
        this.log = l;
        return this;
    }

    /** The engine and device the run uses. */
    public Backend backend() {
        if (backend == null) {
            backend = Backend.of(config.engine() != null ? config.engine() : Backend.defaults()
                    .userName(), config.device() != null ? config.device() : "auto");
        }
        return backend;
    }

    /** The run directory: as set, else {@code runs/NAME}. */
    public Path directory() {
        return dir != null ? dir : Path.of("runs", config.name());
    }

    /** The number of epochs the run trains. */
    public int epochs() {
        return epochs != null ? epochs : config.fit().epochs();
    }

    /**
     * Loads the data, trains, evaluates on the test data (if the file names some), saves the
     * model and writes {@code history.csv} and {@code metrics.json}. The caller closes the result.
     *
     * @throws NonFiniteLossException when the loss became NaN or infinite (after writing the
     *     history so far and a {@code metrics.json} that says so; no model is saved)
     */
    public Result train() throws IOException {
        RunConfig.DataConfig d = config.data();
        // the model is built and the data checked against it (inputs and, for the losses,
        // labels) before anything is written: a mismatch is the file's mistake, reported at
        // the data source's line
        Model model = config.model(backend());
        Path out;
        BackupAndRestore backup;
        Dataset train;
        Dataset test;
        Dataset validation;
        Dataset pretrainData = null;
        try {
            // images (images:DIR) are resized to the model's input unless the source says
            List<ai.djl.ndarray.types.Shape> in = model.inputShapes();
            ai.djl.ndarray.types.Shape fit = in.size() == 1 ? in.get(0) : null;
            train = load(d.train(), d.trainNode(), fit);
            test = d.test() == null ? null : load(d.test(), d.testNode(), fit);
            validation = d.validation() == null ? null
                    : load(d.validation(), d.validationNode(), fit);
            if (d.limit() != null) {
                train = train.limit(d.limit());
            }
            check(model, train, d.trainNode());
            check(model, validation, d.validationNode());
            check(model, test, d.testNode());
            if (d.pretrain() != null) {
                if (!model.hasPretraining()) {
                    throw d.pretrainNode().error("model '" + model.name() + "' has no layer that"
                            + " pretrains (dbn, rbm, stacked_autoencoder): remove data.pretrain");
                }
                pretrainData = load(d.pretrain(), d.pretrainNode(), fit);
            }
            if (config.fit().classWeight() != null) {
                try {
                    SampleWeights.checkClassWeight(config.fit().classWeight(), model.name(), model.outputShapes());
                } catch (IllegalArgumentException e) {
                    throw RunConfig.at(config.fit().classWeightNode(), e.getMessage());
                }
            }
            out = prepareDirectory(directory());
            backup = backup(out);
            checkBackup(backup);
        } catch (RuntimeException | IOException e) {
            model.close();
            throw e;
        }
        FitOptions options = FitOptions.defaults().epochs(epochs())
                .batchSize(config.fit().batchSize()).shuffle(config.fit().shuffle())
                .terminateOnNan(config.fit().terminateOnNan());
        if (config.fit().classWeight() != null) {
            options.classWeight(config.fit().classWeight());
        }
        if (validation != null) {
            options.validationData(validation);
        } else if (d.validationSplit() > 0) {
            options.validationSplit(d.validationSplit());
        }
        // every run keeps a checkpoint in DIR/backup (after each epoch, unless the file's
        // backup_and_restore says otherwise), deleted when it completes: a killed run goes on
        // with --resume DIR
        options.backupAndRestore(backup);
        List<Callback> all = new ArrayList<>(callbacks);
        // the history is written as each epoch ends to history.partial.csv, and becomes
        // history.csv when the run ends: a run killed half-way leaves the finished run's
        // history.csv beside its model
        Path partial = out.resolve("history.partial.csv");
        all.add(new CsvLogger(partial));
        // the file's callbacks, fresh for this run; files they write go in the run directory
        config.fit().callbacks().stream().filter(c -> !(c instanceof Callbacks.BackupAndRestoreSpec))
                .forEach(c -> all.add(c.create(out)));
        options.callbacks(all.toArray(new Callback[0]));

        try {
            String at = resume ? options.backupAndRestore().describe() : null;
            if (at != null) {
                log.accept("resuming '" + config.name() + "' from its checkpoint " + at + " ("
                        + options.backupAndRestore().dir() + ")");
            }
            log.accept(String.format(Locale.ROOT, "training '%s' on %s: %d samples, %d epochs,"
                    + " batch %d", config.name(), backend(), train.size(), epochs(),
                    config.fit().batchSize()));
            Map<String, Object> pretrained = pretrain(model,
                    pretrainData != null ? pretrainData : train, out);
            long t0 = System.nanoTime();
            History history;
            try {
                history = model.fit(train, options);
            } catch (NonFiniteLossException e) {
                commitHistory(partial);
                writeJson(out.resolve("metrics.json"), stopped(e));
                throw e;
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("name", config.name());
            metrics.put("engine", backend().userName());
            metrics.put("device", backend().device().toString());
            metrics.put("seed", model.seed());
            metrics.put("epochs", history.epochs());
            metrics.put("train_samples", train.size());
            metrics.put("train_seconds", round(seconds));
            metrics.putAll(pretrained);
            history.names().forEach(n -> metrics.put("final_" + n, round(history.last(n))));
            Map<String, Double> scores = test == null ? Map.of() : model.evaluate(test, 256);
            scores.forEach((k, v) -> metrics.put("test_" + k, round(v)));
            metrics.put("lamina_version", Lamina.VERSION);
            model.save(out.resolve("model"));
            commitHistory(partial);
            writeJson(out.resolve("metrics.json"), metrics);
            return new Result(model, out, history, metrics, scores);
        } catch (RuntimeException | IOException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Runs the model's unsupervised pretraining, if it has any ({@link
     * dev.lamina.train.Pretrainable} layers: {@code dbn}, ...), before fine-tuning: each phase
     * prints its own progress lines (through the run's callbacks) and writes its history to
     * {@code pretrain/PHASE.csv}; the layers' PNGs of samples go in {@code pretrain/} too. A
     * resumed run skips it: its checkpoint holds the weights pretraining gave. Returns the
     * figures for {@code metrics.json}: {@code pretrain_seconds} and each phase's last values.
     */
    private Map<String, Object> pretrain(Model model, Dataset data, Path out) throws IOException {
        Map<String, Object> figures = new LinkedHashMap<>();
        if (!model.hasPretraining()) {
            return figures;
        }
        if (resume) {
            log.accept("pretraining: done before the checkpoint, not run again");
            return figures;
        }
        Path dir = Files.createDirectories(out.resolve("pretrain"));
        java.util.function.Function<String, List<Callback>> perPhase = phase -> {
            List<Callback> l = new ArrayList<>(callbacks);
            l.add(new CsvLogger(dir.resolve(phase.replace('/', '-') + ".csv")));
            return l;
        };
        long t0 = System.nanoTime();
        Map<String, History> phases = model.pretrain(data, new dev.lamina.train.Pretraining(
                model.djlModel(), model.name(), model.seed(), perPhase, log, dir));
        figures.put("pretrain_seconds", round((System.nanoTime() - t0) / 1e9));
        phases.forEach((phase, h) -> h.names().forEach(n ->
                figures.put("pretrain_" + phase.replace('/', '_') + "_" + n, round(h.last(n)))));
        return figures;
    }

    /** The run directory's subdirectory holding the checkpoint of a run under way. */
    public static final String BACKUP = "backup";

    /**
     * With {@link #resume}, there must be a checkpoint to go on from; without it, there must be
     * none (a killed run's checkpoint is never overwritten by a fresh start).
     */
    private BackupAndRestore backup(Path out) {
        for (CallbackSpec c : config.fit().callbacks()) {
            if (c instanceof Callbacks.BackupAndRestoreSpec b) {
                return b.create(out);
            }
        }
        return new BackupAndRestore(out.resolve(BACKUP));
    }

    private void checkBackup(BackupAndRestore b) {
        Path backup = b.dir();
        boolean there = b.exists();
        if (resume && !there) {
            throw new IllegalArgumentException("nothing to resume: " + backup.getParent()
                    + " holds no checkpoint (" + backup.resolve(BackupAndRestore.JSON) + " is"
                    + " missing); the run finished, or never started: run it without --resume");
        }
        if (!resume && there) {
            throw new IllegalArgumentException(backup.getParent() + " holds the checkpoint of a"
                    + " run that did not finish: go on from it with --resume " + backup.getParent()
                    + ", or delete " + backup + " to start afresh");
        }
    }

    /** What a finished run gives: the trained model (close it), its directory and figures. */
    public record Result(Model model, Path directory, History history,
            Map<String, Object> metrics, Map<String, Double> testScores) implements AutoCloseable {
        /** Frees the model's native memory. */
        @Override
        public void close() {
            model.close();
        }
    }

    /**
     * Creates the run directory if needed and makes sure it can be written, before any training:
     * an existing file, or a directory without write permission, is reported now.
     */
    public static Path prepareDirectory(Path out) throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("the run directory " + out + " is a file: give a"
                    + " directory (--out DIR), or remove the file");
        }
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create the run directory " + out + " ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "): give one you can"
                    + " write to (--out DIR)", e);
        }
        Path probe = out.resolve(".lamina-write-check");
        try {
            Files.deleteIfExists(probe);
            Files.createFile(probe);
            Files.delete(probe);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write to the run directory " + out
                    + " (" + e.getClass().getSimpleName() + "): give one you can write to"
                    + " (--out DIR)", e);
        }
        return out;
    }

    private static void commitHistory(Path partial) throws IOException {
        if (Files.exists(partial)) {
            Files.move(partial, partial.resolveSibling("history.csv"),
                    StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private Map<String, Object> stopped(NonFiniteLossException e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", config.name());
        m.put("status", "stopped: non-finite loss");
        m.put("message", e.getMessage());
        m.put("epoch", e.epoch());
        m.put("batch", e.batch());
        m.put("epochs_completed", e.history().epochs());
        m.put("lamina_version", Lamina.VERSION);
        return m;
    }

    private void check(Model model, Dataset data, ConfigNode at) {
        if (data == null) {
            return;
        }
        try {
            DataChecks.check(model, model.outputShapes(), config.compile(), data, true);
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw at.error(e.getMessage());
        }
    }

    private static Dataset load(String source, ConfigNode at, ai.djl.ndarray.types.Shape fit) {
        try {
            return DataSources.load(source, null, fit);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw at.error(e.getMessage());
        }
    }

    private static void writeJson(Path file, Map<String, Object> doc) throws IOException {
        AtomicFiles.write(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsBytes(doc));
    }

    /** Six decimals; NaN and infinities stay as they are (JSON gets "NaN", not 0.0). */
    private static Object round(double v) {
        return Double.isFinite(v) ? (Object) (Math.round(v * 1e6) / 1e6) : (Object) v;
    }
}
