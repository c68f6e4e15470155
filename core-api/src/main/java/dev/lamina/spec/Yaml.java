package dev.lamina.spec;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads YAML into {@link ConfigNode}s that remember their line, with SnakeYAML Engine's composer
 * (YAML 1.2 core schema: {@code 1e-3}, {@code true}, {@code null} are typed). Syntax errors,
 * duplicate keys and non-text keys become {@link ConfigException}s with the file and line.
 */
public final class Yaml {
    /** The most nodes a file may expand to (aliases included): a run file has a few hundred. */
    static final int MAX_NODES = 100_000;
    /** The deepest nesting of maps and lists a file may have. */
    static final int MAX_DEPTH = 64;
    /** The largest file read, in characters. */
    static final int MAX_CHARS = 4 << 20;

    private Yaml() {}

    /** Reads a YAML file. */
    public static ConfigNode read(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new NoSuchFileException(file.toString(), null, "is a directory: give a run"
                    + " file in it, such as " + file.resolve("lenet.yaml"));
        }
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(r, file.toString());
        } catch (MalformedInputException e) {
            throw new ConfigException(file.toString(), "", "is not UTF-8 text");
        }
    }

    /**
     * Writes plain Java values (maps, lists, strings, numbers, booleans) as YAML text, in blocks,
     * with lists and maps of plain values in flow style ({@code input: [3, 224, 224]}), as a run
     * file is written by hand. {@link #read(String, String)} reads it back.
     */
    public static String write(Object plain) {
        DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.AUTO).setDereferenceAliases(true)
                .setWidth(100).build();
        return new Dump(settings).dumpToString(plain);
    }

    /** Reads YAML text; {@code label} names it in errors. */
    public static ConfigNode read(String text, String label) {
        try {
            return read(new StringReader(text), label);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ConfigNode read(Reader reader, String label) throws IOException {
        // bounded: aliases may not refer to their own ancestors, and the file, its aliases and
        // its nesting have limits, so a small hostile file cannot take the memory or the stack
        LoadSettings settings = LoadSettings.builder().setLabel(label).setSchema(new CoreSchema())
                .setAllowDuplicateKeys(false).setAllowRecursiveKeys(false)
                .setMaxAliasesForCollections(50).setCodePointLimit(MAX_CHARS).build();
        Optional<Node> root;
        try {
            root = new Compose(settings).composeReader(reader);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
            String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
            throw new ConfigException(line > 0 ? label + ":" + line : label, "",
                    "YAML syntax error: " + e.getProblem() + context);
        } catch (YamlEngineException e) {
            throw new ConfigException(label, "", "YAML error: " + e.getMessage());
        } catch (StackOverflowError e) {
            throw new ConfigException(label, "", "the file nests too deeply to read");
        }
        if (root.isEmpty()) {
            throw new ConfigException(label, "", "the file is empty");
        }
        return new Converter(label).convert(root.get(), "", 0);
    }

    private static int line(Node n) {
        return n.getStartMark().map(Mark::getLine).orElse(-1) + 1;
    }

    /** Turns composed nodes into ConfigNodes, counting what aliases expand to. */
    private static final class Converter {
        private final String file;
        private final IdentityHashMap<Node, Boolean> open = new IdentityHashMap<>();
        private int nodes;

        Converter(String file) {
            this.file = file;
        }

        ConfigNode convert(Node n, String path, int depth) {
            int line = line(n);
            if (++nodes > MAX_NODES) {
                throw new ConfigException(file + ":" + line, path, "the file expands to more than "
                        + MAX_NODES + " values (aliases repeat what they name): write it out"
                        + " plainly");
            }
            if (depth > MAX_DEPTH) {
                throw new ConfigException(file + ":" + line, path, "nested more than " + MAX_DEPTH
                        + " levels deep");
            }
            if (open.put(n, Boolean.TRUE) != null) {
                throw new ConfigException(file + ":" + line, path, "an alias refers to a value"
                        + " that contains it");
            }
            try {
                return convertOpen(n, path, depth, line);
            } finally {
                open.remove(n);
            }
        }

        private ConfigNode convertOpen(Node n, String path, int depth, int line) {
            if (n instanceof MappingNode m) {
                Map<String, ConfigNode> out = new LinkedHashMap<>();
                for (NodeTuple t : m.getValue()) {
                    Node k = t.getKeyNode();
                    if (!(k instanceof ScalarNode ks)) {
                        throw new ConfigException(file + ":" + line(k), path,
                                "a key must be a name");
                    }
                    String key = ks.getValue();
                    if (out.containsKey(key)) {
                        throw new ConfigException(file + ":" + line(k), ConfigNode.join(path, key),
                                "duplicate key '" + key + "' (first at line "
                                        + out.get(key).line() + ")");
                    }
                    out.put(key, convert(t.getValueNode(), ConfigNode.join(path, key),
                            depth + 1));
                }
                return ConfigNode.map(out, file, line, path);
            }
            if (n instanceof SequenceNode s) {
                List<ConfigNode> out = new ArrayList<>();
                List<Node> items = s.getValue();
                for (int i = 0; i < items.size(); i++) {
                    out.add(convert(items.get(i), path + "[" + i + "]", depth + 1));
                }
                return ConfigNode.list(out, file, line, path);
            }
            ScalarNode sc = (ScalarNode) n;
            return ConfigNode.scalar(scalar(sc, file, path), file, line, path);
        }
    }

    private static Object scalar(ScalarNode s, String file, String path) {
        String v = s.getValue();
        Tag tag = s.getTag();
        try {
            if (Tag.NULL.equals(tag)) {
                return null;
            }
            if (Tag.BOOL.equals(tag)) {
                return Boolean.parseBoolean(v.toLowerCase(Locale.ROOT));
            }
            if (Tag.INT.equals(tag)) {
                String t = v.replace("_", "");
                long x = t.startsWith("0x") ? Long.parseLong(t.substring(2), 16)
                        : t.startsWith("0o") ? Long.parseLong(t.substring(2), 8) : Long.parseLong(t);
                return x >= Integer.MIN_VALUE && x <= Integer.MAX_VALUE ? (Object) (int) x : x;
            }
            if (Tag.FLOAT.equals(tag)) {
                String t = v.toLowerCase(Locale.ROOT);
                if (t.endsWith(".inf")) {
                    return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                }
                if (t.equals(".nan")) {
                    return Double.NaN;
                }
                return Double.parseDouble(v);
            }
        } catch (NumberFormatException e) {
            throw new ConfigException(file + ":" + line(s), path, "cannot read '" + v + "' as a number");
        }
        return v;
    }
}
