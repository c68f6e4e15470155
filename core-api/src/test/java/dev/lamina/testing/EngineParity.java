package dev.lamina.testing;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.LayerSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Runs one layer on PyTorch and on MXNet with the same weights and the same input, and says where
 * the two disagree.
 *
 * <p>Every number comes from {@link java.util.Random} (the engines' generators draw different
 * streams from one seed): the input, each parameter in order (copied by name), and a fixed
 * direction {@code r}. Each engine computes {@code y = block(x)} and the gradients of
 * {@code sum(y·r)} with respect to {@code x} and every trainable parameter; the outputs, the
 * gradients and the parameters after the step (moving statistics move in training) must agree
 * within {@code atol + rtol·|value|}.
 *
 * <pre>{@code
 * EngineParity.assertSame(new Conv2d(...), new Shape(3, 7, 7));
 * EngineParity.with().training(true).check(new BatchNorm(), new Shape(4, 5, 5)).assertOk();
 * }</pre>
 *
 * <p>{@link #gradientCheck} compares the engine's gradients with central differences, in float64.
 */
public final class EngineParity {
    /** The engines compared. */
    public static final List<String> ENGINES = List.of("PyTorch", "MXNet");

    private long seed = 42;
    private boolean training;
    private DataType dtype = DataType.FLOAT32;
    private long batch = 2;
    private double atol = 1e-5;
    private double rtol = 1e-5;
    private double inputScale = 1;

    private EngineParity() {}

    /** Default settings: seed 42, inference, float32, batch 2, tolerance 1e-5 abs + 1e-5 rel. */
    public static EngineParity with() {
        return new EngineParity();
    }

    /** The seed of the Java generator that draws input, weights and {@code r}. */
    public EngineParity seed(long s) {
        this.seed = s;
        return this;
    }

    /** Forward in training mode (dropout, batch statistics). */
    public EngineParity training(boolean t) {
        this.training = t;
        return this;
    }

    /** The data type of input and weights. */
    public EngineParity dtype(DataType d) {
        this.dtype = d;
        return this;
    }

    /** The batch size prepended to the per-sample shape. */
    public EngineParity batch(long b) {
        this.batch = b;
        return this;
    }

    /** Absolute and relative tolerance. */
    public EngineParity tolerance(double abs, double rel) {
        this.atol = abs;
        this.rtol = rel;
        return this;
    }

    /** Inputs are drawn from U(−scale, scale). */
    public EngineParity inputScale(double s) {
        this.inputScale = s;
        return this;
    }

    /** Shorthand: default settings, fails with the list of mismatches. */
    public static void assertSame(LayerSpec spec, Shape sample) {
        with().check(spec, sample).assertOk();
    }

    /** Shorthand in training mode. */
    public static void assertSameTraining(LayerSpec spec, Shape sample) {
        with().training(true).check(spec, sample).assertOk();
    }

    /** What one engine computed. */
    public record Run(String engine, Shape outputShape, double[] output, double[] inputGradient,
            Map<String, Shape> parameterShapes, Map<String, double[]> parameterGradients,
            Map<String, double[]> parametersAfter) {}

    /** The two runs and their disagreements (empty when they agree). */
    public record Report(Run first, Run second, List<String> mismatches) {
        /** True when the engines agree. */
        public boolean ok() {
            return mismatches.isEmpty();
        }

        /** Throws an {@link AssertionError} listing every mismatch. */
        public Report assertOk() {
            if (!ok()) {
                throw new AssertionError(first.engine() + " and " + second.engine()
                        + " disagree:\n  " + String.join("\n  ", mismatches));
            }
            return this;
        }
    }

    /** Runs {@code spec} on both engines with a per-sample input of shape {@code sample}. */
    public Report check(LayerSpec spec, Shape sample) {
        Run a = run(ENGINES.get(0), spec, sample);
        Run b = run(ENGINES.get(1), spec, sample);
        List<String> bad = new ArrayList<>();
        Shape expected = prepend(batch, spec.outputShape(sample));
        for (Run r : List.of(a, b)) {
            if (!r.outputShape().equals(expected)) {
                bad.add(r.engine() + " output shape " + r.outputShape() + " but outputShape() says "
                        + expected);
            }
        }
        if (!a.parameterShapes().equals(b.parameterShapes())) {
            bad.add("parameters differ: " + a.engine() + " " + a.parameterShapes() + ", "
                    + b.engine() + " " + b.parameterShapes());
            return new Report(a, b, bad);
        }
        compare("output", a.output(), b.output(), bad);
        compare("input gradient", a.inputGradient(), b.inputGradient(), bad);
        for (String name : a.parameterGradients().keySet()) {
            compare("gradient of " + name, a.parameterGradients().get(name),
                    b.parameterGradients().get(name), bad);
        }
        if (!a.parameterGradients().keySet().equals(b.parameterGradients().keySet())) {
            bad.add("trainable parameters differ: " + a.parameterGradients().keySet() + " vs "
                    + b.parameterGradients().keySet());
        }
        for (String name : a.parametersAfter().keySet()) {
            compare("value after forward of " + name, a.parametersAfter().get(name),
                    b.parametersAfter().get(name), bad);
        }
        return new Report(a, b, bad);
    }

    private void compare(String what, double[] x, double[] y, List<String> bad) {
        if (x == null || y == null) {
            if (x != y) {
                bad.add(what + ": present on one engine only");
            }
            return;
        }
        if (x.length != y.length) {
            bad.add(what + ": " + x.length + " vs " + y.length + " values");
            return;
        }
        double worst = 0;
        int at = -1;
        boolean fail = false;
        for (int i = 0; i < x.length; i++) {
            double d = Math.abs(x[i] - y[i]);
            boolean nanMismatch = Double.isNaN(x[i]) != Double.isNaN(y[i]);
            if (nanMismatch || d > atol + rtol * Math.abs(y[i])) {
                fail = true;
            }
            if (nanMismatch || d > worst) {
                worst = nanMismatch ? Double.NaN : d;
                at = i;
                if (nanMismatch) {
                    break;
                }
            }
        }
        if (fail) {
            bad.add(String.format("%s: max difference %.3g at index %d (%s vs %s)", what, worst, at,
                    x[at], y[at]));
        }
    }

    /** Runs {@code spec} on one engine: forward, backward of {@code sum(y·r)}, all in Java numbers. */
    public Run run(String engine, LayerSpec spec, Shape sample) {
        Random rnd = new Random(seed);
        Shape in = prepend(batch, sample);
        try (NDManager m = Engine.getEngine(engine).newBaseManager(ai.djl.Device.cpu())) {
            Block block = spec.toBlock(BuildContext.seeded(seed), sample);
            block.initialize(m, dtype, in);
            Map<String, Shape> shapes = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                Parameter param = p.getValue();
                NDArray arr = param.getArray();
                shapes.put(p.getKey(), arr.getShape());
                arr.set(toType(draw(rnd, arr.getShape().size(), p.getKey()), dtype));
            }
            NDArray x = m.create(toType(uniform(rnd, in.size(), inputScale), dtype), in);
            x.setRequiresGradient(true);
            Map<String, double[]> grads = new LinkedHashMap<>();
            Map<String, double[]> after = new LinkedHashMap<>();
            double[] out;
            double[] inGrad;
            Shape outShape;
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray y = block.forward(new ParameterStore(m, false), new NDList(x), training)
                        .singletonOrThrow();
                outShape = y.getShape();
                NDArray r = m.create(toType(uniform(rnd, outShape.size(), 1), dtype), outShape);
                gc.backward(y.mul(r).sum());
                out = y.toType(DataType.FLOAT64, false).toDoubleArray();
            }
            inGrad = x.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray arr = p.getValue().getArray();
                if (p.getValue().requiresGradient()) {
                    grads.put(p.getKey(),
                            arr.getGradient().toType(DataType.FLOAT64, false).toDoubleArray());
                }
                after.put(p.getKey(), arr.toType(DataType.FLOAT64, false).toDoubleArray());
            }
            return new Run(engine, outShape, out, inGrad, shapes, grads, after);
        }
    }

    /**
     * Values for a parameter: U(−1, 1), except variances (names ending in {@code variance}) which
     * must be positive: U(0.5, 1.5).
     */
    static double[] draw(Random rnd, long n, String name) {
        double[] v = new double[Math.toIntExact(n)];
        boolean positive = name.endsWith("variance");
        for (int i = 0; i < v.length; i++) {
            v[i] = positive ? 0.5 + rnd.nextDouble() : rnd.nextDouble() * 2 - 1;
        }
        return v;
    }

    static double[] uniform(Random rnd, long n, double scale) {
        double[] v = new double[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (rnd.nextDouble() * 2 - 1) * scale;
        }
        return v;
    }

    /** Rounds to float when the run is float32, so both engines see the same numbers. */
    private static java.nio.Buffer toType(double[] v, DataType dtype) {
        if (dtype == DataType.FLOAT64) {
            return java.nio.DoubleBuffer.wrap(v);
        }
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return java.nio.FloatBuffer.wrap(f);
    }

    static Shape prepend(long b, Shape s) {
        long[] d = new long[s.dimension() + 1];
        d[0] = b;
        System.arraycopy(s.getShape(), 0, d, 1, s.dimension());
        return new Shape(d);
    }

    // ---------------------------------------------------------------- finite differences

    /**
     * Compares one engine's gradients of {@code sum(y·r)} (input and every trainable parameter)
     * with
     * central differences in float64, at up to {@code samples} elements of each tensor. Returns the
     * mismatches (relative error above {@code tol}); empty when all agree.
     */
    public List<String> gradientCheck(String engine, LayerSpec spec, Shape sample, int samples,
            double tol) {
        List<String> bad = new ArrayList<>();
        Random rnd = new Random(seed);
        Shape in = prepend(batch, sample);
        try (NDManager m = Engine.getEngine(engine).newBaseManager(ai.djl.Device.cpu())) {
            Block block = spec.toBlock(BuildContext.seeded(seed), sample);
            block.initialize(m, DataType.FLOAT64, in);
            List<Pair<String, Parameter>> params = new ArrayList<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray arr = p.getValue().getArray();
                arr.set(draw(rnd, arr.getShape().size(), p.getKey()));
                params.add(p);
            }
            double[] x0 = uniform(rnd, in.size(), inputScale);
            Shape outShape = block.getOutputShapes(new Shape[] {in})[0];
            double[] r = uniform(rnd, outShape.size(), 1);
            NDArray x = m.create(x0, in);
            x.setRequiresGradient(true);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray y = block.forward(new ParameterStore(m, false), new NDList(x), training)
                        .singletonOrThrow();
                gc.backward(y.mul(m.create(r, y.getShape())).sum());
            }
            Map<String, double[]> analytic = new LinkedHashMap<>();
            analytic.put("input", x.getGradient().toDoubleArray());
            for (Pair<String, Parameter> p : params) {
                if (p.getValue().requiresGradient()) {
                    analytic.put(p.getKey(), p.getValue().getArray().getGradient().toDoubleArray());
                }
            }
            double h = 1e-6;
            for (Map.Entry<String, double[]> e : analytic.entrySet()) {
                boolean isInput = e.getKey().equals("input");
                NDArray target = isInput ? null : find(params, e.getKey()).getArray();
                double[] base = isInput ? x0.clone() : target.toDoubleArray();
                double[] g = e.getValue();
                int step = Math.max(1, base.length / samples);
                double worst = 0;
                int worstAt = -1;
                double worstNum = 0;
                for (int i = 0; i < base.length; i += step) {
                    double keep = base[i];
                    base[i] = keep + h;
                    double fPlus = value(m, block, isInput ? base : x0, in, r, target,
                            isInput ? null : base);
                    base[i] = keep - h;
                    double fMinus = value(m, block, isInput ? base : x0, in, r, target,
                            isInput ? null : base);
                    base[i] = keep;
                    double num = (fPlus - fMinus) / (2 * h);
                    double err = Math.abs(num - g[i]) / Math.max(1e-3, Math.abs(num) + Math.abs(g[i]));
                    if (err > worst) {
                        worst = err;
                        worstAt = i;
                        worstNum = num;
                    }
                }
                if (!isInput) {
                    target.set(base);
                }
                if (worst > tol) {
                    bad.add(String.format("%s on %s: gradient of %s at %d is %s, central difference %s"
                            + " (relative error %.3g)", spec.type(), engine, e.getKey(), worstAt,
                            g[worstAt], worstNum, worst));
                }
            }
        }
        return bad;
    }

    private static Parameter find(List<Pair<String, Parameter>> params, String name) {
        for (Pair<String, Parameter> p : params) {
            if (p.getKey().equals(name)) {
                return p.getValue();
            }
        }
        throw new IllegalArgumentException(name);
    }

    private double value(NDManager m, Block block, double[] x, Shape in, double[] r, NDArray target,
            double[] targetValues) {
        if (target != null) {
            target.set(targetValues);
        }
        try (NDManager sub = m.newSubManager()) {
            NDArray y = block.forward(new ParameterStore(sub, false), new NDList(sub.create(x, in)),
                    training).singletonOrThrow();
            double[] out = y.toDoubleArray();
            double s = 0;
            for (int i = 0; i < out.length; i++) {
                s += out[i] * r[i];
            }
            return s;
        }
    }
}
