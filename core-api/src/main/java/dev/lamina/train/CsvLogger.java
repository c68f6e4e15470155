package dev.lamina.train;

import dev.lamina.spec.SpecException;
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
 * crashed or stopped run keeps what it learned. As Keras's {@code CSVLogger} ({@code filename},
 * {@code separator}, default {@code ,}; {@code append}, default false: the file is replaced when
 * training starts; with true, rows are added to it, with a header only if it is empty). Unlike
 * Keras, epochs are numbered from 1, as the progress output shows them, and the columns keep the
 * order the History has (Keras sorts them).
 */
public final class CsvLogger implements Callback {
    /** The name in run files. */
    public static final String TYPE = "csv_logger";

    private final Path file;
    private final String separator;
    private final boolean append;
    private List<String> columns;
    private boolean header;

    /** Logs to {@code file} (replaced at the start of training), separated by commas. */
    public CsvLogger(Path file) {
        this(file, ",", false);
    }

    /**
     * Logs to {@code file} with {@code separator} between fields; with {@code append}, adds to the
     * file instead of replacing it.
     */
    public CsvLogger(Path file, String separator, boolean append) {
        if (file == null) {
            throw new SpecException(TYPE, "filename", "expected a file name, such as log.csv");
        }
        if (separator == null || separator.isEmpty() || separator.contains("\n")
                || separator.contains("\"")) {
            throw new SpecException(TYPE, "separator", "expected a separator such as ',' or ';',"
                    + " received separator='" + separator + "'");
        }
        this.file = file;
        this.separator = separator;
        this.append = append;
    }

    /** The file written. */
    public Path file() {
        return file;
    }

    public String separator() {
        return separator;
    }

    public boolean append() {
        return append;
    }

    @Override
    public void onTrainBegin(FitContext run) {
        columns = null;
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            if (append) {
                header = !Files.exists(file) || Files.size(file) == 0;
            } else {
                Files.deleteIfExists(file);
                header = true;
            }
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
            if (header) {
                sb.append("epoch").append(separator).append(String.join(separator, columns))
                        .append('\n');
            }
        }
        sb.append(epoch + 1);
        for (String c : columns) {
            Double v = logs.get(c);
            sb.append(separator).append(v == null ? "" : String.format(Locale.ROOT, "%.6g", v));
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
