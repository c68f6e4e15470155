package dev.lamina.zoo.weights;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.nn.Block;
import dev.lamina.Functional;
import dev.lamina.Model;
import dev.lamina.Sequential;
import dev.lamina.io.InvalidModelException;
import dev.lamina.layers.Activation;
import dev.lamina.layers.BatchNorm;
import dev.lamina.layers.Conv1d;
import dev.lamina.layers.Conv2d;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Dropout;
import dev.lamina.layers.Flatten;
import dev.lamina.layers.GaussianDropout;
import dev.lamina.layers.GaussianNoise;
import dev.lamina.layers.Gru;
import dev.lamina.layers.Lstm;
import dev.lamina.layers.SimpleRnn;
import dev.lamina.spec.Layer;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.Node;
import dev.lamina.zoo.weights.KerasWeights.LayerWeights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts Keras weights into a Lamina {@link Sequential} or {@link Functional} model built with
 * matching layers.
 *
 * <p><b>Which layer gets which weights.</b> Only layers with weights take part, on both sides
 * (Keras's {@code Flatten}, {@code Dropout}, poolings and Lamina's likewise are skipped). When the
 * Lamina layers with weights have exactly the names of the Keras layers with weights, they pair
 * by name. Otherwise, in a {@code Sequential}, they pair in order: the first Keras layer with
 * weights goes to the first Lamina layer with weights, and so on; both must have as many. A
 * functional model pairs by name only (its graph's order need not be Keras's), and so does
 * every model with Keras 3's {@code .weights.h5}, which records no order (h5py keeps groups
 * sorted by name): name the Lamina layers as in Keras ({@code model.add("dense_1", new
 * Dense(10))}, {@code Layer.of("conv1_conv", ...)}). A shared layer takes part once.
 *
 * <p><b>Layouts.</b> Each Keras array is checked against the Lamina weight it goes to, and
 * converted: a dense kernel (in, out) is transposed to (out, in); a convolution's kernel
 * (kh, kw, in, out), channels last as Keras keeps it whatever its {@code data_format}, becomes
 * (out, in, kh, kw) (conv1d: (k, in, out) to (out, in, k)); batch norm's {@code gamma},
 * {@code beta}, {@code moving_mean} and {@code moving_variance} keep their names and shapes;
 * biases are copied. Recurrent layers (one layer, one direction): kernels (in, G·units) and
 * recurrent kernels (units, G·units) are transposed; the LSTM's gates i, f, c, o are Lamina's
 * order; the GRU's z, r, h become r, z, n (the first two blocks of units swap), and with
 * {@code reset_after} its bias (2, 3·units) is the input bias and the recurrent bias.
 *
 * <p><b>Flatten.</b> A Keras model flattens images channels last, (h, w, c), where Lamina
 * flattens (c, h, w): the kernel of a dense layer that follows a {@code flatten} of an image
 * (through dropout, noise or activation layers only) has its rows reordered to match, so the
 * model computes what the Keras model computes. Pass {@code kerasChannelsLast = false} for a
 * Keras model built with {@code data_format="channels_first"}.
 *
 * <p>Every refusal is an {@link InvalidModelException} naming the file, the first Keras layer
 * and array that do not fit, the Lamina layer, and the shape expected against the shape found
 * (both as Keras stores them). Nothing is changed unless every array fits.
 */
public final class KerasImport {
    private static final Set<String> PASS_THROUGH = Set.of(Dropout.TYPE, GaussianNoise.TYPE,
            GaussianDropout.TYPE, Activation.TYPE);

    private KerasImport() {}

    /** Reads {@code file} ({@link KerasFiles#read}) and puts its weights into {@code model}. */
    public static Map<String, String> load(Model model, Path file) throws IOException {
        return apply(model, KerasFiles.read(file), true);
    }

    /** Puts {@code weights} into {@code model}, a Keras model that was channels last. */
    public static Map<String, String> apply(Model model, KerasWeights weights)
            throws InvalidModelException {
        return apply(model, weights, true);
    }

