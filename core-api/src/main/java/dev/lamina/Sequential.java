package dev.lamina;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.lamina.graph.MaskFlow;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.MaskRule;
import dev.lamina.spec.Names;
import dev.lamina.spec.ShapeException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A stack of layers, each feeding the next, as Keras's {@code Sequential}:
 *
 * <pre>{@code
 * Sequential model = new Sequential("mlp").input(784)
 *         .add(new Dense(128, "relu"))
 *         .add(new Dense(10));
 * }</pre>
 *
 * Each layer's shape is checked as it is added (once the input shape is known): a mismatch names
 * the layer's index and name, the shape it got and what it needed.
 */
public final class Sequential extends Model {
    /** A layer of the stack and the name it goes by. */
    public record Entry(String name, LayerSpec spec) {}

    private final List<Entry> layers = new ArrayList<>();
    private final Map<String, Integer> typeCounts = new HashMap<>();
    private Shape input;
    private List<Shape> shapes; // output shape after each layer
    private final List<Block> blocks = new ArrayList<>(); // each layer's own block
    private final List<Block> steps = new ArrayList<>(); // as run: with the mask's way round it
    private final Map<String, Boolean> frozen = new HashMap<>();

    /** An empty model named {@code name}. */
    public Sequential(String name) {
        super(name);
    }

    /** An empty model named {@code sequential}. */
    public Sequential() {
        this("sequential");
    }

    /** The per-sample input shape, such as {@code input(1, 28, 28)} for a grey 28×28 image. */
    public Sequential input(long... shape) {
        return input(new Shape(shape));
    }

    /** The per-sample input shape. */
    public Sequential input(Shape shape) {
        if (isBuilt()) {
            throw new IllegalStateException("cannot change the input of model '" + name()
                    + "' after it is built");
        }
        for (long d : shape.getShape()) {
            if (d <= 0) {
                throw new IllegalArgumentException("input shape " + shape
                        + " must have positive sizes (per sample, without the batch axis)");
            }
        }
        this.input = shape;
        this.shapes = null;
        checkShapes();
        return this;
    }

    /** Adds a layer named after its type ({@code dense}, {@code dense_1}, ...). */
    public Sequential add(LayerSpec layer) {
        return add(null, layer);
    }

    /** Adds a layer with a name of your own (unique in the model). */
    public Sequential add(String name, LayerSpec layer) {
        if (isBuilt()) {
            throw new IllegalStateException("cannot add layers to model '" + name()
                    + "' after it is built");
        }
        if (layer == null) {
            throw new IllegalArgumentException("layer must not be null");
        }
        String n = name == null ? autoName(layer.type()) : name;
        for (Entry e : layers) {
            if (e.name().equals(n)) {
                throw new IllegalArgumentException("model '" + name() + "' already has a layer named '"
                        + n + "': give the new layer a unique name");
            }
        }
        layers.add(new Entry(n, layer));
        shapes = null;
        if (input != null) {
            try {
                checkShapes();
            } catch (ShapeException e) {
                layers.remove(layers.size() - 1);
                shapes = null;
                throw e;
            }
        }
        return this;
    }

    private String autoName(String type) {
        Set<String> taken = new HashSet<>();
        layers.forEach(e -> taken.add(e.name()));
        while (true) {
            int k = typeCounts.merge(type, 1, Integer::sum) - 1;
            String n = k == 0 ? type : type + "_" + k;
            if (!taken.contains(n)) {
                return n;
            }
        }
    }

    /** The layers, in order. */
    public List<Entry> layers() {
        return List.copyOf(layers);
    }

    /** The per-sample input shape, or null when not set. */
    public Shape inputShape() {
        return input;
    }

    @Override
    protected List<Shape> checkShapes() {
        if (input == null) {
            throw new IllegalStateException("model '" + name() + "' has no input shape: call"
                    + " input(...) with the shape of one sample, such as input(1, 28, 28)");
        }
        if (shapes == null) {
            List<Shape> out = new ArrayList<>();
            Shape s = input;
            for (int i = 0; i < layers.size(); i++) {
                Entry e = layers.get(i);
                try {
                    s = e.spec().outputShape(s);
                } catch (ShapeException ex) {
                    throw new ShapeException("layer " + i + " '" + e.name() + "' (" + e.spec().type()
                            + ") cannot take input of shape " + Summary.shape(s) + ": "
                            + ex.getMessage());
                }
                out.add(s);
            }
            shapes = out;
        }
        return List.of(input);
    }

