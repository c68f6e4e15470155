package dev.lamina.spec;

import java.util.Map;
import java.util.ServiceLoader;

/** The registry of layer types by name, filled from every {@link LayerProvider} on the class path. */
public final class LayerTypes {
    private static volatile Catalog<LayerSpec> catalog;

    private LayerTypes() {}

    /** The catalog of layer types (loaded once). */
    public static Catalog<LayerSpec> catalog() {
        Catalog<LayerSpec> c = catalog;
        if (c == null) {
            synchronized (LayerTypes.class) {
                if (catalog == null) {
                    Catalog<LayerSpec> fresh = new Catalog<>("layer type");
                    for (LayerProvider p : ServiceLoader.load(LayerProvider.class,
                            LayerTypes.class.getClassLoader())) {
                        p.register(fresh);
                    }
                    catalog = fresh;
                }
                c = catalog;
            }
        }
        return c;
    }

    /**
     * Parses a layer: a bare type name or {@code {type: {settings}}}; {@code {activation: relu}}
     * is read as the activation layer {@code {activation: {activation: relu}}}, as Keras users
     * write it.
     */
    public static LayerSpec parse(ConfigNode node) {
        if (node != null && node.isMap() && node.asMap().size() == 1) {
            ConfigNode a = node.asMap().get("activation");
            if (a != null && a.isScalar() && !a.isNull()) {
                return catalog().parse(ConfigNode.map(Map.of("activation",
                        ConfigNode.map(Map.of("activation", a), a.file(), a.line(),
                                a.path())), node.file(), node.line(), node.path()));
            }
        }
        return catalog().parse(node);
    }
}
