package dev.lamina.cli;

import dev.lamina.engine.Backend;
import dev.lamina.models.gan.GanRun;
import dev.lamina.train.NonFiniteLossException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What {@code lamina train} does with a run file that declares a GAN ({@code gan:}): the same
 * options and run directory as any run, trained by {@link GanRun}, with curves.png of d_loss and
 * g_loss and the last grid of samples named at the end.
 */
final class GanTraining {
    private GanTraining() {}

    static int train(Path file, String engine, String device, Path out, Integer epochs, Path resume,
            PrintWriter stdout, PrintWriter stderr) throws IOException {
        GanRun run = GanRun.load(file);
        if (resume != null) {
            throw new IllegalArgumentException("--resume is not supported for GANs yet: run "
                    + file + " again without it");
        }
        if (epochs != null) {
            run.epochs(epochs);
        }
        run.backend(Backend.of(engine != null ? engine : run.engineName(),
                device != null ? device : run.deviceName()));
        if (out != null) {
            run.directory(out);
        }
        run.callback(new Progress(stdout, System.console() != null));
        run.log(line -> {
            stdout.println(line);
            stdout.flush();
        });
        Path dir = run.directory();
        try (GanRun.Result r = run.train()) {
            Plots.learningCurves(r.history(), run.name(), dir.resolve("curves.png"));
            stdout.printf(Locale.ROOT, "run directory: %s (train %.1fs)%n", dir,
                    ((Number) r.metrics().get("train_seconds")).doubleValue());
            stdout.printf(Locale.ROOT, "d_loss %.4f, g_loss %.4f; samples: %s%n",
                    r.history().last("d_loss"), r.history().last("g_loss"),
                    dir.resolve("samples.png"));
        } catch (NonFiniteLossException e) {
            stderr.println("error: " + e.getMessage());
            stderr.println("run directory: " + dir + " (history so far; no model was saved)");
            return Main.NON_FINITE_LOSS;
        }
        return 0;
    }
}
