package dev.lamina.train;

import dev.lamina.data.Tensor;
import dev.lamina.losses.BinaryCrossentropy;
import dev.lamina.losses.CategoricalCrossentropy;
import dev.lamina.losses.LossSpec;
import dev.lamina.losses.SoftmaxCrossEntropy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Class scores made named probabilities, as Keras's {@code decode_predictions}: the {@code top}
 * most probable classes of each sample, with their names.
 *
 * <p>Whether a model's output is logits or probabilities is what its compiled loss says: a
 * {@code softmax_cross_entropy}, {@code sparse_categorical_crossentropy}, {@code
 * categorical_crossentropy} or {@code softmax_cross_entropy_one_hot} loss with {@code
 * from_logits: true} (the default of the two {@code softmax_} ones) means logits, which are
 * turned into probabilities by a softmax; with {@code from_logits: false} the output is taken as
 * it is. A {@code binary_crossentropy} with {@code from_logits: true} means independent logits,
 * each put through a sigmoid. A model without compile settings, or with another loss, gives
 * probabilities when every row is non-negative and sums to 1 (within 0.001), and logits
 * otherwise.
 */
public final class Predictions {
    /** One class of a prediction: its index, its name, and its probability. */
    public record Label(int index, String name, double probability) {}

    /** How an output becomes probabilities. */
    public enum Kind {
        /** The output is probabilities already. */
        PROBABILITIES,
        /** Logits of exclusive classes: softmax. */
        SOFTMAX,
        /** Logits of independent classes: sigmoid. */
        SIGMOID
    }

    private Predictions() {}

    /** What {@code loss} says of its predictions; null when it does not say. */
    public static Kind kindOf(LossSpec loss) {
        if (loss instanceof SoftmaxCrossEntropy s) {
            return s.fromLogits() ? Kind.SOFTMAX : Kind.PROBABILITIES;
        }
        if (loss instanceof CategoricalCrossentropy c) {
            return c.fromLogits() ? Kind.SOFTMAX : Kind.PROBABILITIES;
        }
        if (loss instanceof BinaryCrossentropy b) {
            return b.fromLogits() ? Kind.SIGMOID : Kind.PROBABILITIES;
        }
        return null;
    }

    /**
     * The {@code top} most probable classes of each sample of {@code scores} (a model's first
     * output), most probable first; {@code names} name the classes (empty: their indices), and
     * {@code compiled} (may be null) says whether the scores are logits.
     */
    public static List<List<Label>> decode(Tensor scores, int top, List<String> names,
            Compiled compiled) {
        if (top <= 0) {
            throw new IllegalArgumentException("top must be positive, received " + top);
        }
        int k = scores.sampleSize();
        if (!names.isEmpty() && names.size() != k) {
            throw new IllegalArgumentException("the output has " + k + " classes but "
                    + names.size() + " class names were given");
        }
        Kind kind = compiled == null ? null : kindOf(compiled.lossFor(0));
        if (kind == null) {
            kind = Kind.PROBABILITIES;
            for (int i = 0; i < scores.size() && kind == Kind.PROBABILITIES; i++) {
                if (!isDistribution(scores.sample(i))) {
                    kind = Kind.SOFTMAX;
                }
            }
        }
        List<List<Label>> out = new ArrayList<>();
        for (int i = 0; i < scores.size(); i++) {
            double[] p = probabilities(scores.sample(i), kind);
            List<Label> row = new ArrayList<>();
            for (int j = 0; j < k; j++) {
                row.add(new Label(j, names.isEmpty() ? Integer.toString(j) : names.get(j), p[j]));
            }
            row.sort(Comparator.comparingDouble(Label::probability).reversed()
                    .thenComparingInt(Label::index));
            out.add(List.copyOf(row.subList(0, Math.min(top, k))));
        }
        return out;
    }

    static boolean isDistribution(float[] row) {
        double sum = 0;
        for (float v : row) {
            if (!(v >= 0)) {
                return false;
            }
            sum += v;
        }
        return Math.abs(sum - 1) <= 1e-3;
    }

    /** {@code row} as probabilities of the given kind (a stable softmax: the maximum first taken off). */
    public static double[] probabilities(float[] row, Kind kind) {
        double[] p = new double[row.length];
        switch (kind) {
            case PROBABILITIES -> {
                for (int j = 0; j < row.length; j++) {
                    p[j] = row[j];
                }
            }
            case SIGMOID -> {
                for (int j = 0; j < row.length; j++) {
                    p[j] = 1 / (1 + Math.exp(-row[j]));
                }
            }
            case SOFTMAX -> {
                double max = Double.NEGATIVE_INFINITY;
                for (float v : row) {
                    max = Math.max(max, v);
                }
                double sum = 0;
                for (int j = 0; j < row.length; j++) {
                    p[j] = Math.exp(row[j] - max);
                    sum += p[j];
                }
                for (int j = 0; j < row.length; j++) {
                    p[j] /= sum;
                }
            }
        }
        return p;
    }
}
