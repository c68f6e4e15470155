package dev.lamina.run.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.spec.ConfigException;
import dev.lamina.spec.Yaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Search files without training: the strategies' trials, the spaces' draws, and every mistake
 * refused at the search file's line before a trial runs.
 */
class SearchConfigTest {
    static final String BASE = """
            name: tiny
            seed: 3
            data: {train: fashion-mnist-sample:train, validation_split: 0.2}
            model:
              input: [1, 28, 28]
              layers:
                - flatten
                - dense: {units: 32, activation: relu}
                - dropout: {rate: 0.3}
                - dense: {units: 10}
            compile: {optimizer: {adam: {learning_rate: 0.001}}, loss: softmax_cross_entropy, metrics: [accuracy]}
            fit: {epochs: 1, batch_size: 64}
            """;

    @TempDir
    Path tmp;

    SearchConfig read(String search) throws IOException {
        Path base = tmp.resolve("base.yaml");
        Files.writeString(base, BASE);
        Path file = tmp.resolve("search.yaml");
        Files.writeString(file, search.replace("BASE", base.toString()));
        return SearchConfig.read(file);
    }

    ConfigException error(String search) {
        return assertThrows(ConfigException.class, () -> read(search));
    }

    @Test
    void gridEnumeratesExactlyTheCartesianProduct() throws IOException {
        SearchConfig c = read("""
                base: BASE
                strategy: {grid: {points: 3}}
                objective: {metric: val_accuracy}
                space:
                  compile.optimizer.adam.learning_rate: {log_uniform: [0.0001, 0.01]}
                  model.layers[1].dense.units: {choice: [16, 64]}
                  model.layers[2].dropout.rate: {uniform: [0.0, 0.5]}
                """);
        List<List<Object>> got = new ArrayList<>();
        c.trials().forEach(t -> got.add(List.copyOf(t.values().values())));
        List<List<Object>> expected = new ArrayList<>();
        for (double lr : new double[] {0.0001, 0.001, 0.01}) {
            for (int units : new int[] {16, 64}) {
                for (double rate : new double[] {0.0, 0.25, 0.5}) {
                    expected.add(List.of(lr, units, rate));
                }
            }
        }
        assertEquals(18, got.size());
        for (int i = 0; i < 18; i++) {
            assertEquals((Double) expected.get(i).get(0), (Double) got.get(i).get(0), 1e-15, "trial " + i);
            assertEquals(expected.get(i).subList(1, 3), got.get(i).subList(1, 3), "trial " + i);
            assertEquals(i + 1, c.trials().get(i).number());
        }
        assertEquals(18, new HashSet<>(got).size(), "no combination twice");
        assertTrue(c.objective().maximize(), "an accuracy is maximised unless told");
        // the trial's run file is the base file with its values
        assertTrue(c.trials().get(17).runFile().contains("rate: 0.5"), c.trials().get(17).runFile());
    }

    @Test
    void integerGridsRoundAndDropRepeats() {
        assertEquals(List.of(2, 3, 4), new Space.IntRange(2, 4).grid(5));
        assertEquals(List.of(16, 64, 256), new Space.LogInt(16, 256).grid(3));
    }

    @Test
    void randomDrawsRepeatUnderASeedAndDifferUnderAnother() throws IOException {
        String search = """
                base: BASE
                strategy: {random: {trials: 6, seed: SEED}}
                objective: {metric: val_loss}
                parallel: 2
                space:
                  compile.optimizer.adam.learning_rate: {log_uniform: [0.0001, 0.01]}
                  model.layers[1].dense.units: {log_int: [8, 128]}
                  fit.batch_size: {int: [32, 256]}
                  model.layers[2].dropout.rate: {choice: [0.1, 0.2]}
                """;
        SearchConfig a = read(search.replace("SEED", "11"));
        SearchConfig b = read(search.replace("SEED", "11"));
        SearchConfig c = read(search.replace("SEED", "12"));
        assertEquals(a.trials(), b.trials());
        assertTrue(!a.trials().get(0).values().equals(c.trials().get(0).values()));
        assertEquals(6, a.trials().size());
        assertEquals(2, a.parallel());
        assertTrue(!a.objective().maximize(), "a loss is minimised unless told");
        // the draws are java.util.Random's, setting after setting in the space's order
        Random r = new Random(11);
        Map<String, Object> first = a.trials().get(0).values();
        assertEquals(Math.exp(Math.log(1e-4) + (Math.log(1e-2) - Math.log(1e-4)) * r.nextDouble()),
                (Double) first.get("compile.optimizer.adam.learning_rate"), 1e-18);
        for (var t : a.trials()) {
            int units = (Integer) t.values().get("model.layers[1].dense.units");
            int batch = (Integer) t.values().get("fit.batch_size");
            assertTrue(units >= 8 && units <= 128 && batch >= 32 && batch <= 256, t.toString());
        }
    }

