package dev.lamina.run.search;

import dev.lamina.metrics.MetricSpec;
import dev.lamina.run.RunConfig;
import dev.lamina.spec.ConfigException;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.Yaml;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A search file: a base run file, a space of values bound to paths in it, a strategy, an
 * objective, how many trials run at once and where they run.
 *
 * <pre>
 * base: examples/mlp.yaml                      # relative to the working directory, as load:
 * strategy: {random: {trials: 12, seed: 1}}    # or {grid: {points: 3}}
 * objective: {metric: val_accuracy, direction: max}
 * parallel: 2                                  # trials at once (default 1)
 * executor: local                              # or {spark: {master: "local[2]"}}
 * space:
 *   compile.optimizer.adam.learning_rate: {log_uniform: [0.0001, 0.01]}
 *   model.layers[1].dense.units: {choice: [64, 128, 256]}
 * </pre>
 *
 * Everything is checked when the file is read, each trial's run file included (its model and
 * optimizer are made, not trained): a path the base file lacks, or a value a setting refuses, is
 * an error at the search file's line, before any trial runs.
 */
public record SearchConfig(Path file, Path base, ConfigNode baseRoot, Map<String, Space> space,
        Map<String, ConfigNode> spaceNodes, Strategy strategy, Objective objective, int parallel,
        String executor, ConfigNode executorSettings, List<Trial> trials) {

    private static final List<String> KEYS = List.of("base", "strategy", "objective", "parallel",
            "executor", "space");

    public SearchConfig {
        space = Collections.unmodifiableMap(new LinkedHashMap<>(space));
        spaceNodes = Collections.unmodifiableMap(new LinkedHashMap<>(spaceNodes));
        trials = List.copyOf(trials);
    }

    /** Reads and checks a search file and the base run file it names. */
    public static SearchConfig read(Path file) throws IOException {
        return parse(Yaml.read(file), file);
    }

    /** Checks a parsed search file; the base file is read from disk. */
    public static SearchConfig parse(ConfigNode root, Path file) throws IOException {
        root.allowKeys(null, KEYS, "A search file has: " + String.join(", ", KEYS));
        Map<String, ConfigNode> m = root.asMap();
        ConfigNode baseNode = require(root, m, "base", "examples/mlp.yaml");
        Path base = Path.of(baseNode.asString());
        ConfigNode baseRoot;
        RunConfig baseConfig;
        try {
            baseRoot = Yaml.read(base);
        } catch (NoSuchFileException e) {
            throw baseNode.error("cannot read the base run file " + e.getFile() + ": "
                    + (e.getReason() == null ? "no such file" : e.getReason())
                    + " (a path relative to the working directory)");
        }
        baseConfig = RunConfig.parse(baseRoot, base);

        Strategy strategy = strategy(require(root, m, "strategy",
                "{random: {trials: 12, seed: 1}} or {grid: {points: 3}}"));
        ConfigNode objNode = require(root, m, "objective", "{metric: val_accuracy, direction: max}");
        Objective objective = Objective.parse(objNode);
        checkMetric(objective, objNode.asMap().get("metric"), baseConfig);
        int parallel = 1;
        if (m.containsKey("parallel")) {
            parallel = m.get("parallel").asInt();
            if (parallel < 1) {
                throw m.get("parallel").error("expected a positive number of trials at once,"
                        + " received parallel=" + parallel);
            }
        }
        String executor = "local";
        ConfigNode settings = ConfigNode.of(Map.of());
        ConfigNode ex = m.get("executor");
        if (ex != null && !ex.isNull()) {
            if (ex.isScalar()) {
                executor = ex.asString();
            } else if (ex.isMap() && ex.asMap().size() == 1) {
                executor = ex.asMap().keySet().iterator().next();
                settings = ex.asMap().get(executor);
                if (settings.isNull()) {
                    settings = ConfigNode.map(Map.of(), ex.file(), ex.line(), ex.path());
                }
            } else {
                throw ex.error("executor is local, or one executor with its settings, such as"
                        + " {spark: {master: \"local[2]\"}}; got " + ex.describe());
            }
            if (executor.equals("local") && !(settings.isMap() && settings.asMap().isEmpty())) {
                throw settings.error("the local executor has no settings: write executor: local"
                        + " (parallel: N says how many trials run at once)");
            }
        }

        ConfigNode spaceNode = require(root, m, "space",
                "{compile.optimizer.adam.learning_rate: {log_uniform: [0.0001, 0.01]}}");
        Map<String, Space> space = new LinkedHashMap<>();
        Map<String, ConfigNode> nodes = new LinkedHashMap<>();
        if (spaceNode.asMap().isEmpty()) {
            throw spaceNode.error("the space is empty: bind at least one path of the base file,"
                    + " such as compile.optimizer.adam.learning_rate: {log_uniform: [0.0001, 0.01]}");
        }
        for (Map.Entry<String, ConfigNode> e : spaceNode.asMap().entrySet()) {
            TreePaths.check(baseRoot, e.getKey(), e.getValue(), base.toString());
            space.put(e.getKey(), Space.parse(e.getValue()));
            nodes.put(e.getKey(), e.getValue());
        }
        List<Trial> trials = new ArrayList<>();
        List<Map<String, Object>> drawn = strategy.trials(space);
        for (int i = 0; i < drawn.size(); i++) {
            trials.add(resolve(i + 1, drawn.get(i), baseRoot, base, nodes));
        }
        return new SearchConfig(file, base, baseRoot, space, nodes, strategy, objective, parallel,
                executor, settings, trials);
    }

    /**
     * The base file's tree with {@code values} at their paths: each value carries the search
     * file's line of its space, so a setting that refuses it is reported there.
     */
    public ConfigNode resolve(Map<String, Object> values) {
        return tree(values, baseRoot, spaceNodes);
    }

    private static ConfigNode tree(Map<String, Object> values, ConfigNode baseRoot,
            Map<String, ConfigNode> nodes) {
        ConfigNode tree = baseRoot;
        for (Map.Entry<String, Object> e : values.entrySet()) {
            ConfigNode at = nodes.get(e.getKey());
            List<Object> steps = TreePaths.steps(e.getKey(), at);
            ConfigNode v = ConfigNode.scalar(e.getValue(), at.file(), at.line(), e.getKey());
            tree = TreePaths.with(tree, steps, v);
        }
        return tree;
    }

    private static Trial resolve(int number, Map<String, Object> values, ConfigNode baseRoot,
            Path base, Map<String, ConfigNode> nodes) {
        ConfigNode tree = tree(values, baseRoot, nodes);
        try {
            // the model and optimizer are made (not trained): every setting's own check runs
            RunConfig.parse(tree, base);
        } catch (ConfigException e) {
            throw new ConfigException(e.where(), e.field(), e.detail() + " (trial " + number
                    + " of the search: " + describe(values) + ")");
        }
        return new Trial(number, values, Yaml.write(tree.toPlain()));
    }

    /** {@code path=value, ...}, as trials are named in messages. */
    static String describe(Map<String, Object> values) {
        List<String> out = new ArrayList<>();
        values.forEach((k, v) -> out.add(k + "=" + TrialsCsv.format(v)));
        return String.join(", ", out);
    }

    private static Strategy strategy(ConfigNode node) {
        List<String> kinds = List.of("grid", "random");
        if (!node.isMap() || node.asMap().size() != 1) {
            throw node.error("strategy is {random: {trials: N, seed: S}} or {grid: {points: N}},"
                    + " got " + node.describe());
        }
        node.allowKeys("strategy", kinds, "Strategies: grid, random");
        String kind = node.asMap().keySet().iterator().next();
        ConfigNode s = node.asMap().get(kind);
        Map<String, ConfigNode> m = s.isNull() ? Map.of() : s.asMap();
        try {
            if (kind.equals("grid")) {
                if (!s.isNull()) {
                    s.allowKeys("grid", List.of("points"), "Settings: points");
                }
                return new Strategy.Grid(m.containsKey("points") ? m.get("points").asInt() : 3);
            }
            if (s.isNull() || !m.containsKey("trials")) {
                throw s.error("random needs 'trials', such as {random: {trials: 12, seed: 1}}");
            }
            s.allowKeys("random", List.of("trials", "seed"), "Settings: trials, seed");
            return new Strategy.RandomSearch(m.get("trials").asInt(),
                    m.containsKey("seed") ? m.get("seed").asLong() : 0L);
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw s.error(e.getMessage());
        }
    }

    /**
     * The metric must be one the trials report: {@code loss} or a compiled metric, with
     * {@code val_} when the base file has validation data, {@code test_} when it has test data.
     * (Checked for one-output models; a graph with several outputs names its own.)
     */
    private static void checkMetric(Objective o, ConfigNode at, RunConfig base) {
        if (base.compile().losses() == null || base.compile().losses().size() != 1) {
            return;
        }
        Set<String> names = new LinkedHashSet<>();
        names.add("loss");
        for (MetricSpec s : base.compile().metrics()) {
            names.add(s.name());
        }
        Set<String> reported = new LinkedHashSet<>(names);
        boolean validation = base.data().validation() != null || base.data().validationSplit() > 0;
        names.forEach(n -> {
            if (validation) {
                reported.add("val_" + n);
            }
            if (base.data().test() != null) {
                reported.add("test_" + n);
            }
        });
        if (!reported.contains(o.metric())) {
            throw at.error("the trials do not report '" + o.metric() + "'."
                    + dev.lamina.spec.Names.didYouMean(o.metric(), reported) + " They report: "
                    + String.join(", ", reported)
                    + (o.metric().startsWith("val_") && !validation ? " (val_ metrics need"
                            + " validation data: data.validation_split in the base file)" : ""));
        }
    }

    private static ConfigNode require(ConfigNode root, Map<String, ConfigNode> m, String key,
            String example) {
        ConfigNode n = m.get(key);
        if (n == null || n.isNull()) {
            throw root.error("the search file needs '" + key + "', such as " + key + ": "
                    + example);
        }
        return n;
    }
}
