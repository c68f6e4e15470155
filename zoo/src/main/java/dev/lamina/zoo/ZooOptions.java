package dev.lamina.zoo;

import ai.djl.ndarray.types.Shape;
import dev.lamina.ModelFormat;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.SpecMap;
import java.util.List;

/**
 * How to make a model of the zoo: the number of classes and the input shape (each null for the
 * architecture's published default), and which pretrained weights to start from.
 *
 * <pre>{@code
 * Model m = Zoo.load("vgg11", ZooOptions.defaults().withClasses(10).withInput(1, 32, 32));
 * Model r = Zoo.load("resnet50", ZooOptions.defaults().withPretrained("imagenet"));
 * }</pre>
 *
 * In a run file the same settings sit beside {@code zoo}: {@code model: {zoo: resnet50,
 * pretrained: imagenet}}, {@code model: {zoo: vgg11, classes: 10, input: [1, 32, 32]}}. {@code
 * pretrained: true} takes whichever weights the zoo has for the model, {@code false} (the
 * default) random weights, and a name ({@code imagenet}, {@code fashion_mnist}) those weights.
 *
 * @param classes the classifier's outputs, or null for the default (1000 for ImageNet models)
 * @param input the per-sample input (channels, height, width), or null for the default
 * @param pretrained null for random weights, {@link #ANY} for the model's published weights,
 *     or the name of a set of weights ({@code imagenet})
 */
public record ZooOptions(Integer classes, Shape input, String pretrained) {
    /** The settings a run file may give beside {@code zoo}. */
    public static final List<String> KEYS = List.of("classes", "input", "pretrained");

    /** {@code pretrained: true}: whichever weights the zoo has for the model. */
    public static final String ANY = "true";

    /** The published defaults: the architecture's classes and input, random weights. */
    public static ZooOptions defaults() {
        return new ZooOptions(null, null, null);
    }

    /** True when pretrained weights are asked for. */
    public boolean isPretrained() {
        return pretrained != null;
    }

    /** True when weights named {@code name} are what was asked for (by name, or any). */
    public boolean wants(String name) {
        return ANY.equals(pretrained) || name.equals(pretrained);
    }

    /** A copy with {@code n} classes. */
    public ZooOptions withClasses(int n) {
        return new ZooOptions(n, input, pretrained);
    }

    /** A copy with the per-sample input shape (channels, height, width). */
    public ZooOptions withInput(long... shape) {
        return withInput(new Shape(shape));
    }

    /** A copy with the per-sample input shape (channels, height, width). */
    public ZooOptions withInput(Shape shape) {
        return new ZooOptions(classes, shape, pretrained);
    }

    /** A copy that asks for the model's published weights, or for random weights. */
    public ZooOptions withPretrained(boolean on) {
        return new ZooOptions(classes, input, on ? ANY : null);
    }

    /** A copy that asks for the weights called {@code name} ({@code imagenet}). */
    public ZooOptions withPretrained(String name) {
        return new ZooOptions(classes, input, name);
    }

    /**
     * Reads {@code classes}, {@code input} and {@code pretrained} (true, false or a name); other
     * keys are left to refuse.
     */
    public static ZooOptions fromMap(SpecMap m) {
        ConfigNode c = m.get("classes");
        ConfigNode in = m.get("input");
        ConfigNode p = m.get("pretrained");
        String pretrained = null;
        if (p != null && !p.isNull()) {
            Object v = p.scalarValue();
            if (v instanceof Boolean b) {
                pretrained = b ? ANY : null;
            } else {
                pretrained = p.asString();
            }
        }
        return new ZooOptions(c == null ? null : c.asInt(),
                in == null ? null : ModelFormat.shape(in), pretrained);
    }
}
