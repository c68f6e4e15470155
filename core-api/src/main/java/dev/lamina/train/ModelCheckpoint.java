package dev.lamina.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keras's {@code ModelCheckpoint}: saves the model (a directory, as {@code model.save} writes it,
 * each save atomic) after every epoch or every {@code save_freq} batches, to {@code filepath},
 * whose fields in braces are filled as Keras fills them: {@code {epoch}} (from 1), and any logged
 * value, with Python's format specs {@code d} and {@code f}:
 * {@code runs/ckpt/{epoch:02d}-{val_loss:.3f}}. With {@code save_best_only} a save happens only
 * when {@code monitor} improves on the best so far (and on {@code initial_value_threshold}), and a
 * filepath without fields holds the best model.
 */
public final class ModelCheckpoint implements Callback {
    static final String TYPE = "model_checkpoint";

    private static final Pattern FIELD = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)(?::([0-9]*)(?:\\.([0-9]+))?([df]))?}");

    private final String filepath;
    private final Monitor monitor;
    private final boolean saveBestOnly;
    private final int saveFreq;
    private final Double initialValueThreshold;
    private double best;
    private int batches;

    /**
     * Full form, Keras's settings: {@code mode} auto, min or max; {@code saveFreq} 0 for every
     * epoch (Keras's {@code "epoch"}), else a number of batches; {@code initialValueThreshold}
     * null for none.
     */
    public ModelCheckpoint(String filepath, String monitor, boolean saveBestOnly, String mode,
            int saveFreq, Double initialValueThreshold) {
        if (filepath == null || filepath.isBlank()) {
            throw new IllegalArgumentException("model_checkpoint needs a filepath, such as"
                    + " runs/ckpt/{epoch:02d}-{val_loss:.3f}");
        }
        if (saveFreq < 0) {
            throw new IllegalArgumentException("model_checkpoint: save_freq must be 'epoch' or a"
                    + " positive number of batches, received save_freq=" + saveFreq);
        }
        Matcher m = Pattern.compile("\\{[^}]*}").matcher(filepath);
        while (m.find()) {
            if (!FIELD.matcher(m.group()).matches()) {
                throw new IllegalArgumentException("model_checkpoint: filepath field " + m.group()
                        + " is not {name}, {name:02d} or {name:.3f}");
            }
        }
        this.filepath = filepath;
        this.monitor = new Monitor(TYPE, monitor == null ? "val_loss" : monitor, mode, 0);
        this.saveBestOnly = saveBestOnly;
        this.saveFreq = saveFreq;
        this.initialValueThreshold = initialValueThreshold;
    }

    /** A save after every epoch to {@code filepath}, Keras's defaults. */
    public ModelCheckpoint(String filepath) {
        this(filepath, "val_loss", false, "auto", 0, null);
    }

    @Override
    public void onTrainBegin(FitContext run) {
        best = initialValueThreshold != null ? initialValueThreshold
                : monitor.lower() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        batches = 0;
    }

    @Override
    public void onBatchEnd(int epoch, int batch, Map<String, Double> logs, FitContext run) {
        if (saveFreq > 0 && ++batches % saveFreq == 0) {
            Map<String, Double> l = new LinkedHashMap<>(logs);
            l.put("batch", (double) batch + 1);
            consider(epoch, l, run);
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs, FitContext run) {
        if (saveFreq == 0) {
            consider(epoch, logs, run);
        }
    }

    private void consider(int epoch, Map<String, Double> logs, FitContext run) {
        if (saveBestOnly) {
            double v = monitor.value(logs);
            if (!monitor.improves(v, best)) {
                return;
            }
            best = v;
        }
        Path target = Path.of(format(filepath, epoch + 1, logs));
        try {
            run.model().save(target);
        } catch (IOException e) {
            throw new UncheckedIOException("model_checkpoint could not save to " + target + ": "
                    + e.getMessage(), e);
        }
    }

    /** Fills {@code {epoch}} and logged values into {@code pattern}, as Python's format does. */
    static String format(String pattern, int epoch, Map<String, Double> logs) {
        Matcher m = FIELD.matcher(pattern);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            Double v = name.equals("epoch") ? Double.valueOf(epoch) : logs.get(name);
            if (v == null) {
                throw new IllegalArgumentException("model_checkpoint: filepath names {" + name
                        + "}, which this run does not report; it reports epoch and "
                        + logs.keySet());
            }
            String type = m.group(4);
            String text;
            if (type == null) {
                text = name.equals("epoch") || name.equals("batch") ? Long.toString(Math.round(v))
                        : Double.toString(v);
            } else if (type.equals("d")) {
                String width = m.group(2) == null ? "" : m.group(2);
                text = String.format(Locale.ROOT, "%" + width + "d", Math.round(v));
            } else {
                String width = m.group(2) == null ? "" : m.group(2);
                String prec = m.group(3) == null ? "6" : m.group(3);
                text = String.format(Locale.ROOT, "%" + width + "." + prec + "f", v);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(text));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The best monitored value, carried through a checkpoint. */
    @Override
    public Snapshot snapshot(ai.djl.ndarray.NDManager manager) {
        return Snapshot.of(Map.of("best", Double.isInfinite(best) ? (best > 0 ? "inf" : "-inf")
                : best, "batches", batches));
    }

    @Override
    public void restore(Snapshot state, FitContext run) {
        Object b = state.values().get("best");
        best = b instanceof Number n ? n.doubleValue()
                : "inf".equals(b) ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        batches = (int) state.number("batches", 0);
    }
}
