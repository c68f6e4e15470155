package dev.lamina.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.lamina.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Compares two ways of running one model's forward pass: their outputs and the gradients they
 * give every parameter. Integer data and weights make windows tie and sums cancel to zero.
 */
public final class ForwardComparison {
    private ForwardComparison() {}

    /** Small integers, many of them equal, zero or negative. */
    public static float[] integers(long n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(5) - 2;
        }
        return v;
    }

    /** Sets every parameter of {@code m} (built) to small integers. */
    public static void integerWeights(Model m) {
        long seed = 1;
        for (Pair<String, Parameter> p : m.block().getParameters()) {
            NDArray a = p.getValue().getArray();
            a.set(integers(a.size(), seed++));
        }
    }

    /**
     * Runs {@code forward} under a gradient collector and returns its output (first) and then
     * each parameter's gradient, clearing them. The loss weights each output differently, so
     * that a gradient sent to the wrong element shows.
     */
    public static List<float[]> outputAndGradients(Model m, NDManager mm,
            Function<ParameterStore, NDArray> forward) {
        List<float[]> out = new ArrayList<>();
        try (GradientCollector gc = mm.getEngine().newGradientCollector()) {
            NDArray y = forward.apply(new ParameterStore(mm, false));
            out.add(y.toFloatArray());
            NDArray weights = y.getManager().arange((float) y.size()).reshape(y.getShape()).sub(3f);
            gc.backward(y.mul(weights).sum());
        }
        for (Pair<String, Parameter> p : m.block().getParameters()) {
            NDArray g = p.getValue().getArray().getGradient();
            out.add(g.toFloatArray());
            g.subi(g);
        }
        return out;
    }

    /** Both lists from {@link #outputAndGradients}, equal element by element as numbers. */
    public static void assertSame(List<float[]> want, List<float[]> got) {
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) {
            assertSameNumbers(want.get(i), got.get(i), i == 0 ? "output" : "gradient of parameter " + i);
        }
    }

    /** Equal as numbers: a zero equals a zero of the other sign, a NaN equals a NaN. */
    public static void assertSameNumbers(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            boolean same = want[i] == got[i] || Float.isNaN(want[i]) && Float.isNaN(got[i]);
            assertTrue(same, what + " [" + i + "]: " + want[i] + " one way, " + got[i] + " the other");
        }
    }
}
