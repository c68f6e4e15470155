package dev.lamina.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.lamina.engine.Constants;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.Catalog;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.Names;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.List;
import java.util.Map;

/**
 * An element-wise activation, as a layer ({@code activation: relu}) and as the {@code activation}
 * setting of other layers. Names: relu, sigmoid, tanh, softmax (last axis), leaky_relu (alpha,
 * default 0.3 as in Keras), elu (alpha, default 1), selu, gelu (exact, erf form), swish, softplus,
 * linear. Written with basic NDArray operations: the same numbers on every engine.
 */
public record Activation(String activation, double alpha) implements ElementwiseLayer {
    public static final String TYPE = "activation";
    // NAMES must come before LINEAR: the constructor reads it during class initialisation
    static final List<String> NAMES = List.of("relu", "sigmoid", "tanh",
            "softmax", "leaky_relu", "elu", "selu", "gelu", "swish", "softplus", "linear");
    public static final Activation LINEAR = new Activation("linear");
    private static final double SELU_ALPHA = 1.6732632423543772;
    private static final double SELU_SCALE = 1.0507009873554805;

    public Activation {
        if (activation == null || !NAMES.contains(activation)) {
            throw new SpecException(TYPE, "activation", "unknown activation '" + activation + "'."
                    + Names.didYouMean(activation, NAMES)
                    + " Known: " + String.join(", ", NAMES));
        }
        if (Double.isNaN(alpha)) {
            alpha = activation.equals("leaky_relu") ? 0.3 : 1.0;
        }
    }

    /** An activation with its default alpha. */
    public Activation(String activation) {
        this(activation, Double.NaN);
    }

    /** Reads a name ({@code relu}) or a one-key map ({@code {leaky_relu: {alpha: 0.1}}}). */
    public static Activation parse(ConfigNode node) {
        if (node == null || node.isNull()) {
            return LINEAR;
        }
        return CATALOG.parse(node);
    }

    private static final Catalog<Activation> CATALOG = new Catalog<>("activation");

    static {
        for (String n : NAMES) {
            CATALOG.register(n, m -> new Activation(n, m.getDouble("alpha", Double.NaN)));
        }
        CATALOG.shorthand("leaky_relu", "alpha").shorthand("elu", "alpha");
    }

    /** The form written to files: a bare name, or {name: {alpha}} when alpha matters. */
    public Object toValue() {
        if (activation.equals("leaky_relu") || activation.equals("elu")) {
            return Map.of(activation, Map.of("alpha", alpha));
        }
        return activation;
    }

    /** True for {@code linear}, which does nothing. */
    public boolean isLinear() {
        return activation.equals("linear");
    }

    /** Applies the activation. */
    public NDArray apply(NDArray x) {
        switch (activation) {
            case "relu":
                // the engines' fused relu: same numbers as max(x, 0), a fifth of the cost on PyTorch
                return ai.djl.nn.Activation.relu(x);
            case "sigmoid":
                return x.getNDArrayInternal().sigmoid();
            case "tanh":
                return x.tanh();
            case "softmax":
                return x.softmax(-1);
            case "leaky_relu":
                return ai.djl.nn.Activation.leakyRelu(x, (float) alpha);
            case "elu":
                return elu(x, alpha);
            case "selu":
                return Constants.times(elu(x, SELU_ALPHA), (float) SELU_SCALE);
            case "gelu":
                return Constants.times(x.mul(Constants.over(x, (float) Math.sqrt(2)).erf().add(1f)), 0.5f);
            case "swish":
                return x.mul(x.getNDArrayInternal().sigmoid());
            case "softplus":
                // log(1 + exp(x)) written stably: max(x, 0) + log(1 + exp(-|x|))
                return Constants.atLeast(x, 0f).add(x.abs().neg().exp().add(1f).log());
            default:
                return x;
        }
    }

    private static NDArray elu(NDArray x, double alpha) {
        return Constants.atLeast(x, 0f).add(Constants.times(Constants.atMost(x, 0f).exp().sub(1f), (float) alpha));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Block toBlock(BuildContext ctx, Shape input) {
        return FnBlock.elementwise(this::apply);
    }

    @Override
    public Map<String, Object> config() {
        if (activation.equals("leaky_relu") || activation.equals("elu")) {
            return Spec.ordered("activation", activation, "alpha", alpha);
        }
        return Spec.ordered("activation", activation);
    }

    /**
     * Reads {@code activation: {activation: relu}}; {@code activation: relu} is the bare form, and
     * {@code activation: {leaky_relu: {alpha: 0.2}}} the form a layer's own setting takes.
     */
    static Activation fromMap(SpecMap m) {
        var keys = m.node().asMap().keySet();
        if (!m.has("activation") && keys.size() == 1) {
            String name = keys.iterator().next();
            if (CATALOG.contains(name)) {
                m.get(name); // read here: the whole map is the activation
                return parse(m.node());
            }
        }
        ConfigNode a = m.require("activation");
        Activation base = parse(a);
        return new Activation(base.activation(), m.getDouble("alpha", base.alpha()));
    }
}
