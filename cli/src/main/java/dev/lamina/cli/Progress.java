package dev.lamina.cli;

import dev.lamina.train.Callback;
import dev.lamina.train.FitContext;
import dev.lamina.train.History;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows training progress as Keras does: {@code Epoch 3/10} as each epoch starts; on a terminal a
 * progress bar through the epoch with the elapsed time, the ETA, the running loss and metrics and
 * the learning rate; then, on a terminal or not (a log file, CI), Keras's line for the epoch:
 * {@code 84/84 - 3s - 37ms/step - loss: 0.5123 - accuracy: 0.8125 - val_loss: ... -
 * learning_rate: 0.0010}. Numbers are written as Keras writes them: 4 decimals, or 4 significant
 * digits in scientific form when at most 1e-3. A run a callback stopped ends with Keras's
 * {@code Epoch 5: early stopping}.
 */
final class Progress implements Callback {
    private final PrintWriter out;
    private final boolean terminal;
    private ProgressBar bar;
    private long epochStart;
    private int batches;

    Progress(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public void onEpochBegin(int epoch, FitContext run) {
        epochStart = System.nanoTime();
        batches = 0;
        out.printf(Locale.ROOT, "Epoch %d/%d%n", epoch + 1, run.epochs());
        out.flush();
        if (terminal) {
            bar = new ProgressBarBuilder()
                    .setTaskName(String.format(Locale.ROOT, "%d/%d", epoch + 1, run.epochs()))
                    .setInitialMax(run.batchesPerEpoch())
                    .setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(System.out))
                    .setUpdateIntervalMillis(250)
                    .continuousUpdate()
                    .build(); // shows the elapsed time and the ETA
        }
    }

    /** How often the bar's running figures are read back and redrawn. */
    private static final long REFRESH_NANOS = 250_000_000L;
    private long lastRefresh;

    @Override
    public void onBatchEnd(int epoch, int batch, Map<String, Double> logs, FitContext run) {
        batches = batch + 1;
        if (bar != null) {
            bar.step();
            long now = System.nanoTime();
            if (now - lastRefresh < REFRESH_NANOS) { // logs are read from the engine: 4 times a second
                return;
            }
            lastRefresh = now;
            StringBuilder sb = new StringBuilder();
            logs.forEach((k, v) -> sb.append(" - ").append(k).append(": ").append(number(v)));
            double lr = run.learningRate();
            if (!Double.isNaN(lr)) {
                sb.append(" - learning_rate: ").append(number(lr));
            }
            bar.setExtraMessage(sb.toString());
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs, FitContext run) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        out.println(epochLine(batches, (System.nanoTime() - epochStart) / 1e9, logs));
        out.flush();
    }

    @Override
    public void onTrainEnd(History history, FitContext run) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        if (run.stopRequested() && history.epochs() > 0) {
            out.printf(Locale.ROOT, "Epoch %d: early stopping%n", history.epochs());
            out.flush();
        }
    }

    /** Keras's end-of-epoch line: steps, time, time per step, then every log. */
    static String epochLine(int steps, double seconds, Map<String, Double> logs) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%d/%d - %ds - %dms/step",
                steps, steps, Math.round(seconds), steps == 0 ? 0 : Math.round(seconds * 1000 / steps)));
        logs.forEach((k, v) -> sb.append(" - ").append(k).append(": ").append(number(v)));
        return sb.toString();
    }

    /** As Keras's progress bar: 4 decimals, or scientific form when at most 1e-3. */
    static String number(double v) {
        return Math.abs(v) > 1e-3 || Double.isNaN(v)
                ? String.format(Locale.ROOT, "%.4f", v)
                : String.format(Locale.ROOT, "%.4e", v);
    }
}
