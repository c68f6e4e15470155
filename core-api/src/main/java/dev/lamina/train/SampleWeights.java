package dev.lamina.train;

import ai.djl.ndarray.types.Shape;
import dev.lamina.data.Dataset;
import dev.lamina.data.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code sample_weight} and {@code class_weight} turned into the per-sample weights a
 * {@link Dataset} carries. {@code class_weight} gives each sample the weight of its class, as
 * Keras's {@code class_weight_to_sample_weights}: its label rounded to an integer, or the argmax
 * of a one-hot label; a class not named weighs 1.
 */
public final class SampleWeights {
    private SampleWeights() {}

    /**
     * Refuses a {@code class_weight} the model cannot use: a model with several outputs, or a class
     * its output does not have (a (classes) output has classes 0 to classes − 1; a (1) output, a
     * binary one, has 0 and 1).
     */
    public static void checkClassWeight(Map<Integer, Double> classWeight, String model, List<Shape> outputs) {
        if (classWeight == null) {
            return;
        }
        if (outputs.size() != 1) {
            throw new IllegalArgumentException("class_weight is only for a model with one output, model '" + model
                    + "' has " + outputs.size() + ": give sample_weight instead");
        }
        long classes = classes(outputs.get(0));
        for (int c : classWeight.keySet()) {
            if (c >= classes) {
                throw new IllegalArgumentException("class_weight names class " + c + ", but model '" + model
                        + "' has " + classes + " classes (0 to " + (classes - 1) + ", from its output of shape "
                        + outputs.get(0) + " per sample)");
            }
        }
    }

    private static long classes(Shape output) {
        long last = output.dimension() == 0 ? 1 : output.get(output.dimension() - 1);
        return Math.max(2, last);
    }

    /** {@code data} with each sample weighted by its class's weight (its first label tensor's class). */
    public static Dataset byClass(Dataset data, Map<Integer, Double> classWeight) {
        Tensor labels = data.labels().get(0);
        Shape per = labels.sampleShape();
        boolean ids = per.dimension() == 0 || (per.dimension() == 1 && per.get(0) == 1);
        boolean oneHot = per.dimension() == 1 && per.get(0) > 1;
        if (!ids && !oneHot) {
            throw new IllegalArgumentException("class_weight needs one class per sample: labels of shape (batch), "
                    + "(batch, 1) or one-hot (batch, classes), data set '" + data.name() + "' has labels of shape "
                    + per + " per sample");
        }
        float[] y = labels.data();
        int n = data.size();
        int width = ids ? 1 : (int) per.get(0);
        float[] weights = new float[n];
        for (int i = 0; i < n; i++) {
            int c;
            if (ids) {
                c = (int) Math.rint(y[i]);
            } else {
                c = 0;
                for (int k = 1; k < width; k++) {
                    if (y[i * width + k] > y[i * width + c]) {
                        c = k;
                    }
                }
            }
            weights[i] = classWeight.getOrDefault(c, 1.0).floatValue();
        }
        return data.withSampleWeights(weights);
    }
}
