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
 * Shows training progress: a progress bar per epoch on a terminal, one plain line per epoch
 * otherwise (a log file, CI).
 */
final class Progress implements Callback {
    private final PrintWriter out;
    private final boolean terminal;
    private ProgressBar bar;
    private long epochStart;

    Progress(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public void onEpochBegin(int epoch, FitContext run) {
        epochStart = System.nanoTime();
        if (terminal) {
            bar = new ProgressBarBuilder()
                    .setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, run.epochs()))
                    .setInitialMax(run.batchesPerEpoch())
                    .setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(System.out))
                    .setUpdateIntervalMillis(250)
                    .continuousUpdate()
                    .build();
        }
    }

    @Override
    public void onBatchEnd(int epoch, int batch, Map<String, Double> logs, FitContext run) {
        if (bar != null) {
            bar.step();
            bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f", logs.get("loss")));
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs, FitContext run) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        double secs = (System.nanoTime() - epochStart) / 1e9;
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d  %.1fs",
                epoch + 1, run.epochs(), secs));
        logs.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %s %.4f", k, v)));
        out.println(sb);
        out.flush();
    }

    @Override
    public void onTrainEnd(History history, FitContext run) {
        if (bar != null) {
            bar.close();
        }
    }
}