    /**
     * Puts {@code weights} into {@code model} (a {@link Sequential} or a {@link Functional},
     * built first), as the class describes.
     *
     * @return the pairs made: each Lamina layer's name to the Keras layer it got, in order
     */
    public static Map<String, String> apply(Model model, KerasWeights weights,
            boolean kerasChannelsLast) throws InvalidModelException {
        model.build();
        Path file = weights.file();
        List<Target> targets;
        if (model instanceof Sequential seq) {
            targets = targets(seq, kerasChannelsLast, file);
        } else if (model instanceof Functional f) {
            targets = targets(f, kerasChannelsLast, file);
        } else {
            throw new IllegalArgumentException("model '" + model.name() + "' is a "
                    + model.getClass().getSimpleName() + "; Keras weights go into a Sequential"
                    + " or a Functional model");
        }
        boolean ordered = weights.ordered() && model instanceof Sequential;
        List<LayerWeights> keras = weights.layers();
        List<String> laminaNames = new ArrayList<>();
        targets.forEach(t -> laminaNames.add(t.name));
        boolean byName = new HashSet<>(laminaNames).equals(new HashSet<>(weights.layerNames()))
                && laminaNames.size() == keras.size();
        if (!byName && !ordered) {
            List<String> missing = new ArrayList<>(laminaNames);
            missing.removeAll(weights.layerNames());
            String why = weights.ordered() ? "a functional model's layers pair by name (its order"
                    + " of layers need not be Keras's)" : weights.format() + " files keep no order"
                    + " of layers, so layers pair by name";
            throw new InvalidModelException(file, why + ", and the names differ: Lamina's layers"
                    + " with weights are " + laminaNames + ", the file's are "
                    + weights.layerNames() + (missing.isEmpty() ? "" : " (not in the file: "
                    + missing + ")") + ". Name the Lamina layers as in Keras, such as \""
                    + (weights.layerNames().isEmpty() ? "dense" : weights.layerNames().get(0))
                    + "\"");
        }
        if (!byName && keras.size() != targets.size()) {
            throw new InvalidModelException(file, "has " + keras.size() + " Keras layers with"
                    + " weights " + weights.layerNames() + " but model '" + model.name() + "' has "
                    + targets.size() + " " + laminaNames + ", and their names differ, so they"
                    + " cannot pair by name either; build the Lamina model with the Keras"
                    + " model's layers");
        }
        // check and convert everything first: a refusal leaves the model as it was
        Map<Parameter, float[]> values = new LinkedHashMap<>();
        Map<String, String> pairs = new LinkedHashMap<>();
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            LayerWeights k = byName ? weights.layer(t.name) : keras.get(i);
            t.convert(file, k, values);
            pairs.put(t.name, k.name());
        }
        values.forEach((p, v) -> p.getArray().set(v));
        return pairs;
    }

    // ---- the Lamina side ----

    /** How a Keras array becomes a Lamina weight. */
    private enum Kind { SAME, DENSE, CONV, TRANSPOSE, GRU_KERNEL, GRU_BIAS }

    /** A Keras array (by role) and the Lamina weights it fills. */
    private record Slot(String role, Kind kind, List<Parameter> params) {}

    /** A Lamina layer with weights: its name, type and slots in Keras's order of arrays. */
    private static final class Target {
        final String name;
        final String type;
        final List<Slot> slots = new ArrayList<>();
        /** (channels, spatial...) of the flatten before a dense layer, or null. */
        Shape flattened;

        Target(String name, String type) {
            this.name = name;
            this.type = type;
        }

        void convert(Path file, LayerWeights k, Map<Parameter, float[]> out)
                throws InvalidModelException {
            String where = "Keras layer '" + k.name() + "' into Lamina layer '" + name + "' ("
                    + type + ")";
            List<String> roles = new ArrayList<>();
            slots.forEach(s -> roles.add(s.role()));
            if (k.arrays().size() != slots.size()) {
                throw new InvalidModelException(file, where + ": the Keras layer has "
                        + k.arrays().size() + " arrays " + k.arrayNames() + " but the Lamina layer"
                        + " takes " + slots.size() + " " + roles + "; build it with the Keras"
                        + " layer's settings (use_bias, center, scale, reset_after)");
            }
            for (int j = 0; j < slots.size(); j++) {
                Slot s = slots.get(j);
                KerasWeights.Array a = k.arrays().get(j);
                boolean positional = a.name().startsWith("vars/") || a.name().contains("/vars/");
                if (!positional && !a.name().equals(s.role())) {
                    throw new InvalidModelException(file, where + ": array " + (j + 1) + " is '"
                            + a.name() + "' where Lamina expects '" + s.role() + "' (arrays "
                            + k.arrayNames() + " against " + roles + ")");
                }
                long[] want = kerasShape(s);
                if (!java.util.Arrays.equals(want, a.shape())) {
                    throw new InvalidModelException(file, where + ": array '" + a.name() + "' ("
                            + a.path() + ") has shape " + a.shapeText() + " but the Lamina layer"
                            + " needs " + KerasWeights.shapeText(want) + " as Keras stores it ("
                            + s.params().get(0).getName() + " "
                            + s.params().get(0).getArray().getShape() + " in Lamina's layout)");
                }
                fill(s, a.data(), out);
            }
        }

        /** The Keras shape that fits the slot's Lamina weights. */
        long[] kerasShape(Slot s) {
            long[] l = s.params().get(0).getArray().getShape().getShape();
            switch (s.kind()) {
                case DENSE, TRANSPOSE, GRU_KERNEL:
                    return new long[] {l[1], l[0]};
                case CONV: {
                    long[] k = new long[l.length];
                    for (int i = 2; i < l.length; i++) {
                        k[i - 2] = l[i];
                    }
                    k[l.length - 2] = l[1];
                    k[l.length - 1] = l[0];
                    return k;
                }
                case GRU_BIAS:
                    return s.params().size() == 2 ? new long[] {2, l[0]} : l;
                default:
                    return l;
            }
        }

        void fill(Slot s, float[] v, Map<Parameter, float[]> out) {
            long[] l = s.params().get(0).getArray().getShape().getShape();
            switch (s.kind()) {
                case SAME -> out.put(s.params().get(0), v.clone());
                case TRANSPOSE -> out.put(s.params().get(0), transpose(v, (int) l[1], (int) l[0]));
                case DENSE -> out.put(s.params().get(0), flattened == null
                        ? transpose(v, (int) l[1], (int) l[0]) : denseAfterFlatten(v, l));
                case CONV -> out.put(s.params().get(0), conv(v, l));
                case GRU_KERNEL -> out.put(s.params().get(0),
                        swapGates(transpose(v, (int) l[1], (int) l[0])));
                case GRU_BIAS -> {
                    int n = (int) l[0];
                    for (int r = 0; r < s.params().size(); r++) {
                        float[] row = new float[n];
                        System.arraycopy(v, r * n, row, 0, n);
                        out.put(s.params().get(r), swapGates(row));
                    }
                }
                default -> throw new IllegalStateException(s.kind().toString());
            }
        }

        /** Keras's rows (spatial..., c) in Lamina's order (c, spatial...), transposed. */
        float[] denseAfterFlatten(float[] v, long[] l) {
            int units = (int) l[0];
            int in = (int) l[1];
            int c = (int) flattened.get(0);
            int sp = in / c;
            float[] w = new float[units * in];
            for (int o = 0; o < units; o++) {
                for (int ch = 0; ch < c; ch++) {
                    for (int p = 0; p < sp; p++) {
                        w[o * in + ch * sp + p] = v[(p * c + ch) * units + o];
                    }
                }
            }
            return w;
        }
    }

    /** (rows, cols) row-major to (cols, rows). */
    static float[] transpose(float[] v, int rows, int cols) {
        float[] t = new float[v.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = v[r * cols + c];
            }
        }
        return t;
    }

    /** Keras (k..., in, out) to Lamina (out, in, k...), given Lamina's shape {@code l}. */
    static float[] conv(float[] v, long[] l) {
        int out = (int) l[0];
        int in = (int) l[1];
        int k = 1;
        for (int i = 2; i < l.length; i++) {
            k *= (int) l[i];
        }
        float[] t = new float[v.length];
        for (int p = 0; p < k; p++) {
            for (int i = 0; i < in; i++) {
                for (int o = 0; o < out; o++) {
                    t[(o * in + i) * k + p] = v[(p * in + i) * out + o];
                }
            }
        }
        return t;
    }

    /** Swaps the first two of three equal blocks (gates z, r to r, z; rows of a kernel). */
    static float[] swapGates(float[] v) {
        int block = v.length / 3;
        float[] t = v.clone();
        System.arraycopy(v, 0, t, block, block);
        System.arraycopy(v, block, t, 0, block);
        return t;
    }

    /** A Sequential's layers with weights, in order, each with the flatten before it. */
    private static List<Target> targets(Sequential model, boolean channelsLast, Path file)
            throws InvalidModelException {
        List<Target> out = new ArrayList<>();
        Shape s = model.inputShape();
        Shape flattened = null;
        for (Sequential.Entry e : model.layers()) {
            LayerSpec spec = e.spec();
            Shape in = s;
            s = spec.outputShape(s);
            Shape flatBefore = flattened;
            flattened = spec.type().equals(Flatten.TYPE) ? (channelsLast && in.dimension() >= 2
                    ? in : null) : PASS_THROUGH.contains(spec.type()) ? flattened : null;
            Target t = target(e.name(), spec, model.layerBlock(e.name()), flatBefore, file);
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * A functional model's layers with weights, each once (a shared layer at its first use), in
     * the order the graph is run.
     */
    private static List<Target> targets(Functional model, boolean channelsLast, Path file)
            throws InvalidModelException {
        List<Node> order = new ArrayList<>();
        Set<Node> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Node o : model.outputs()) {
            visit(o, seen, order);
        }
        Set<Layer> done = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        List<Target> out = new ArrayList<>();
        for (Node n : order) {
            if (!done.add(n.layer())) {
                continue;
            }
            String name = model.nodeName(n);
            // the flatten this node reads, through dropout, noise or activations
            Shape flatBefore = null;
            Node from = n.inputs().size() == 1 ? n.inputs().get(0) : null;
            while (from != null && !from.isInput()
                    && PASS_THROUGH.contains(from.layer().spec().type())) {
                from = from.inputs().size() == 1 ? from.inputs().get(0) : null;
            }
            if (channelsLast && from != null && !from.isInput()
                    && from.layer().spec().type().equals(Flatten.TYPE)) {
                Shape in = model.nodeShape(model.nodeName(from.inputs().get(0)));
                flatBefore = in.dimension() >= 2 ? in : null;
            }
            Target t = target(name, n.layer().spec(), model.layerBlock(name), flatBefore, file);
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    private static void visit(Node n, Set<Node> seen, List<Node> order) {
        if (n.isInput() || !seen.add(n)) {
            return;
        }
        for (Node from : n.inputs()) {
            visit(from, seen, order);
        }
        order.add(n);
    }

    /** The slots of one Lamina layer, or null when it has no weights. */
    private static Target target(String name, LayerSpec spec, Block block, Shape flatBefore,
            Path file) throws InvalidModelException {
        Map<String, Parameter> ps = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            ps.put(p.getKey(), p.getValue());
        }
        if (ps.isEmpty()) {
            return null;
        }
        Target t = new Target(name, spec.type());
        switch (spec.type()) {
            case Dense.TYPE, Conv1d.TYPE, Conv2d.TYPE -> {
                boolean dense = spec.type().equals(Dense.TYPE);
                for (Parameter p : ps.values()) {
                    boolean w = p.getType() == Parameter.Type.WEIGHT;
                    t.slots.add(new Slot(w ? "kernel" : "bias",
                            w ? (dense ? Kind.DENSE : Kind.CONV) : Kind.SAME, List.of(p)));
                }
                if (dense) {
                    t.flattened = flatBefore;
                }
            }
            case BatchNorm.TYPE -> ps.values().forEach(p ->
                    t.slots.add(new Slot(p.getName(), Kind.SAME, List.of(p))));
            case Lstm.TYPE, SimpleRnn.TYPE, Gru.TYPE -> {
                if (!ps.keySet().stream().allMatch(k -> k.endsWith("_l0"))) {
                    throw new InvalidModelException(file, "Lamina layer '" + name + "' ("
                            + spec.type() + ") is stacked or bidirectional; the Keras import maps"
                            + " one-layer, one-direction recurrent layers only");
                }
                Kind k = spec.type().equals(Gru.TYPE) ? Kind.GRU_KERNEL : Kind.TRANSPOSE;
                t.slots.add(new Slot("kernel", k, List.of(ps.get("kernel_l0"))));
                t.slots.add(new Slot("recurrent_kernel", k, List.of(ps.get("recurrent_kernel_l0"))));
                if (ps.containsKey("bias_l0")) {
                    List<Parameter> b = new ArrayList<>(List.of(ps.get("bias_l0")));
                    if (ps.containsKey("recurrent_bias_l0")) {
                        b.add(ps.get("recurrent_bias_l0"));
                    }
                    t.slots.add(new Slot("bias", k == Kind.GRU_KERNEL ? Kind.GRU_BIAS : Kind.SAME, b));
                }
            }
            default -> throw new InvalidModelException(file, "Lamina layer '" + name + "' ("
                    + spec.type() + ") has weights the Keras import does not map; it maps dense,"
                    + " conv1d, conv2d, batch_norm, simple_rnn, lstm and gru");
        }
        return t;
    }
}