    @Override
    public List<Shape> outputShapes() {
        checkShapes();
        return List.of(shapes.isEmpty() ? input : shapes.get(shapes.size() - 1));
    }

    @Override
    protected Block newBlock(BuildContext ctx) {
        if (layers.isEmpty()) {
            throw new IllegalStateException("model '" + name() + "' has no layers: add some first");
        }
        SequentialBlock seq = new SequentialBlock();
        blocks.clear();
        steps.clear();
        Shape s = input;
        boolean masked = false; // a mask over time steps rides last in the list between blocks
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec spec = layers.get(i).spec();
            Block b = spec.toBlock(ctx, s);
            blocks.add(b);
            MaskRule rule = spec.masking();
            Block step = masked ? MaskFlow.step(b, rule) : b;
            steps.add(step);
            seq.add(step);
            masked = rule == MaskRule.MAKES || masked && rule.passes();
            s = shapes.get(i);
        }
        if (masked) {
            seq.add(MaskFlow.strip());
        }
        return seq;
    }

    @Override
    public String describeNonFinite(NDList x) {
        ParameterStore ps = new ParameterStore(x.head().getManager(), false);
        NDList out = x;
        for (int i = 0; i < steps.size(); i++) {
            out = steps.get(i).forward(ps, out, false);
            if (!allFinite(out)) {
                return "layer '" + layers.get(i).name() + "' (" + (i + 1) + ", "
                        + layers.get(i).spec().type() + ") is the first whose output is not finite";
            }
        }
        return "every layer's output is finite: the loss itself overflowed";
    }

    @Override
    public Map<String, Object> architecture() {
        List<Long> in = new ArrayList<>();
        for (long d : input.getShape()) {
            in.add(d);
        }
        List<Object> ls = new ArrayList<>();
        for (Entry e : layers) {
            // {type: {settings..., name}}, as the YAML model: section writes a layer
            Map.Entry<String, Object> typed = e.spec().toMap().entrySet().iterator().next();
            Map<String, Object> settings = new LinkedHashMap<>();
            if (typed.getValue() instanceof Map<?, ?> given) {
                given.forEach((k, v) -> settings.put(String.valueOf(k), v));
            }
            settings.put("name", e.name());
            ls.add(Map.of(typed.getKey(), settings));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("input", in);
        out.put("layers", ls);
        return out;
    }

    @Override
    protected List<Summary.Row> summaryRows() {
        List<Summary.Row> rows = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            rows.add(new Summary.Row(layers.get(i).name(), layers.get(i).spec().type(),
                    shapes.get(i), blocks.get(i), List.of()));
        }
        return rows;
    }

    /** The DJL block of the layer named {@code layerName} (the model is built first). */
    public Block layerBlock(String layerName) {
        build();
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).name().equals(layerName)) {
                return blocks.get(i);
            }
        }
        List<String> names = new ArrayList<>();
        layers.forEach(e -> names.add(e.name()));
        throw new IllegalArgumentException("model '" + name() + "' has no layer '" + layerName + "'."
                + Names.didYouMean(layerName, names) + " Layers: " + names);
    }

    /**
     * Stops (or restarts) training the weights of one layer, as Keras's {@code layer.trainable}. A
     * frozen batch norm also stops updating its moving statistics (it normalises with them, as in
     * inference), and unfreezing never makes the moving statistics trainable.
     */
    public Sequential setTrainable(String layerName, boolean trainable) {
        Block b = layerBlock(layerName);
        for (Pair<String, Parameter> p : b.getParameters()) {
            Parameter.Type t = p.getValue().getType();
            if (t != Parameter.Type.RUNNING_MEAN && t != Parameter.Type.RUNNING_VAR) {
                p.getValue().freeze(!trainable);
            }
        }
        frozen.put(layerName, !trainable);
        return this;
    }

    /** True when the layer's weights are frozen by {@link #setTrainable}. */
    public boolean isFrozen(String layerName) {
        return frozen.getOrDefault(layerName, false);
    }
}
