package dev.lamina.run.search;

import dev.lamina.io.AtomicFiles;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.Yaml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A search file made runnable from Java; {@code lamina search} is a thin shell over it:
 *
 * <pre>{@code
 * Search.Result r = Search.load(Path.of("examples/search/mlp-random.yaml"))
 *         .out(Path.of("searches/mlp")).run();
 * System.out.println(r.best().values() + " -> " + r.bestResult().metric());
 * }</pre>
 *
 * <p>Each trial is a normal run directory, {@code OUT/trial-001}, ..., with its run file
 * ({@code run.yaml}) beside the model, {@code history.csv} and {@code metrics.json}. As each trial
 * ends, {@code OUT/trials.csv} (values, metric, best epoch, seconds, status, message) and
 * {@code OUT/best.yaml} (the base file with the best trial's values) are rewritten atomically. A
 * trial that fails (an error, or a NaN loss) is recorded with its message and the search goes on.
 * Run again with the same {@code OUT}, a killed search skips the trials {@code trials.csv}
 * records and goes on from a killed trial's checkpoint.
 */
public final class Search {
    /** The file of the best trial's run file in the search directory. */
    public static final String BEST = "best.yaml";

    private final SearchConfig config;
    private Path out;
    private TrialExecutor executor;
    private Consumer<String> log = line -> { };

    private Search(SearchConfig config) {
        this.config = config;
    }

    /** Reads and checks a search file, its base run file and every trial's run file. */
    public static Search load(Path file) throws IOException {
        return new Search(SearchConfig.read(file));
    }

    /** A search of a checked configuration. */
    public static Search of(SearchConfig config) {
        return new Search(config);
    }

    /** The search file's settings and trials. */
    public SearchConfig config() {
        return config;
    }

    /** Writes the search directory here (default {@code searches/NAME}, NAME the file's). */
    public Search out(Path dir) {
        this.out = dir;
        return this;
    }

    /** The search directory. */
    public Path out() {
        if (out != null) {
            return out;
        }
        String name = config.file() == null ? "search"
                : config.file().getFileName().toString().replaceFirst("\\.ya?ml$", "");
        return Path.of("searches", name);
    }

    /** Runs the trials with this executor instead of the one the file names. */
    public Search executor(TrialExecutor e) {
        this.executor = e;
        return this;
    }

    /** Where the search reports each trial as it ends. */
    public Search log(Consumer<String> l) {
        this.log = l;
        return this;
    }

    /** What a search gives: every trial's result in trial order, and the best trial. */
    public record Result(Path directory, List<TrialResult> results, Trial best,
            TrialResult bestResult) {}

    /**
     * Runs the trials that {@code trials.csv} does not yet record, writing {@code trials.csv} and
     * {@code best.yaml} as each ends. The best is null when no trial finished with a metric.
     */
    public Result run() throws Exception {
        Path dir = out();
        prepare(dir);
        List<String> header = TrialsCsv.header(config.space().keySet(),
                config.objective().metric());
        Path csv = dir.resolve(TrialsCsv.FILE);
        Map<Integer, List<String>> rows = Files.exists(csv) ? TrialsCsv.read(csv, header)
                : new TreeMap<>();
        Map<Integer, TrialResult> results = new TreeMap<>();
        Map<Integer, Trial> byNumber = new LinkedHashMap<>();
        config.trials().forEach(t -> byNumber.put(t.number(), t));
        for (Map.Entry<Integer, List<String>> e : rows.entrySet()) {
            Trial t = byNumber.get(e.getKey());
            List<String> expected = t == null ? null : TrialsCsv.row(t, TrialsCsv.result(e.getValue()));
            if (t == null || !expected.subList(0, 1 + t.values().size())
                    .equals(e.getValue().subList(0, 1 + t.values().size()))) {
                throw new IllegalArgumentException(csv + " records trial " + e.getKey()
                        + " with other values than this search gives it ("
                        + (t == null ? "it has " + config.trials().size() + " trials"
                                : SearchConfig.describe(t.values())) + "): it was written by"
                        + " another search; give another --out directory");
            }
            results.put(e.getKey(), TrialsCsv.result(e.getValue()));
        }
        List<TrialTask> tasks = new ArrayList<>();
        TrialExecutor ex = executor != null ? executor : executor(config);
        try {
            int threads = ex.threadsPerTrial(config.parallel());
            for (Trial t : config.trials()) {
                if (!results.containsKey(t.number())) {
                    tasks.add(new TrialTask(t, dir.resolve(t.directoryName()).toAbsolutePath()
                            .toString(), config.objective(), threads));
                }
            }
            if (!results.isEmpty()) {
                log.accept(String.format(Locale.ROOT, "resuming the search in %s: %d of %d trials"
                        + " recorded in %s", dir, results.size(), config.trials().size(), csv));
            }
            log.accept(String.format(Locale.ROOT, "searching %s: %d trials to run, %d at once,"
                    + " %d thread%s each", config.base(), tasks.size(), config.parallel(),
                    threads, threads == 1 ? "" : "s"));
            IOException[] failed = new IOException[1];
            ex.run(tasks, r -> {
                Trial t = byNumber.get(r.number());
                results.put(r.number(), r);
                rows.put(r.number(), TrialsCsv.row(t, r));
                try {
                    TrialsCsv.write(csv, header, rows);
                    writeBest(dir, results);
                } catch (IOException e) {
                    failed[0] = e;
                }
                log.accept(line(t, r));
            });
            if (failed[0] != null) {
                throw failed[0];
            }
        } finally {
            if (executor == null) {
                ex.close();
            }
        }
        TrialResult best = best(results.values());
        return new Result(dir, List.copyOf(results.values()),
                best == null ? null : byNumber.get(best.number()), best);
    }

    private String line(Trial t, TrialResult r) {
        String what = r.ok() ? String.format(Locale.ROOT, "%s %.6f%s", config.objective().metric(),
                r.metric(), r.bestEpoch() > 0 ? " (epoch " + r.bestEpoch() + ")" : "")
                : r.status() + ": " + r.message();
        return String.format(Locale.ROOT, "trial %d/%d (%s): %s, %.1fs", t.number(),
                config.trials().size(), SearchConfig.describe(t.values()), what, r.seconds());
    }

    private TrialResult best(Iterable<TrialResult> results) {
        TrialResult best = null;
        for (TrialResult r : results) {
            if (r.ok() && (best == null || config.objective().better(r.metric(), best.metric()))) {
                best = r;
            }
        }
        return best;
    }

    /** best.yaml: the base file with the best values, and a comment that says where from. */
    private void writeBest(Path dir, Map<Integer, TrialResult> results) throws IOException {
        TrialResult best = best(results.values());
        if (best == null) {
            return;
        }
        Trial t = config.trials().stream().filter(x -> x.number() == best.number()).findFirst()
                .orElseThrow();
        ConfigNode tree = config.resolve(t.values());
        String head = String.format(Locale.ROOT, "# the best trial so far of %s: trial %d, %s ="
                + " %.6f%s%n# %s%n", config.file() == null ? "the search" : config.file(),
                t.number(), config.objective().metric(), best.metric(),
                best.bestEpoch() > 0 ? " at epoch " + best.bestEpoch() : "",
                SearchConfig.describe(t.values()));
        AtomicFiles.write(dir.resolve(BEST), (head + Yaml.write(tree.toPlain()))
                .getBytes(StandardCharsets.UTF_8));
    }

    /** The executor the file names: local, or one a jar provides (Spark, in lamina-cli). */
    static TrialExecutor executor(SearchConfig c) {
        if (c.executor().equals("local")) {
            return new LocalExecutor(c.parallel());
        }
        List<String> names = new ArrayList<>(List.of("local"));
        for (TrialExecutorProvider p : ServiceLoader.load(TrialExecutorProvider.class)) {
            if (p.name().equals(c.executor())) {
                return p.create(c.executorSettings(), c.parallel());
            }
            names.add(p.name());
        }
        names.sort(Comparator.naturalOrder());
        throw c.executorSettings().error("no executor '" + c.executor() + "' on the class path"
                + (c.executor().equals("spark") ? ": the Spark executor comes with lamina-cli"
                        + " (run the search with 'lamina search', or add lamina-cli to the"
                        + " dependencies)" : "." + dev.lamina.spec.Names.didYouMean(c.executor(),
                                names)) + "; executors here: " + String.join(", ", names));
    }

    private static void prepare(Path dir) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("the search directory " + dir + " is a file:"
                    + " give a directory (--out DIR), or remove the file");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create the search directory " + dir
                    + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + "): give one"
                    + " you can write to (--out DIR)", e);
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalArgumentException("cannot write to the search directory " + dir
                    + ": give one you can write to (--out DIR)");
        }
    }
}
