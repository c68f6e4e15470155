package dev.lamina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.run.search.Search;
import dev.lamina.run.search.TrialResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Searches that train: four tiny trials, two at once, each in a process of its own; one trial's
 * data source does not exist, so it fails and is recorded while the others finish. The same file
 * on Spark ({@code local[2]}, through {@code lamina search}) gives the same trials.csv, and a
 * search run again skips the trials it recorded.
 */
class SearchRunTest {
    static final String BASE = """
            name: tiny
            seed: 3
            data: {train: fashion-mnist-sample:train, validation_split: 0.25, limit: 256}
            model:
              input: [1, 28, 28]
              layers:
                - flatten
                - dense: {units: 16, activation: relu}
                - dense: {units: 10}
            compile: {optimizer: {adam: {learning_rate: 0.003}}, loss: softmax_cross_entropy, metrics: [accuracy]}
            fit: {epochs: 1, batch_size: 64}
            """;

    static final String SEARCH = """
            base: BASE
            strategy: {random: {trials: 4, seed: 3}}
            objective: {metric: val_accuracy, direction: max}
            parallel: 2
            EXECUTOR
            space:
              compile.optimizer.adam.learning_rate: {log_uniform: [0.001, 0.01]}
              data.train: {choice: [fashion-mnist-sample:train, no-such-source:train]}
            """;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void oneThreadPerTrial() {
        // the local executor and Spark's task_cpus both give each trial one thread, whatever
        // the machine's cores: the same threads give the same numbers
        System.setProperty("lamina.threads", "1");
    }

    @AfterAll
    static void clear() {
        System.clearProperty("lamina.threads");
    }

    static Path searchFile(String name, String executor) throws IOException {
        Path base = tmp.resolve("base.yaml");
        Files.writeString(base, BASE);
        Path f = tmp.resolve(name);
        Files.writeString(f, SEARCH.replace("BASE", base.toString()).replace("EXECUTOR", executor));
        return f;
    }

    /**
     * trials.csv without the seconds column (wall time differs from run to run), the search
     * directory written OUT in messages.
     */
    static List<List<String>> table(Path dir) throws IOException {
        List<List<String>> out = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve("trials.csv"))) {
            String line = l.replace(dir.toString(), "OUT");
            List<String> cells = new ArrayList<>(Arrays.asList(line.split(",", -1)));
            cells.remove(5); // trial, lr, data.train, val_accuracy, best_epoch, [seconds], ...
            out.add(cells);
        }
        return out;
    }

    @Test
    void localAndSparkAgreeAFailingTrialIsRecordedAndAResumeSkipsFinishedTrials()
            throws Exception {
        Path local = tmp.resolve("local");
        List<String> log = new ArrayList<>();
        Search.Result r = Search.load(searchFile("local.yaml", "executor: local")).out(local)
                .log(log::add).run();

        // every trial ran; the one without data failed with the source's name, the rest finished
        assertEquals(4, r.results().size());
        List<String> header = Arrays.asList(Files.readAllLines(local.resolve("trials.csv")).get(0)
                .split(","));
        assertEquals(List.of("trial", "compile.optimizer.adam.learning_rate", "data.train",
                "val_accuracy", "best_epoch", "seconds", "status", "message"), header);
        int failed = 0;
        for (List<String> row : table(local).subList(1, 5)) {
            boolean missing = row.get(2).equals("no-such-source:train");
            assertEquals(missing ? TrialResult.FAILED : TrialResult.OK, row.get(5), row.toString());
            if (missing) {
                failed++;
                assertTrue(row.get(6).contains("no-such-source"), row.get(6));
                assertEquals("", row.get(3));
            } else {
                // the metric is the trial's history's (one epoch: its only value)
                Path trial = local.resolve("trial-00" + row.get(0));
                List<String> history = Files.readAllLines(trial.resolve("history.csv"));
                int col = Arrays.asList(history.get(0).split(",")).indexOf("val_accuracy");
                assertEquals(Double.parseDouble(history.get(1).split(",")[col]),
                        Double.parseDouble(row.get(3)), 1e-6, row.toString());
                assertEquals("1", row.get(4));
                assertTrue(Files.isRegularFile(trial.resolve("model").resolve("model.json")),
                        "a trial is a run directory");
            }
        }
        assertEquals(2, failed, "seed 3 draws the missing source for trials 2 and 3: " + table(local));
        // best.yaml is the base file with the best trial's values
        String best = Files.readString(local.resolve("best.yaml"));
        assertTrue(best.contains("learning_rate: " + r.best().values()
                .get("compile.optimizer.adam.learning_rate")), best);
        assertTrue(best.startsWith("# the best trial so far of "), best);

        // the same search on Spark, through the command line: the same table
        Path spark = tmp.resolve("spark");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(new String[] {"search", searchFile("spark.yaml",
                "executor: {spark: {master: \"local[2]\"}}").toString(), "--out", spark.toString()},
                new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, status, out + "\n" + err);
        assertEquals(table(local), table(spark));
        assertTrue(out.toString().contains("best: trial " + r.best().number() + ", val_accuracy "),
                out.toString());

        assertEquals(List.of("2", "0.00116713", "no-such-source:train", "", "", "failed",
                "\"OUT/trial-002/run.yaml:3: data.train: unknown data source 'no-such-source:train':"
                + " the scheme 'no-such-source' is not one of fashion-mnist-sample"), table(local)
                .get(2).subList(0, 7));
        // a killed search (trial 4 not recorded) run again runs trial 4 alone
        List<String> lines = new ArrayList<>(Files.readAllLines(local.resolve("trials.csv")));
        lines.remove(4);
        Files.write(local.resolve("trials.csv"), lines);
        deleteTree(local.resolve("trial-004"));
        List<String> again = new ArrayList<>();
        Search.load(searchFile("local.yaml", "executor: local")).out(local).log(again::add).run();
        assertEquals(List.of("resuming the search in " + local + ": 3 of 4 trials recorded in "
                + local.resolve("trials.csv"), "searching " + tmp.resolve("base.yaml")
                + ": 1 trials to run, 2 at once, 1 thread each"), again.subList(0, 2));
        assertEquals(3, again.size());
        assertTrue(again.get(2).startsWith("trial 4/4 ("), again.get(2));
        assertEquals(table(spark), table(local));
    }

    static void deleteTree(Path p) throws IOException {
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
