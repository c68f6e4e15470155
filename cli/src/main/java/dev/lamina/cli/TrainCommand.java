package dev.lamina.cli;

import dev.lamina.engine.Backend;
import dev.lamina.run.Run;
import dev.lamina.run.RunConfig;
import dev.lamina.train.History;
import dev.lamina.train.NonFiniteLossException;
import java.io.IOException;
import java.nio.file.Path;
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

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "go on from the checkpoint"
            + " a killed run of this file left in RUN_DIR (its run directory)")
    Path resume;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var stdout = spec.commandLine().getOut();
        if (dev.lamina.models.gan.GanRun.declares(runFile)) {
            return GanTraining.train(runFile, engine, device, out, epochs, resume, stdout,
                    spec.commandLine().getErr());
        }
        Run run = Run.load(runFile);
        RunConfig file = run.config();
        if (epochs != null) {
            run.epochs(epochs);
        }
        String eng = engine != null ? engine : file.engine() != null ? file.engine() : "pytorch";
        String dev = device != null ? device : file.device() != null ? file.device() : "auto";
        run.backend(Backend.of(eng, dev));
        if (out != null && resume != null && !out.equals(resume)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--out and"
                    + " --resume name different directories: a resumed run goes on in its own"
                    + " (give --resume alone)");
        }
        if (out != null) {
            run.directory(out);
        }
        if (resume != null) {
            run.directory(resume).resume(true);
        }
        run.callback(new Progress(stdout, System.console() != null));
        run.log(line -> {
            stdout.println(line);
            stdout.flush();
        });
        Path dir = run.directory();
        try (Run.Result r = run.train()) {
            curves(r.history(), file.name(), dir);
            double seconds = ((Number) r.metrics().get("train_seconds")).doubleValue();
            stdout.printf(Locale.ROOT, "run directory: %s (train %.1fs)%n", dir, seconds);
            Map<String, Double> scores = r.testScores();
            if (scores.containsKey("accuracy")) {
                stdout.printf(Locale.ROOT, "test accuracy: %.4f%n", scores.get("accuracy"));
            } else if (!scores.isEmpty()) {
                stdout.printf(Locale.ROOT, "test loss: %.4f%n", scores.get("loss"));
            }
        } catch (NonFiniteLossException e) {
            curves(e.history(), file.name(), dir);
            spec.commandLine().getErr().println("error: " + e.getMessage());
            spec.commandLine().getErr().println("run directory: " + dir + " (history so far;"
                    + " no model was saved)");
            return Main.NON_FINITE_LOSS;
        }
        return 0;
    }

    /** curves.png for the epochs that finished, if any did. */
    private static void curves(History h, String name, Path dir) throws IOException {
        if (h.epochs() > 0) {
            Plots.learningCurves(h, name, dir.resolve("curves.png"));
        }
    }
}
