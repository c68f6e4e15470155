package dev.lamina.initializers;

import dev.lamina.spec.Catalog;
import dev.lamina.spec.ConfigNode;

/** The initializers by the names Keras users type. */
public final class Initializers {
    /** Name to parser. */
    public static final Catalog<InitializerSpec> CATALOG = new Catalog<>("initializer");

    static {
        CATALOG.register("zeros", m -> Constant.ZEROS);
        CATALOG.register("ones", m -> Constant.ONES);
        CATALOG.register("constant", m -> Constant.of(m.getDouble("value", 0)));
        CATALOG.register(GlorotUniform.TYPE, m -> new GlorotUniform());
    }

    private Initializers() {}

    /** Parses a name or {@code {name: {settings}}}; null gives {@code dflt}. */
    public static InitializerSpec parse(ConfigNode node, InitializerSpec dflt) {
        return node == null || node.isNull() ? dflt : CATALOG.parse(node);
    }

    /** Parses a plain name or map, as Java users write {@code "he_normal"}. */
    public static InitializerSpec of(Object nameOrMap) {
        return nameOrMap instanceof InitializerSpec s ? s : CATALOG.parse(nameOrMap);
    }
}
