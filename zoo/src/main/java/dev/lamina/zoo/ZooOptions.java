package dev.lamina.zoo;

import ai.djl.ndarray.types.Shape;
import dev.lamina.ModelFormat;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.SpecMap;

/**
 * How to make a model of the zoo: the number of classes and the input shape (each null for the
 * architecture's published default), and whether to start from pretrained weights.
 *
 * <pre>{@code
 * Model m = Zoo.load("vgg11", ZooOptions.defaults().withClasses(10).withInput(1, 32, 32));
 * }</pre>
 *
 * In a run file the same settings sit beside {@code zoo}: {@code model: {zoo: vgg11, classes: 10,
 * input: [1, 32, 32], pretrained: false}}.
 *
 * @param classes the classifier's outputs, or null for the default (1000 for ImageNet models)
 * @param input the per-sample input (channels, height, width), or null for the default
 * @param pretrained start from the published trained weights (none are in this build yet)
 */
public record ZooOptions(Integer classes, Shape input, boolean pretrained) {
    /** The settings a run file may give beside {@code zoo}. */
    public static final java.util.List<String> KEYS = java.util.List.of("classes", "input",
            "pretrained");

    /** The published defaults: the architecture's classes and input, random weights. */
    public static ZooOptions defaults() {
        return new ZooOptions(null, null, false);
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

    /** A copy that asks for (or not) the pretrained weights. */
    public ZooOptions withPretrained(boolean on) {
        return new ZooOptions(classes, input, on);
    }

    /** Reads {@code classes}, {@code input} and {@code pretrained}; other keys are left to refuse. */
    public static ZooOptions fromMap(SpecMap m) {
        ConfigNode c = m.get("classes");
        ConfigNode in = m.get("input");
        return new ZooOptions(c == null ? null : c.asInt(),
                in == null ? null : ModelFormat.shape(in), m.getBoolean("pretrained", false));
    }
}
