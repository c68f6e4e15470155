package dev.lamina;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import dev.lamina.data.Dataset;
import dev.lamina.graph.MaskFlow;
import dev.lamina.layers.Dense;
import dev.lamina.layers.ReluMaxPool;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.MaskRule;
import dev.lamina.spec.Names;
import dev.lamina.spec.ShapeException;
import dev.lamina.train.History;
import dev.lamina.train.Pretrainable;
import dev.lamina.train.Pretraining;
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
        List<LayerSpec> specs = new ArrayList<>();
        layers.forEach(e -> specs.add(e.spec()));
        Chain seq = new Chain(specs, new boolean[layers.size()]);
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
        for (int i = 0; i + 1 < layers.size(); i++) {
            seq.reluPastNext[i] = steps.get(i) == blocks.get(i)
                    && steps.get(i + 1) == blocks.get(i + 1)
                    && ReluMaxPool.applies(specs.get(i), blocks.get(i), specs.get(i + 1));
        }
        if (masked) {
            seq.add(MaskFlow.strip());
        }
        return seq;
    }

    /** The layers whose ending ReLU runs after the max pool that follows them (for tests). */
    List<String> reluAfterPool() {
        build();
        List<String> out = new ArrayList<>();
        boolean[] moved = ((Chain) block()).reluPastNext;
        for (int i = 0; i < moved.length; i++) {
            if (moved[i]) {
                out.add(layers.get(i).name());
            }
        }
        return out;
    }

    /**
     * The stack as one block: each layer's block in turn, except that a ReLU ending a layer that
     * feeds a max pool runs after the pool ({@link ReluMaxPool}: the same numbers, less work).
     * Its children, and so the saved file, are those of DJL's {@code SequentialBlock}.
     */
    private static final class Chain extends SequentialBlock {
        private final List<LayerSpec> specs;
        private final boolean[] reluPastNext;

        Chain(List<LayerSpec> specs, boolean[] reluPastNext) {
            this.specs = specs;
            this.reluPastNext = reluPastNext;
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                ai.djl.util.PairList<String, Object> params) {
            List<Block> children = getChildren().values();
            NDList x = inputs;
            for (int i = 0; i < children.size(); i++) {
                if (i < reluPastNext.length && reluPastNext[i]) {
                    NDList z = ReluMaxPool.beforeRelu(specs.get(i), children.get(i), ps, x,
                            training, params);
                    x = ReluMaxPool.relu(children.get(++i).forward(ps, z, training, params));
                } else {
                    x = children.get(i).forward(ps, x, training, params);
                }
            }
            return x;
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList data, NDList labels,
                ai.djl.util.PairList<String, Object> params) {
            return forwardInternal(ps, data, true, params);
        }
    }

    @Override
    public boolean hasPretraining() {
        return layers.stream().anyMatch(e -> e.spec() instanceof Pretrainable);
    }

    /**
     * {@inheritDoc} Each such layer pretrains on the outputs of the layers below it as they are
     * then (inference mode: no dropout), computed once for all of {@code data} when its
     * pretraining starts; a layer's seed follows from the model's seed and its index.
     */
    @Override
    public Map<String, History> pretrain(Dataset data, Pretraining how) {
        build();
        if (!hasPretraining()) {
            return Map.of();
        }
        checkData(data, false);
        Map<String, History> out = new LinkedHashMap<>();
        Dataset x = Dataset.unlabelled(data.name(), data.inputs().get(0));
        int done = 0; // x holds the outputs of the layers before this index
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).spec() instanceof Pretrainable p) {
                x = forwardLayers(x, done, i);
                done = i;
                Pretraining layer = how.forLayer(layers.get(i).name(), seed() * 31L + i);
                out.putAll(p.pretrain(blocks.get(i), x, layer));
            }
        }
        return out;
    }

    /** The outputs of layers {@code from} to {@code to} (exclusive) for inputs {@code x}. */
    private Dataset forwardLayers(Dataset x, int from, int to) {
        if (from == to) {
            return x;
        }
        Shape outShape = shapes.get(to - 1);
        int n = x.size();
        int per = (int) outShape.size();
        float[] out = new float[Math.multiplyExact(n, per)];
        int batch = 256;
        ai.djl.ndarray.NDManager root = djlModel().getNDManager();
        for (int start = 0; start < n; start += batch) {
            int end = Math.min(n, start + batch);
            int[] idx = java.util.stream.IntStream.range(start, end).toArray();
            try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope();
                    ai.djl.ndarray.NDManager bm = root.newSubManager()) {
                scope.suppressNotUsedWarning();
                ParameterStore ps = new ParameterStore(bm, false);
                NDList y = x.inputs(bm, idx);
                for (int j = from; j < to; j++) {
                    y = steps.get(j).forward(ps, y, false);
                }
                float[] v = y.head().toType(DataType.FLOAT32, false).toFloatArray();
                System.arraycopy(v, 0, out, start * per, v.length);
            }
        }
        return Dataset.unlabelled(x.name() + " through " + layers.get(to - 1).name(),
                new dev.lamina.data.Tensor(out, outShape));
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

    @Override
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

    @Override
    public Sequential setTrainable(String layerName, boolean trainable) {
        super.setTrainable(layerName, trainable);
        return this;
    }

    @Override
    public List<String> layerNames() {
        return layers.stream().map(Entry::name).toList();
    }

    /**
     * This model with a new classifier head for {@code classes} classes, for transfer learning:
     * the last {@code dense} layer and every layer after it (an activation, a dropout) are dropped
     * and a {@code dense} of {@code classes} units takes their place, with the dropped dense's
     * activation (logits stay logits, a softmax stays a softmax) and name. See {@link
     * #withHead(LayerSpec...)} for what the new model keeps.
     */
    public Sequential withHead(int classes) {
        if (classes <= 0) {
            throw new IllegalArgumentException("a head needs a positive number of classes, received "
                    + classes);
        }
        int cut = lastDense();
        Dense old = (Dense) layers.get(cut).spec();
        return replaceFrom(cut, List.of(new Entry(layers.get(cut).name(),
                new Dense(classes, old.activation(), old.useBias(), old.kernelInitializer(),
                        old.biasInitializer(), old.kernelRegularizer(), old.biasRegularizer()))));
    }

    /**
     * This model with {@code head} in place of its last {@code dense} layer and every layer after
     * it. The new model has this one's input, engine, seed and compile settings (compile it again
     * for another loss or rate); the kept layers keep their names, their frozen state and, when
     * this model is built, their weights (copied: the two models are apart, close both); the new
     * layers are initialised afresh. Class names are not kept (the classes are new). For a graph
     * ({@code Functional}), build a new graph whose output is a new dense layer instead.
     */
    public Sequential withHead(LayerSpec... head) {
        if (head.length == 0) {
            throw new IllegalArgumentException("withHead needs at least one layer, such as"
                    + " withHead(new Dense(5))");
        }
        List<Entry> added = new ArrayList<>();
        for (LayerSpec l : head) {
            added.add(new Entry(null, l));
        }
        return replaceFrom(lastDense(), added);
    }

    private int lastDense() {
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (layers.get(i).spec() instanceof Dense) {
                return i;
            }
        }
        throw new IllegalArgumentException("model '" + name() + "' has no dense layer to replace:"
                + " a head is its last dense layer and what follows; layers: " + layerNames());
    }

    private Sequential replaceFrom(int cut, List<Entry> head) {
        Sequential m = new Sequential(name()).input(input);
        for (int i = 0; i < cut; i++) {
            m.add(layers.get(i).name(), layers.get(i).spec());
        }
        for (Entry e : head) {
            m.add(e.name(), e.spec());
        }
        m.backend(backend()).seed(seed());
        if (compiled() != null) {
            m.compile(compiled());
        }
        if (isBuilt()) {
            m.build();
            for (int i = 0; i < cut; i++) {
                List<ai.djl.nn.Parameter> from = blocks.get(i).getParameters().values();
                List<ai.djl.nn.Parameter> to = m.blocks.get(i).getParameters().values();
                for (int j = 0; j < from.size(); j++) {
                    from.get(j).getArray().copyTo(to.get(j).getArray());
                }
                String n = layers.get(i).name();
                if (isFrozen(n)) {
                    m.setTrainable(n, false);
                }
            }
        }
        return m;
    }
}
