package dev.lamina.zoo;

import ai.djl.ndarray.types.Shape;
import dev.lamina.Model;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.Names;
import dev.lamina.spec.SpecException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Named architectures in one line, as Keras's {@code keras.applications}:
 *
 * <pre>{@code
 * Model vgg = Zoo.load("vgg16");                                        // 3×224×224, 1000 classes
 * Model small = Zoo.load("resnet18", ZooOptions.defaults().withClasses(10).withInput(1, 28, 28));
 * }</pre>
 *
 * Each model is built with Lamina's {@code Sequential} or {@code Functional} API (see {@link
 * Architectures}), so it has a summary, saves, loads and writes its YAML. A run file names one with
 * {@code model: {zoo: NAME, classes: N, input: [C, H, W]}}. Unknown names are refused with a "did
 * you mean"; a bad setting names the model and the setting.
 */
public final class Zoo {
    /** What makes one architecture from a name, a class count and an input shape. */
    @FunctionalInterface
    interface Builder {
        Model build(String name, int classes, Shape input, LayerSpec preprocessing);
    }

    /**
     * A named architecture: a one-line description, its published default input and classes, its
     * total parameters at those defaults (weights and moving statistics, as Keras counts; the tests
     * check it against the built model, so {@code lamina zoo list} need not build 15 models), and
     * what builds it.
     */
    public record Entry(String name, String description, Shape input, int classes,
            long parameters, Builder builder) {}

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();
    private static final Shape IMAGENET = new Shape(3, 224, 224);

    static {
        add("lenet5", "LeNet-5 (LeCun et al. 1998), as examples/lenet.yaml", new Shape(1, 28, 28),
                10, 61_706L, Architectures::lenet5);
        add("alexnet", "AlexNet (Krizhevsky et al. 2012), one tower, LRN and dropout",
                IMAGENET, 1000, 62_378_344L, (n, c, i, p) -> Architectures.alexnet(n, c, i, p, true));
        add("alexnet_no_lrn", "AlexNet without local response normalisation", IMAGENET, 1000,
                62_378_344L, (n, c, i, p) -> Architectures.alexnet(n, c, i, p, false));
        int[] depths = {11, 13, 16, 19};
        long[] plain = {132_863_336L, 133_047_848L, 138_357_544L, 143_667_240L};
        long[] withBn = {132_874_344L, 133_059_624L, 138_374_440L, 143_689_256L};
        String[] configurations = {"A", "B", "D", "E"};
        for (int k = 0; k < 4; k++) {
            int depth = depths[k];
            add("vgg" + depth, "VGG-" + depth + " (Simonyan and Zisserman 2014), configuration "
                    + configurations[k],
                    IMAGENET, 1000, plain[k],
                    (n, c, i, p) -> Architectures.vgg(n, depth, false, c, i, p));
        }
        for (int k = 0; k < 4; k++) {
            int depth = depths[k];
            add("vgg" + depth + "_bn", "VGG-" + depth + " with batch norm, as torchvision's",
                    IMAGENET, 1000, withBn[k],
                    (n, c, i, p) -> Architectures.vgg(n, depth, true, c, i, p));
        }
        add("resnet18", "ResNet-18 v1 (He et al. 2015), as torchvision's", IMAGENET, 1000,
                11_699_112L, (n, c, i, p) -> Architectures.resnet(n, 18, c, i, p));
        add("resnet34", "ResNet-34 v1 (He et al. 2015), as torchvision's", IMAGENET, 1000,
                21_814_696L, (n, c, i, p) -> Architectures.resnet(n, 34, c, i, p));
        add("resnet50", "ResNet-50 v1 (He et al. 2015), as Keras's ResNet50", IMAGENET, 1000,
                25_636_712L, (n, c, i, p) -> Architectures.resnet(n, 50, c, i, p));
        add("googlenet", "GoogLeNet, Inception v1 (Szegedy et al. 2015), without aux heads",
                IMAGENET, 1000, 6_998_552L, Architectures::googlenet);
    }

    private Zoo() {}

