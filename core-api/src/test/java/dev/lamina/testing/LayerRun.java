package dev.lamina.testing;

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

/**
 * One layer on one engine with weights a person chose, for tests against hand computations.
 *
 * <pre>{@code
 * try (LayerRun r = LayerRun.of("PyTorch", new Conv2d(1, 2), new Shape(1, 3, 3), 1)) {
 *     r.set("core_weight", 1, 0, 0, 1).set("core_bias", 0.5f);
 *     float[] y = r.forward(false, 1, 2, 3, 4, 5, 6, 7, 8, 9);
 * }
 * }</pre>
 */
public final class LayerRun implements AutoCloseable {
    private final NDManager manager;
    private final Block block;
    private final Shape batchShape;
    private final List<Shape> batchShapes;
    private Shape lastShape;

    private LayerRun(NDManager manager, Block block, List<Shape> batchShapes) {
        this.manager = manager;
        this.block = block;
        this.batchShape = batchShapes.get(0);
        this.batchShapes = batchShapes;
    }

    /** Builds and initialises {@code spec} (seed 1) for inputs of per-sample shapes {@code samples}. */
    public static LayerRun of(String engine, LayerSpec spec, List<Shape> samples, long batch) {
        NDManager m = TestEngines.manager(engine);
        Block b = spec.toBlock(BuildContext.seeded(1), samples);
        List<Shape> in = new ArrayList<>();
        samples.forEach(s -> in.add(EngineParity.prepend(batch, s)));
        b.initialize(m, DataType.FLOAT32, in.toArray(Shape[]::new));
        return new LayerRun(m, b, in);
    }

    /**
     * Runs a forward pass on several inputs, one array per input the block was made for and, if
     * one more is given, a (batch, time) mask over time steps; returns every output.
     */
    public List<float[]> forwardAll(boolean training, float[]... inputs) {
        NDList in = new NDList();
        for (int i = 0; i < inputs.length; i++) {
            Shape s = i < batchShapes.size() ? batchShapes.get(i)
                    : new Shape(batchShape.get(0), batchShape.get(1));
            in.add(manager.create(inputs[i], s));
        }
        List<float[]> out = new ArrayList<>();
        if (training) {
            try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                block.forward(new ParameterStore(manager, false), in, true)
                        .forEach(y -> out.add(y.toFloatArray()));
            }
        } else {
            block.forward(new ParameterStore(manager, false), in, false)
                    .forEach(y -> out.add(y.toFloatArray()));
        }
        return out;
    }

    /** The output shapes the block declares for its inputs (with batch). */
    public List<Shape> outputShapes() {
        return List.of(block.getOutputShapes(batchShapes.toArray(Shape[]::new)));
    }

    /** Builds and initialises {@code spec} (seed 1) for a batch of {@code batch} samples. */
    public static LayerRun of(String engine, LayerSpec spec, Shape sample, long batch) {
        NDManager m = TestEngines.manager(engine);
        Block b = spec.toBlock(BuildContext.seeded(1), sample);
        Shape in = EngineParity.prepend(batch, sample);
        b.initialize(m, DataType.FLOAT32, in);
        return new LayerRun(m, b, List.of(in));
    }

    /** The block. */
    public Block block() {
        return block;
    }

    /** Parameter names to shapes, in order. */
    public Map<String, Shape> parameters() {
        Map<String, Shape> out = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            out.put(p.getKey(), p.getValue().getArray().getShape());
        }
        return out;
    }

    /** Sets a parameter's values. */
    public LayerRun set(String name, float... values) {
        Parameter p = block.getParameters().get(name);
        if (p == null) {
            throw new IllegalArgumentException("no parameter '" + name + "'; have " + parameters());
        }
        p.getArray().set(values);
        return this;
    }

    /** A parameter's values now. */
    public float[] get(String name) {
        return block.getParameters().get(name).getArray().toFloatArray();
    }

    /** Runs a forward pass (inside a gradient collector when training) on {@code input}. */
    public float[] forward(boolean training, float... input) {
        NDArray x = manager.create(input, batchShape);
        if (training) {
            try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                NDArray y = block.forward(new ParameterStore(manager, false), new NDList(x), true)
                        .singletonOrThrow();
                lastShape = y.getShape();
                return y.toFloatArray();
            }
        }
        NDArray y = block.forward(new ParameterStore(manager, false), new NDList(x), false)
                .singletonOrThrow();
        lastShape = y.getShape();
        return y.toFloatArray();
    }

    /** The shape of the last output (with batch). */
    public Shape lastShape() {
        return lastShape;
    }

    @Override
    public void close() {
        manager.close();
    }
}
