package dev.lamina.spec;

import java.util.ServiceLoader;

/** The registry of layer types by name, filled from every {@link LayerProvider} on the class path. */
public final class Layers {
    private static volatile Catalog<LayerSpec> catalog;

    private Layers() {}

    /** The catalog of layer types (loaded once). */
    public static Catalog<LayerSpec> catalog() {
        Catalog<LayerSpec> c = catalog;
        if (c == null) {
            synchronized (Layers.class) {
                if (catalog == null) {
                    Catalog<LayerSpec> fresh = new Catalog<>("layer type");
                    for (LayerProvider p : ServiceLoader.load(LayerProvider.class,
                            Layers.class.getClassLoader())) {
                        p.register(fresh);
                    }
                    catalog = fresh;
                }
                c = catalog;
            }
        }
        return c;
    }

    /** Parses a layer: a bare type name or {@code {type: {settings}}}. */
    public static LayerSpec parse(ConfigNode node) {
        return catalog().parse(node);
    }
}