    private static void add(String name, String description, Shape input, int classes,
            long parameters, Builder builder) {
        ENTRIES.put(name, new Entry(name, description, input, classes, parameters, builder));
    }

    /** The names of the zoo's models, in the order {@code lamina zoo list} shows them. */
    public static Set<String> names() {
        return Collections.unmodifiableSet(ENTRIES.keySet());
    }

    /** The entry named {@code name}, or an error with a "did you mean" and the known names. */
    public static Entry entry(String name) {
        Entry e = ENTRIES.get(name);
        if (e == null) {
            throw new IllegalArgumentException("unknown zoo model '" + name + "'."
                    + Names.didYouMean(name, ENTRIES.keySet()) + " Known: "
                    + String.join(", ", ENTRIES.keySet()));
        }
        return e;
    }

    /** The model {@code name} at its published defaults, with random weights. */
    public static Model load(String name) {
        return load(name, ZooOptions.defaults());
    }

    /**
     * The model {@code name} made with {@code options}: an unbuilt model named {@code name} (build,
     * compile, fit as any other). Refused: an unknown name, fewer than 1 class, an input that is not
     * (channels, height, width) or too small for the architecture (naming the layer), and {@code
     * pretrained} when no weights are in this build.
     */
    public static Model load(String name, ZooOptions options) {
        Entry e = entry(name);
        ZooOptions o = options == null ? ZooOptions.defaults() : options;
        int classes = o.classes() == null ? e.classes() : o.classes();
        if (classes < 1) {
            throw new SpecException(name, "classes", "expected a positive number of classes,"
                    + " received classes=" + classes);
        }
        Shape input = o.input() == null ? e.input() : o.input();
        if (input.dimension() != 3) {
            throw new SpecException(name, "input", "expected (channels, height, width), such as "
                    + shape(e.input()) + ", received input=" + shape(input));
        }
        ZooWeights weights = o.isPretrained() ? weights(name, o) : null;
        Model model;
        try {
            model = e.builder().build(name, classes, input,
                    weights == null ? null : weights.preprocessing());
        } catch (SpecException ex) {
            throw ex;
        } catch (IllegalArgumentException ex) {
            throw new SpecException(name, "input", name + " cannot take input " + shape(input)
                    + " (default " + shape(e.input()) + "): " + ex.getMessage());
        }
        if (weights != null) {
            try {
                weights.apply(o, model);
            } catch (IOException ex) {
                model.close();
                throw new UncheckedIOException(ex);
            }
        }
        return model;
    }

    /** The pretrained weights of every zoo model, as {@code lamina zoo list} shows them. */
    public static List<ZooWeights> pretrained() {
        List<ZooWeights> out = new ArrayList<>();
        ServiceLoader.load(ZooWeights.class, Zoo.class.getClassLoader()).forEach(out::add);
        return out;
    }

    /**
     * The weights {@code options} ask for, or an error that names the weights model {@code name}
     * has (or that it has none) and why the ones asked for do not fit.
     */
    private static ZooWeights weights(String name, ZooOptions options) {
        List<String> names = new ArrayList<>();
        String misfit = null;
        for (ZooWeights w : pretrained()) {
            if (!w.model().equals(name)) {
                continue;
            }
            names.add(w.weights());
            if (options.wants(w.weights())) {
                misfit = w.misfit(options);
                if (misfit == null) {
                    return w;
                }
            }
        }
        if (names.isEmpty()) {
            throw new SpecException(name, "pretrained", "no pretrained weights for " + name
                    + " in this build; leave out pretrained (or set it to false) to start"
                    + " from random weights");
        }
        if (misfit != null) {
            throw new SpecException(name, "pretrained", misfit);
        }
        throw new SpecException(name, "pretrained", "no weights called '" + options.pretrained()
                + "' for " + name + "; it has " + String.join(", ", names)
                + " (pretrained: true takes them)");
    }

    /** A shape as a run file writes it: {@code [3, 224, 224]}. */
    static String shape(Shape s) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < s.dimension(); i++) {
            sb.append(i == 0 ? "" : ", ").append(s.get(i));
        }
        return sb.append(']').toString();
    }
}
