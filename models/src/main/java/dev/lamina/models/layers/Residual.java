package dev.lamina.models.layers;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lamina.Summary;
import dev.lamina.layers.Activation;
import dev.lamina.layers.BatchNorm;
import dev.lamina.layers.Conv2d;
import dev.lamina.layers.Dense;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.LayerTypes;
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A residual block (He et al. 2015, "Deep Residual Learning for Image Recognition"):
 * {@code y = activation(x + F(x))}, where {@code F} is the chain of {@code layers}.
 *
 * <p>When {@code F} keeps the shape, the skip path is the identity. When it changes it, the skip
 * path is a learned projection {@code P}: {@code y = activation(P·x + F(x))}. For a (channels,
 * height, width) input {@code P} is a 1×1 convolution (with a bias) whose strides bring height and
 * width to those of {@code F(x)} (stride s gives ceil(in / s)); for any other input it is a dense
 * layer on the last axis, which needs every other axis unchanged.
 *
 * <p>{@code pre_activation: true} gives the ordering of He et al. 2016, "Identity Mappings in Deep
 * Residual Networks" (ResNet v2): {@code y = x + F(activation(BN(x)))}, with no activation after
 * the sum; the batch norm has Keras's defaults (momentum 0.99, epsilon 0.001, channel axis). A
 * projection, when the shape changes, then takes the pre-activated input {@code activation(BN(x))},
 * as Keras's ResNetV2 does.
 *
 * <p>Settings: {@code layers} (required, at least one layer spec, each a bare name or {@code {type:
 * {settings}}}); {@code activation} (defaults to {@code relu}, as in the original ResNet and Keras's
 * ResNet50, where a ReLU follows the addition; with {@code pre_activation} it is the activation
 * before {@code F}); {@code pre_activation} (defaults to false).
 *
 * <p>Input: any shape {@code F} takes; output: the shape of {@code F(x)}. Parameters: those of
 * {@code F}, of the batch norm (with {@code pre_activation}) and of the projection (when needed).
 */
public record Residual(List<LayerSpec> layers, Activation activation, boolean preActivation)
        implements LayerSpec {
    public static final String TYPE = "residual";
    static final Activation RELU = new Activation("relu");

    public Residual {
        if (layers == null || layers.isEmpty()) {
            throw new SpecException(TYPE, "layers", "residual needs at least one layer in 'layers',"
                    + " received layers=" + (layers == null ? "null" : "[]"));
        }
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) == null) {
                throw new SpecException(TYPE, "layers",
                        "expected a layer spec at every index, received layers[" + i + "]=null");
            }
        }
        layers = List.copyOf(layers);
        activation = activation == null ? RELU : activation;
    }

    /** {@code relu(x + F(x))}, F the given layers. */
    public Residual(LayerSpec... layers) {
        this(Arrays.asList(layers), RELU, false);
    }

    /** The given layers, activation by name and ordering. */
    public Residual(List<LayerSpec> layers, String activation, boolean preActivation) {
        this(layers, new Activation(activation), preActivation);
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** The shape after each layer of F, starting with the input (per sample). */
    List<Shape> innerShapes(Shape in) {
        List<Shape> shapes = new ArrayList<>();
        shapes.add(in);
        Shape s = in;
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec l = layers.get(i);
            try {
                s = l.outputShape(s);
            } catch (ShapeException e) {
                throw new ShapeException(TYPE + " layers[" + i + "] (" + l.type()
                        + "): cannot take input of shape " + Summary.shape(s) + ": "
                        + e.getMessage());
            }
            shapes.add(s);
        }
        return shapes;
    }

    @Override
    public Shape outputShape(Shape in) {
        if (preActivation) {
            try {
                new BatchNorm().outputShape(in);
            } catch (ShapeException e) {
                throw new ShapeException(TYPE + " pre-activation batch norm: " + e.getMessage());
            }
        }
        List<Shape> shapes = innerShapes(in);
        Shape out = shapes.get(shapes.size() - 1);
        projection(in, out);
        return out;
    }

    /**
     * The skip path's layer taking {@code in} to {@code out}: null for the identity, a strided 1×1
     * convolution for images, a dense layer otherwise; a ShapeException when none fits.
     */
    static LayerSpec projection(Shape in, Shape out) {
        if (in.equals(out)) {
            return null;
        }
        String change = "the layers change the shape from " + Summary.shape(in) + " to "
                + Summary.shape(out);
        if (in.dimension() == 3 && out.dimension() == 3) {
            List<Integer> strides = new ArrayList<>();
            String[] axes = {"height", "width"};
            for (int a = 1; a <= 2; a++) {
                int s = stride(in.get(a), out.get(a));
                if (s < 0) {
                    throw new ShapeException(change + ", and no 1×1 projection on the skip path"
                            + " can match: stride s turns " + axes[a - 1] + " " + in.get(a)
                            + " into ceil(" + in.get(a) + " / s), never " + out.get(a)
                            + " (use padding 'same' in the layers so that only strides change"
                            + " height and width)");
                }
                strides.add(s);
            }
            return new Conv2d((int) out.get(0), List.of(1, 1), strides, "valid", null,
                    Activation.LINEAR, true, null, null, null, null);
        }
        boolean denseFits = in.dimension() == out.dimension() && in.dimension() >= 1;
        for (int i = 0; denseFits && i < in.dimension() - 1; i++) {
            denseFits = in.get(i) == out.get(i);
        }
        if (!denseFits) {
            throw new ShapeException(change + ", and no projection on the skip path can match:"
                    + " a (channels, height, width) input takes a strided 1×1 convolution, any"
                    + " other a dense layer on the last axis, which needs every other axis"
                    + " unchanged");
        }
        return new Dense((int) out.get(out.dimension() - 1));
    }

    /** The smallest stride s with ceil(in / s) = out, or −1. */
    private static int stride(long in, long out) {
        for (long s = 1; s <= in; s++) {
            long o = (in + s - 1) / s;
            if (o == out) {
                return (int) s;
            }
            if (o < out) {
                break;
            }
        }
        return -1;
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        outputShape(input);
        List<Shape> shapes = innerShapes(input);
        Block norm = preActivation ? new BatchNorm().toBlock(ctx, input) : null;
        List<Block> inner = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            inner.add(layers.get(i).toBlock(ctx, shapes.get(i)));
        }
        LayerSpec p = projection(input, shapes.get(shapes.size() - 1));
        Block proj = p == null ? null : p.toBlock(ctx, input);
        return new ResidualBlock(norm, activation, inner, proj);
    }

    @Override
    public Map<String, Object> config() {
        List<Object> ls = new ArrayList<>();
        for (LayerSpec l : layers) {
            ls.add(l.toMap());
        }
        return Spec.ordered("layers", ls, "activation", activation.toValue(),
                "pre_activation", preActivation);
    }

    /** Reads the settings written by {@link #config()}; nested layers through the layer catalog. */
    public static Residual fromMap(SpecMap m) {
        ConfigNode node = m.get("layers");
        List<LayerSpec> ls = new ArrayList<>();
        if (node != null) {
            for (ConfigNode item : node.asList()) { // a non-list is refused with its position
                ls.add(LayerTypes.parse(item));
            }
        }
        Activation act = m.has("activation") ? Activation.parse(m.get("activation")) : RELU;
        return new Residual(ls, act, m.getBoolean("pre_activation", false));
    }
}
