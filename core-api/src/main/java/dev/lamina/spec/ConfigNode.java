package dev.lamina.spec;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A value read from a YAML or JSON file (or built in Java), with where it came from.
 *
 * <p>A node is a scalar (String, Number, Boolean or null), a map of nodes or a list of nodes. Its
 * {@link #where()} names the file and line when the node came from a file, so every error about a
 * setting can point at it; {@link #path()} is the field path from the root, such as
 * {@code model.layers[2].dense.units}.
 */
public final class ConfigNode {
    private final Object value; // scalar, Map<String, ConfigNode> or List<ConfigNode>
    private final String file;
    private final int line; // 1-based, 0 when unknown
    private final String path;

    private ConfigNode(Object value, String file, int line, String path) {
        this.value = value;
        this.file = file;
        this.line = line;
        this.path = path;
    }

    /** A scalar node read from {@code file} at {@code line}. */
    public static ConfigNode scalar(Object value, String file, int line, String path) {
        return new ConfigNode(value, file, line, path);
    }

    /** A map node; the map keeps the order of the file. */
    public static ConfigNode map(Map<String, ConfigNode> map, String file, int line, String path) {
        return new ConfigNode(Collections.unmodifiableMap(new LinkedHashMap<>(map)), file, line, path);
    }

    /** A list node. */
    public static ConfigNode list(List<ConfigNode> list, String file, int line, String path) {
        return new ConfigNode(List.copyOf(list), file, line, path);
    }

    /**
     * Wraps a plain Java value (maps, lists, scalars, as Jackson or a user builds them) with no
     * file position.
     */
    public static ConfigNode of(Object plain) {
        return of(plain, null, "");
    }

    /** Wraps a plain Java value read from {@code file} (lines unknown, as for JSON). */
    public static ConfigNode of(Object plain, String file, String path) {
        if (plain instanceof ConfigNode node) {
            return node;
        }
        if (plain instanceof Map<?, ?> m) {
            Map<String, ConfigNode> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String key = String.valueOf(e.getKey());
                out.put(key, of(e.getValue(), file, join(path, key)));
            }
            return map(out, file, 0, path);
        }
        if (plain instanceof List<?> l) {
            List<ConfigNode> out = new ArrayList<>();
            for (int i = 0; i < l.size(); i++) {
                out.add(of(l.get(i), file, path + "[" + i + "]"));
            }
            return list(out, file, 0, path);
        }
        if (plain instanceof int[] a) {
            List<Object> l = new ArrayList<>();
            for (int v : a) {
                l.add(v);
            }
            return of(l, file, path);
        }
        return scalar(plain, file, 0, path);
    }

    /** Joins a parent path and a key: {@code model} + {@code layers} = {@code model.layers}. */
    public static String join(String parent, String key) {
        return parent == null || parent.isEmpty() ? key : parent + "." + key;
    }

    /** True for a map node. */
    public boolean isMap() {
        return value instanceof Map;
    }

    /** True for a list node. */
    public boolean isList() {
        return value instanceof List;
    }

    /** True for a scalar node (including null). */
    public boolean isScalar() {
        return !isMap() && !isList();
    }

    /** True when the node holds YAML's null (or nothing). */
    public boolean isNull() {
        return value == null;
    }

    /** The map of a map node, or an error naming the field. */
    @SuppressWarnings("unchecked")
    public Map<String, ConfigNode> asMap() {
        if (!isMap()) {
            throw error("expected a map of settings, got " + describe());
        }
        return (Map<String, ConfigNode>) value;
    }

    /** The items of a list node, or an error naming the field. */
    @SuppressWarnings("unchecked")
    public List<ConfigNode> asList() {
        if (!isList()) {
            throw error("expected a list, got " + describe());
        }
        return (List<ConfigNode>) value;
    }

    /** The scalar value as it was read (String, Number, Boolean or null). */
    public Object scalarValue() {
        if (!isScalar()) {
            throw error("expected a single value, got " + describe());
        }
        return value;
    }

    /** A string, or an error naming the field. */
    public String asString() {
        Object v = scalarValue();
        if (v instanceof String s) {
            return s;
        }
        throw error("expected a name (text), got " + describe());
    }

    /** An integer, or an error naming the field. */
    public int asInt() {
        long v = asLong();
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw error("expected an integer, got " + describe());
        }
        return (int) v;
    }

    /** A long integer, or an error naming the field. */
    public long asLong() {
        Object v = scalarValue();
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
                || v instanceof BigInteger) {
            return ((Number) v).longValue();
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && !Double.isInfinite(n.doubleValue())) {
            return n.longValue();
        }
        throw error("expected an integer, got " + describe());
    }

    /** A number, or an error naming the field. */
    public double asDouble() {
        Object v = scalarValue();
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw error("expected a number, got " + describe());
    }

    /** A boolean ({@code true}/{@code false}), or an error naming the field. */
    public boolean asBoolean() {
        Object v = scalarValue();
        if (v instanceof Boolean b) {
            return b;
        }
        throw error("expected true or false, got " + describe());
    }

    /** The plain Java value: maps, lists and scalars, positions dropped. */
    public Object toPlain() {
        if (isMap()) {
            Map<String, Object> out = new LinkedHashMap<>();
            asMap().forEach((k, v) -> out.put(k, v.toPlain()));
            return out;
        }
        if (isList()) {
            List<Object> out = new ArrayList<>();
            asList().forEach(v -> out.add(v.toPlain()));
            return out;
        }
        return value;
    }

    /** The file this node came from, or null. */
    public String file() {
        return file;
    }

    /** The 1-based line, or 0 when unknown. */
    public int line() {
        return line;
    }

    /** The field path from the root of the file. */
    public String path() {
        return path;
    }

    /** "file:line" when known, else the file, else empty. */
    public String where() {
        if (file == null) {
            return "";
        }
        return line > 0 ? file + ":" + line : file;
    }

    /**
     * Refuses a key of this map that is not in {@code keys}: the one check every settings map
     * goes through. The error is at the key's line: "{@code subject} has no setting 'k'. Did you
     * mean ...? {@code settings}" ("unknown setting 'k'..." when {@code subject} is null).
     */
    public void allowKeys(String subject, Collection<String> keys, String settings) {
        for (Map.Entry<String, ConfigNode> e : asMap().entrySet()) {
            String k = e.getKey();
            if (!keys.contains(k)) {
                ConfigNode bad = e.getValue();
                throw new ConfigException(bad.where().isEmpty() ? where() : bad.where(),
                        bad.path(), (subject == null ? "unknown setting '" + k + "'."
                                : subject + " has no setting '" + k + "'.")
                                + Names.didYouMean(k, keys) + " " + settings);
            }
        }
    }

    /** An error about this node: the message gets the file, line and field. */
    public ConfigException error(String message) {
        return new ConfigException(where(), path, message);
    }

    /** A short description of the value for error messages, such as {@code 'ten' (text)}. */
    public String describe() {
        if (value == null) {
            return "nothing (null)";
        }
        if (isMap()) {
            return "a map " + asMap().keySet();
        }
        if (isList()) {
            return "a list of " + asList().size();
        }
        if (value instanceof String s) {
            return "'" + s + "' (text)";
        }
        if (value instanceof Boolean) {
            return value + " (true/false)";
        }
        return String.valueOf(value);
    }

    @Override
    public String toString() {
        return String.valueOf(toPlain());
    }
}
