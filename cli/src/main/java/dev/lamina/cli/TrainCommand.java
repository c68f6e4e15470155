package dev.lamina.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lamina.Lamina;
import dev.lamina.Model;
import dev.lamina.data.Dataset;
import dev.lamina.engine.Backend;
import dev.lamina.run.RunConfig;
import dev.lamina.train.Callback;
import dev.lamina.train.CsvLogger;
import dev.lamina.train.EarlyStopping;
import dev.lamina.train.FitOptions;
import dev.lamina.train.History;
import dev.lamina.train.NonFiniteLossException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lamina train RUN.yaml}: trains, evaluates on the test set and writes the run directory. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train the model a YAML run file describes, evaluate it on the test data,",
            "and write the run directory: model/, history.csv, metrics.json, curves.png."})
final class TrainCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN.yaml", description = "the run file")
    Path runFile;

    @Option(names = "--engine", paramLabel = "pytorch|mxnet",
            description = "engine (overrides the file's engine:; default pytorch)")
    String engine;

    @Option(names = "--device", paramLabel = "cpu|gpu|gpu:N|auto",
            description = "device (default auto: a GPU when the engine sees one)")
    String device;

    @Option(names = "--out", paramLabel = "DIR", description = "run directory (default runs/NAME)")
    Path out;

    @Option(names = "--epochs", paramLabel = "N", description = "epochs (overrides fit.epochs)")
    Integer epochs;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var stdout = spec.commandLine().getOut();
        RunConfig run = RunConfig.read(runFile);
        if (epochs != null && epochs <= 0) {
            throw new IllegalArgumentException("--epochs must be positive, received " + epochs);
        }
        String eng = engine != null ? engine : run.engine() != null ? run.engine() : "pytorch";
        String dev = device != null ? device : run.device() != null ? run.device() : "auto";
        Backend backend = Backend.of(eng, dev);
        Path dir = out != null ? out : Path.of("runs", run.name());
        Files.createDirectories(dir);

        Dataset train = Sources.load(run.data().train(), run.data().trainNode());
        Dataset test = run.data().test() == null ? null
                : Sources.load(run.data().test(), run.data().testNode());
        Dataset validation = run.data().validation() == null ? null
                : Sources.load(run.data().validation(), run.data().validationNode());
        if (run.data().limit() != null) {
            train = train.limit(run.data().limit());
        }
        int nEpochs = epochs != null ? epochs : run.fit().epochs();
        FitOptions options = FitOptions.defaults().epochs(nEpochs)
                .batchSize(run.fit().batchSize()).shuffle(run.fit().shuffle());
        if (validation != null) {
            options.validationData(validation);
        } else if (run.data().validationSplit() > 0) {
            options.validationSplit(run.data().validationSplit());
        }
        List<Callback> callbacks = new ArrayList<>();
        callbacks.add(new Progress(stdout, System.console() != null));
        callbacks.add(new CsvLogger(dir.resolve("history.csv")));
        if (run.fit().monitor() != null) {
            callbacks.add(new EarlyStopping(run.fit().monitor(), run.fit().patience()));
        }
        options.callbacks(callbacks.toArray(new Callback[0]));

        try (Model model = run.model()) {
            model.backend(backend);
            stdout.printf(Locale.ROOT, "training '%s' on %s: %d samples, %d epochs, batch %d%n",
                    run.name(), backend, train.size(), nEpochs, run.fit().batchSize());
            long t0 = System.nanoTime();
            History history;
            try {
                history = model.fit(train, options);
            } catch (NonFiniteLossException e) {
                stopped(e, run.name(), dir);
                spec.commandLine().getErr().println("error: " + e.getMessage());
                spec.commandLine().getErr().println("run directory: " + dir + " (history so far;"
                        + " no model was saved)");
                return Main.NON_FINITE_LOSS;
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("name", run.name());
            metrics.put("engine", backend.userName());
            metrics.put("device", backend.device().toString());
            metrics.put("seed", model.seed());
            metrics.put("epochs", history.epochs());
            metrics.put("train_samples", train.size());
            metrics.put("train_seconds", round(seconds));
            history.names().forEach(n -> metrics.put("final_" + n, round(history.last(n))));
            Map<String, Double> scores = test == null ? Map.of() : model.evaluate(test, 256);
            scores.forEach((k, v) -> metrics.put("test_" + k, round(v)));
            metrics.put("lamina_version", Lamina.VERSION);
            model.save(dir.resolve("model"));
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(dir.resolve("metrics.json").toFile(), metrics);
            if (history.epochs() > 0) {
                Plots.learningCurves(history, run.name(), dir.resolve("curves.png"));
            }
            stdout.printf(Locale.ROOT, "run directory: %s (train %.1fs)%n", dir, seconds);
            if (scores.containsKey("accuracy")) {
                stdout.printf(Locale.ROOT, "test accuracy: %.4f%n", scores.get("accuracy"));
            } else if (!scores.isEmpty()) {
                stdout.printf(Locale.ROOT, "test loss: %.4f%n", scores.get("loss"));
            }
        }
        return 0;
    }

    /**
     * After a non-finite loss: metrics.json says the run stopped and why, with no final or test
     * figures, and curves.png shows the epochs that finished.
     */
    private static void stopped(NonFiniteLossException e, String name, Path dir)
            throws IOException {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("name", name);
        metrics.put("status", "stopped: non-finite loss");
        metrics.put("message", e.getMessage());
        metrics.put("epoch", e.epoch());
        metrics.put("batch", e.batch());
        metrics.put("epochs_completed", e.history().epochs());
        metrics.put("lamina_version", Lamina.VERSION);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(dir.resolve("metrics.json").toFile(), metrics);
        if (e.history().epochs() > 0) {
            Plots.learningCurves(e.history(), name, dir.resolve("curves.png"));
        }
    }

    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