    @Test
    void logUniformDrawsAreUniformInTheLogarithm() {
        // 20,000 draws from [1e-4, 1e-2]: log10 falls in 10 equal bins of [-4, -2] with 2,000
        // expected each; a chi-square over 9 degrees of freedom stays under 27.9 (p = 0.001)
        // for a uniform law, while a draw uniform in the value itself would put ~91% of the
        // draws in the top two bins
        Space s = new Space.LogUniform(1e-4, 1e-2);
        Random r = new Random(2024);
        int n = 20_000;
        int[] bins = new int[10];
        for (int i = 0; i < n; i++) {
            double v = (Double) s.sample(r);
            assertTrue(v >= 1e-4 && v < 1e-2, "drawn " + v);
            bins[Math.min(9, (int) ((Math.log10(v) + 4) / 2 * 10))]++;
        }
        double chi2 = 0;
        for (int b : bins) {
            chi2 += (b - n / 10.0) * (b - n / 10.0) / (n / 10.0);
        }
        assertTrue(chi2 < 27.9, "chi-square " + chi2 + " over bins " + java.util.Arrays.toString(bins));
        // the mean of log10 is the middle of [-4, -2] (standard error 0.577/sqrt(n) = 0.004)
        Random r2 = new Random(7);
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += Math.log10((Double) s.sample(r2)) / n;
        }
        assertEquals(-3.0, mean, 0.02);
    }

    @Test
    void everyIntegerOfALogIntRangeCanComeOut() {
        Space s = new Space.LogInt(1, 8);
        Random r = new Random(1);
        Set<Object> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            seen.add(s.sample(r));
        }
        assertEquals(Set.of(1, 2, 3, 4, 5, 6, 7, 8), seen);
    }

    @Test
    void aPathTheBaseFileLacksIsRefusedAtTheSearchFilesLine() {
        ConfigException e = error("""
                base: BASE
                strategy: {random: {trials: 2, seed: 1}}
                objective: {metric: val_accuracy}
                space:
                  compile.optimizer.adam.learning_rate: {log_uniform: [0.0001, 0.01]}
                  model.layers[7].dense.units: {choice: [16, 64]}
                """);
        String base = tmp.resolve("base.yaml").toString();
        assertEquals(tmp.resolve("search.yaml") + ":6", e.where());
        assertEquals(base + " has no model.layers[7]: model.layers (" + base + ":7) has 4"
                + " items, [0] to [3]", e.detail());

        ConfigException key = error("""
                base: BASE
                strategy: {grid: {points: 2}}
                objective: {metric: val_accuracy}
                space:
                  compile.optimiser.adam.learning_rate: {log_uniform: [0.0001, 0.01]}
                """);
        assertEquals(tmp.resolve("search.yaml") + ":5", key.where());
        assertEquals(base + " has no 'optimiser' under compile (" + base + ":11). Did you mean"
                + " 'optimizer'? It has: optimizer, loss, metrics", key.detail());
    }

    @Test
    void aValueASettingRefusesIsReportedAtTheSearchFilesLineBeforeAnyTrial() {
        ConfigException units = error("""
                base: BASE
                strategy: {grid: {points: 2}}
                objective: {metric: val_accuracy}
                space:
                  model.layers[1].dense.units: {choice: [16, 0]}
                """);
        assertEquals(tmp.resolve("search.yaml") + ":5", units.where());
        assertEquals("model.layers[1].dense.units", units.field());
        assertTrue(units.detail().startsWith("'dense': expected a positive integer")
                || units.detail().contains("received units=0"), units.detail());
        assertTrue(units.detail().endsWith("(trial 2 of the search: model.layers[1].dense.units=0)"),
                units.detail());

        ConfigException name = error("""
                base: BASE
                strategy: {grid: {points: 2}}
                objective: {metric: val_accuracy}
                space:
                  model.layers[1].dense.unit: {choice: [16, 32]}
                """);
        assertEquals(tmp.resolve("search.yaml") + ":5", name.where());
        assertTrue(name.detail().contains("Did you mean 'units'?"), name.detail());
    }

    @Test
    void otherMistakesAreRefusedAtTheirLines() {
        assertEquals(tmp.resolve("search.yaml") + ":3", error("""
                base: BASE
                strategy: {grid: {points: 2}}
                objective: {metric: val_acuracy}
                space: {fit.batch_size: {int: [32, 64]}}
                """).where());
        ConfigException log = error("""
                base: BASE
                strategy: {grid: {points: 2}}
                objective: {metric: val_accuracy}
                space:
                  compile.optimizer.adam.learning_rate: {log_uniform: [0, 0.01]}
                """);
        assertEquals(tmp.resolve("search.yaml") + ":5", log.where());
        assertEquals("log_uniform draws in the logarithm: LOW must be positive, received [0.0,"
                + " 0.01]; use uniform for a range from 0", log.detail());
        ConfigException space = error("""
                base: BASE
                strategy: {grid: {points: 2}}
                objective: {metric: val_accuracy}
                space:
                  fit.batch_size: {normal: [32, 64]}
                """);
        assertEquals(tmp.resolve("search.yaml") + ":5", space.where());
        assertTrue(space.detail().startsWith("unknown setting 'normal'."), space.detail());
    }

    @Test
    void theTrialsTableQuotesMessagesAndReadsThemBack() {
        List<String> cells = List.of("3", "0.001", "", "0.0", "failed", "a, \"quoted\" message");
        assertEquals(cells, TrialsCsv.cells("3,0.001,,0.0,failed,\"a, \"\"quoted\"\" message\""));
        assertEquals("0.00123457", TrialsCsv.format(0.0012345678));
        assertEquals("128", TrialsCsv.format(128));
    }

    @Test
    void yamlOfATrialReadsBackAsTheSameTree() throws IOException {
        SearchConfig c = read("""
                base: BASE
                strategy: {random: {trials: 1, seed: 4}}
                objective: {metric: val_accuracy}
                space: {compile.optimizer.adam.learning_rate: {log_uniform: [0.0001, 0.01]}}
                """);
        Trial t = c.trials().get(0);
        assertEquals(c.resolve(t.values()).toPlain(), Yaml.read(t.runFile(), "run.yaml").toPlain());
    }
}
