package dev.lamina.spec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The settings of one spec (a layer, an optimizer, ...) as read from a file or a Java map. Each
 * getter marks its key as used; {@link #finish()} refuses keys nobody asked for, naming them with a
 * "did you mean". Every error names the file, line and field.
 */
public final class SpecMap {
    private final String type;
    private final ConfigNode node; // a map node (possibly empty)
    private final Set<String> used = new LinkedHashSet<>();

    /** Settings of a spec of {@code type}; {@code node} is a map node or null for none. */
    public SpecMap(String type, ConfigNode node) {
        this.type = type;
        if (node == null || node.isNull()) {
            this.node = ConfigNode.map(Map.of(), null, 0, type);
        } else {
            node.asMap(); // refuses a non-map with the position
            this.node = node;
        }
    }

    /** Settings from a plain Java map. */
    public static SpecMap of(String type, Map<String, ?> settings) {
        return new SpecMap(type, ConfigNode.of(settings, null, type));
    }

    /** The spec's type name. */
    public String type() {
        return type;
    }

    /** The node holding these settings (for its position). */
    public ConfigNode node() {
        return node;
    }

    /** True when the key is present (marks it used). */
    public boolean has(String key) {
        used.add(key);
        return node.asMap().containsKey(key) && !node.asMap().get(key).isNull();
    }

    /** The raw node of a key, or null (marks it used). */
    public ConfigNode get(String key) {
        used.add(key);
        ConfigNode v = node.asMap().get(key);
        return v == null || v.isNull() ? null : v;
    }

    /** A required setting's node, or an error that names it. */
    public ConfigNode require(String key) {
        ConfigNode v = get(key);
        if (v == null) {
            // a misspelt required key reads better as "no setting 'unit'. Did you mean 'units'?"
            for (Map.Entry<String, ConfigNode> e : node.asMap().entrySet()) {
                if (!used.contains(e.getKey())
                        && Names.closest(e.getKey(), List.of(key)) != null) {
                    ConfigNode bad = e.getValue();
                    throw new ConfigException(bad.where().isEmpty() ? node.where() : bad.where(),
                            bad.path(), "'" + type + "' has no setting '" + e.getKey()
                                    + "'. Did you mean '" + key + "'?");
                }
            }
            throw node.error("'" + type + "' needs the setting '" + key + "'");
        }
        return v;
    }

    /** A required integer. */
    public int requireInt(String key) {
        return require(key).asInt();
    }

    /** An integer or its default. */
    public int getInt(String key, int dflt) {
        ConfigNode v = get(key);
        return v == null ? dflt : v.asInt();
    }

    /** A number or its default. */
    public double getDouble(String key, double dflt) {
        ConfigNode v = get(key);
        return v == null ? dflt : v.asDouble();
    }

    /** A required number. */
    public double requireDouble(String key) {
        return require(key).asDouble();
    }

    /** A string or its default. */
    public String getString(String key, String dflt) {
        ConfigNode v = get(key);
        return v == null ? dflt : v.asString();
    }

    /**
     * One of {@code choices}, or {@code dflt} when absent; anything else is refused with the
     * choices and a "did you mean".
     */
    public String getChoice(String key, String dflt, String... choices) {
        ConfigNode v = get(key);
        if (v == null) {
            return dflt;
        }
        String s = v.asString();
        if (!List.of(choices).contains(s)) {
            throw v.error("expected one of " + String.join(", ", choices) + ", received " + key
                    + "=" + s + "." + Names.didYouMean(s, List.of(choices)));
        }
        return s;
    }

    /** A boolean or its default. */
    public boolean getBoolean(String key, boolean dflt) {
        ConfigNode v = get(key);
        return v == null ? dflt : v.asBoolean();
    }

    /**
     * An int or a list of {@code n} ints (Keras's {@code kernel_size: 3} or {@code [3, 3]}); a single
     * int is repeated. Returns {@code dflt} when absent.
     */
    public int[] getInts(String key, int n, int[] dflt) {
        ConfigNode v = get(key);
        if (v == null) {
            return dflt;
        }
        return ints(v, n);
    }

    /** Reads an int or a list of {@code n} ints from a node. */
    public static int[] ints(ConfigNode v, int n) {
        if (v.isList()) {
            List<ConfigNode> items = v.asList();
            if (items.size() != n) {
                throw v.error("expected " + n + " integers, got " + items.size());
            }
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                out[i] = items.get(i).asInt();
            }
            return out;
        }
        int x = v.asInt();
        int[] out = new int[n];
        Arrays.fill(out, x);
        return out;
    }

    /** A list of ints of any length, or {@code dflt}. */
    public int[] getIntList(String key, int[] dflt) {
        ConfigNode v = get(key);
        if (v == null) {
            return dflt;
        }
        List<ConfigNode> items = v.asList();
        int[] out = new int[items.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = items.get(i).asInt();
        }
        return out;
    }

    /**
     * Refuses settings that no getter asked for: "'dense' has no setting 'unit'. Did you mean
     * 'units'? Settings of 'dense': ...".
     */
    public void finish() {
        node.allowKeys("'" + type + "'", used, "Settings of '" + type + "': "
                + String.join(", ", used));
    }

    /**
     * Runs a spec constructor over these settings: a {@link SpecException} it throws becomes a
     * {@link ConfigException} at the offending setting's line; unknown keys are refused.
     */
    public <T> T build(Supplier<T> constructor) {
        T out;
        try {
            out = constructor.get();
        } catch (SpecException e) {
            ConfigNode at = node.asMap().get(e.setting());
            ConfigNode where = at == null ? node : at;
            throw new ConfigException(where.where(),
                    at == null ? node.path() : at.path(), e.detail());
        }
        finish();
        return out;
    }
}
