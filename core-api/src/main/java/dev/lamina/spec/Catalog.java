package dev.lamina.spec;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Type names to parsers for one family of specs (layers, optimizers, losses, ...). Parses the two
 * forms a file may use: a bare name ({@code flatten}, {@code adam}) or a one-key map
 * ({@code {dense: {units: 10}}}). Unknown names are refused with a "did you mean".
 *
 * @param <T> the spec family
 */
public final class Catalog<T> {
    private final String family;
    private final Map<String, Function<SpecMap, T>> parsers = new TreeMap<>();
    private final Map<String, String> shorthands = new TreeMap<>();

    /** {@code family} is used in messages: "unknown optimizer 'adm'". */
    public Catalog(String family) {
        this.family = family;
    }

    /** Adds a type; a second registration of the same name replaces the first. */
    public synchronized Catalog<T> register(String type, Function<SpecMap, T> parser) {
        parsers.put(type, parser);
        return this;
    }

    /**
     * Lets {@code type} take its main setting as a plain value, as Keras users write it:
     * {@code {l2: 0.0001}} for {@code {l2: {l2: 0.0001}}}, {@code {dropout: 0.3}} for {@code
     * {dropout: {rate: 0.3}}}.
     */
    public synchronized Catalog<T> shorthand(String type, String setting) {
        shorthands.put(type, setting);
        return this;
    }

    /** The types that take a plain value, each with the setting it stands for. */
    public synchronized Map<String, String> shorthands() {
        return Collections.unmodifiableMap(new TreeMap<>(shorthands));
    }

    /** The known type names, sorted. */
    public synchronized Set<String> names() {
        return Collections.unmodifiableSet(new TreeSet<>(parsers.keySet()));
    }

    /** True when {@code type} is known. */
    public synchronized boolean contains(String type) {
        return parsers.containsKey(type);
    }

    /** Parses a bare name or a one-key map. */
    public T parse(ConfigNode node) {
        if (node == null || node.isNull()) {
            throw new ConfigException("", family, "expected a " + family + ", got nothing");
        }
        if (node.isScalar()) {
            return parse(node.asString(), null, node);
        }
        Map<String, ConfigNode> m = node.asMap();
        if (m.size() != 1) {
            throw node.error("expected one " + family + " as {type: {settings}}, got keys " + m.keySet());
        }
        Map.Entry<String, ConfigNode> e = m.entrySet().iterator().next();
        return parse(e.getKey(), e.getValue(), node);
    }

    /** Parses a plain Java value (a name or a one-key map). */
    public T parse(Object plain) {
        return parse(ConfigNode.of(plain, null, family));
    }

    /** Parses {@code type} with settings {@code settings} (may be null); {@code at} locates errors. */
    public T parse(String type, ConfigNode settings, ConfigNode at) {
        Function<SpecMap, T> parser;
        String main;
        synchronized (this) {
            parser = parsers.get(type);
            main = shorthands.get(type);
        }
        if (parser == null) {
            throw at.error("unknown " + family + " '" + type + "'." + Names.didYouMean(type, names())
                    + " Known: " + String.join(", ", names()));
        }
        if (settings != null && settings.isScalar() && !settings.isNull()) {
            if (main == null) {
                throw settings.error("expected the settings of '" + type + "' as a map, such as {"
                        + type + ": {...}}; a plain value stands for the main setting only of "
                        + String.join(", ", shorthands().keySet().isEmpty() ? Set.of("no type")
                                : shorthands().keySet()));
            }
            settings = ConfigNode.map(Map.of(main, settings), settings.file(), settings.line(),
                    settings.path());
        }
        SpecMap map = new SpecMap(type, settings);
        return map.build(() -> parser.apply(map));
    }
}
