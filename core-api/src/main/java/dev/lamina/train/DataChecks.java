package dev.lamina.train;

import ai.djl.ndarray.types.Shape;
import dev.lamina.data.Dataset;
import java.util.List;

/**
 * The checks a data set passes before a model trains on it, is evaluated on it or predicts for
 * it: one input tensor per model input, of the model's per-sample shape; one label tensor per
 * output, of a shape the output's loss can take.
 */
public final class DataChecks {
    private DataChecks() {}

    /**
     * Checks {@code data} against {@code model} (whose outputs have shapes {@code outs}); with
     * {@code needLabels}, checks the labels too, against {@code compiled}'s losses (may be null).
     */
    public static void check(Trainable model, List<Shape> outs, Compiled compiled, Dataset data,
            boolean needLabels) {
        String name = model.name();
        List<Shape> want = model.inputShapes();
        if (data.inputs().size() != want.size()) {
            throw new IllegalArgumentException("model '" + name + "' takes " + want.size()
                    + " input(s), data set '" + data.name() + "' has " + data.inputs().size());
        }
        for (int i = 0; i < want.size(); i++) {
            Shape got = data.inputs().get(i).sampleShape();
            if (!got.equals(want.get(i))) {
                throw new IllegalArgumentException("model '" + name + "' expects input " + i
                        + " of shape " + want.get(i) + " per sample, data set '" + data.name()
                        + "' has " + got);
            }
        }
        if (needLabels && data.labels().isEmpty()) {
            throw new IllegalArgumentException("data set '" + data.name()
                    + "' has no labels: fit and evaluate need them");
        }
        if (needLabels && data.labels().size() != outs.size()) {
            throw new IllegalArgumentException("model '" + name + "' has " + outs.size()
                    + " output(s) " + model.outputNames() + ", data set '" + data.name() + "' has "
                    + data.labels().size() + " label tensor(s): give one per output");
        }
        if (needLabels && compiled != null) {
            for (int i = 0; i < outs.size(); i++) {
                try {
                    compiled.lossFor(i).checkLabels(data.labels().get(i), outs.get(i));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("data set '" + data.name() + "'"
                            + (outs.size() > 1 ? ", output '" + model.outputNames().get(i) + "'" : "")
                            + ": " + e.getMessage(), e);
                }
            }
        }
    }
}
