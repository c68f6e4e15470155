package dev.lamina.spec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Something named by a type and its settings, written to YAML/JSON as {@code {type: settings}}:
 * layers, optimizers, losses, metrics, initializers, regularizers.
 */
public interface Spec {
    /** The snake_case type name users type, such as {@code dense} or {@code adam}. */
    String type();

    /** The settings, with Keras's names, in a stable order; the inverse of the catalog's parser. */
    Map<String, Object> config();

    /** {@code {type: config}}, the form written to files. */
    default Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(type(), config());
        return out;
    }

    /** A small helper: an ordered map from alternating keys and values. */
    static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            Object v = keysAndValues[i + 1];
            if (v != null) {
                out.put((String) keysAndValues[i], v instanceof Spec s ? s.toMap() : v);
            }
        }
        return out;
    }
}
