package dev.lamina;

import dev.lamina.spec.Catalog;
import dev.lamina.spec.ConfigNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The registry of named models ({@code model: {zoo: NAME, ...}}), filled from every {@link
 * ModelProvider} on the class path.
 */
public final class NamedModels {
    /** The key of the {@code model:} section that names a model of the zoo. */
    public static final String KEY = "zoo";

    private static volatile Catalog<Model> catalog;

    private NamedModels() {}

    /** The catalog of named models (loaded once). */
    public static Catalog<Model> catalog() {
        Catalog<Model> c = catalog;
        if (c == null) {
            synchronized (NamedModels.class) {
                if (catalog == null) {
                    Catalog<Model> fresh = new Catalog<>("zoo model");
                    for (ModelProvider p : ServiceLoader.load(ModelProvider.class,
                            NamedModels.class.getClassLoader())) {
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
     * Reads {@code {zoo: NAME, setting: value, ...}}: the named model, made with the settings beside
     * {@code zoo} (unknown names and settings are refused at their line, with a "did you mean").
     */
    static Model read(ConfigNode node) {
        Map<String, ConfigNode> m = node.asMap();
        ConfigNode zoo = m.get(KEY);
        if (zoo == null || zoo.isNull() || !zoo.isScalar()) {
            throw (zoo == null ? node : zoo).error("'zoo' names a model of the zoo, such as"
                    + " {zoo: vgg11, classes: 10, input: [1, 32, 32]}");
        }
        String name = zoo.asString();
        Catalog<Model> c = catalog();
        if (c.names().isEmpty()) {
            throw zoo.error("unknown zoo model '" + name + "': no zoo is on the class path (the"
                    + " zoo is the lamina-zoo module, which the lamina command includes; add it to"
                    + " your dependencies)");
        }
        Map<String, ConfigNode> rest = new LinkedHashMap<>(m);
        rest.remove(KEY);
        return c.parse(name, ConfigNode.map(rest, node.file(), node.line(), node.path()), zoo);
    }
}
