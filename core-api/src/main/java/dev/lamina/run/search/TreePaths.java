package dev.lamina.run.search;

import dev.lamina.spec.ConfigNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Paths into a run file's YAML tree, as errors write them: {@code model.layers[1].dense.units},
 * {@code compile.optimizer.adam.learning_rate}. Every step but the last must exist in the base
 * file; the last may be a setting the base file leaves at its default (the setting's own check
 * refuses a name it does not know).
 */
final class TreePaths {
    private static final Pattern STEP = Pattern.compile("([A-Za-z0-9_]+)((?:\\[\\d+])*)");

    private TreePaths() {}

    /** A path's steps: keys (String) and list indices (Integer). */
    static List<Object> steps(String path, ConfigNode at) {
        List<Object> out = new ArrayList<>();
        for (String part : path.split("\\.", -1)) {
            Matcher m = STEP.matcher(part);
            if (!m.matches()) {
                throw at.error("expected a path into the base run file such as"
                        + " model.layers[1].dense.units or compile.optimizer.adam.learning_rate,"
                        + " received '" + path + "'");
            }
            out.add(m.group(1));
            Matcher idx = Pattern.compile("\\[(\\d+)]").matcher(m.group(2));
            while (idx.find()) {
                out.add(Integer.parseInt(idx.group(1)));
            }
        }
        return out;
    }

    /**
     * Checks that {@code path} leads somewhere in {@code root}: an error at {@code at} (the
     * search file's line) that names the base file's line of the last step that exists.
     */
    static void check(ConfigNode root, String path, ConfigNode at, String baseFile) {
        ConfigNode node = root;
        List<Object> steps = steps(path, at);
        for (int i = 0; i < steps.size(); i++) {
            Object s = steps.get(i);
            boolean last = i == steps.size() - 1;
            String here = node.path().isEmpty() ? "the top level" : node.path() + " ("
                    + node.where() + ")";
            if (s instanceof String key) {
                if (!node.isMap()) {
                    throw at.error(baseFile + " has no '" + key + "' under " + here + ": it is "
                            + node.describe() + ", not a map of settings");
                }
                ConfigNode next = node.asMap().get(key);
                if (next == null) {
                    if (last && !node.path().isEmpty()) {
                        return; // a setting left at its default; its owner checks the name
                    }
                    throw at.error(baseFile + " has no '" + key + "' under " + here + "."
                            + dev.lamina.spec.Names.didYouMean(key, node.asMap().keySet())
                            + " It has: " + String.join(", ", node.asMap().keySet()));
                }
                node = next;
            } else {
                int idx = (Integer) s;
                if (!node.isList()) {
                    throw at.error(baseFile + ": " + here + " is " + node.describe()
                            + ", not a list: remove [" + idx + "]");
                }
                int n = node.asList().size();
                if (idx >= n) {
                    throw at.error(baseFile + " has no " + node.path() + "[" + idx + "]: "
                            + here + " has " + n + " items, [0] to [" + (n - 1) + "]");
                }
                node = node.asList().get(idx);
            }
        }
    }

    /** A copy of {@code root} with {@code value} at {@code path} (which {@link #check} passed). */
    static ConfigNode with(ConfigNode root, List<Object> steps, ConfigNode value) {
        return with(root, steps, 0, value);
    }

    private static ConfigNode with(ConfigNode node, List<Object> steps, int i, ConfigNode value) {
        if (i == steps.size()) {
            return value;
        }
        Object s = steps.get(i);
        if (s instanceof String key) {
            Map<String, ConfigNode> m = new LinkedHashMap<>(node.asMap());
            ConfigNode child = m.get(key);
            m.put(key, child == null ? value : with(child, steps, i + 1, value));
            return ConfigNode.map(m, node.file(), node.line(), node.path());
        }
        List<ConfigNode> l = new ArrayList<>(node.asList());
        int idx = (Integer) s;
        l.set(idx, with(l.get(idx), steps, i + 1, value));
        return ConfigNode.list(l, node.file(), node.line(), node.path());
    }

    /** The path's node in {@code root}, or null when the last step is absent. */
    static ConfigNode get(ConfigNode root, List<Object> steps) {
        ConfigNode node = root;
        for (Object s : steps) {
            node = s instanceof String k ? node.asMap().get(k) : node.asList().get((Integer) s);
            if (node == null) {
                return null;
            }
        }
        return node;
    }
}
