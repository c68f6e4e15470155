package dev.lamina.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes one CSV row per epoch as each epoch ends ({@code epoch,loss,accuracy,val_loss,...}), so a
 * crashed or stopped run keeps what it learned. As Keras's {@code CSVLogger}.
 */
public final class CsvLogger implements Callback {
    private final Path file;
    private List<String> columns;

    /** Logs to {@code file} (replaced at the start of training). */
    public CsvLogger(Path file) {
        this.file = file;
    }

    @Override
    public void onTrainBegin(FitContext run) {
        columns = null;
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** A resumed run: the file gets the rows of the epochs the checkpoint holds again. */
    @Override
    public void restore(Snapshot state, FitContext run) {
        History h = run.history();
        for (int i = 0; i < h.epochs(); i++) {
            onEpochEnd(i, h.epoch(i), run);
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs, FitContext run) {
        StringBuilder sb = new StringBuilder();
        if (columns == null) {
            columns = new ArrayList<>(logs.keySet());
            sb.append("epoch,").append(String.join(",", columns)).append('\n');
        }
        sb.append(epoch + 1);
        for (String c : columns) {
            Double v = logs.get(c);
            sb.append(',').append(v == null ? "" : String.format(Locale.ROOT, "%.6g", v));
        }
        sb.append('\n');
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            w.write(sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
