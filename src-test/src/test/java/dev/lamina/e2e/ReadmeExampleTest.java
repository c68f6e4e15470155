package dev.lamina.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.Model;
import dev.lamina.Sequential;
import dev.lamina.data.Datasets;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Flatten;
import dev.lamina.losses.Losses;
import dev.lamina.metrics.Metrics;
import dev.lamina.optimizers.Optimizers;
import dev.lamina.train.FitOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's Java example compiles, trains, and is the code the README shows. */
class ReadmeExampleTest {
    @Test
    void theReadmeExampleTrainsSavesAndLoads() throws Exception {
        // README example begins
        try (Sequential model = new Sequential("mlp")) {
            model.input(1, 28, 28)
                    .add(new Flatten())
                    .add(new Dense(128, "relu"))
                    .add(new Dense(10));
            model.compile(Optimizers.adam(1e-3), Losses.softmaxCrossEntropy(), Metrics.accuracy());
            model.fit(Datasets.fashionMnistSample(true), FitOptions.defaults().epochs(3).batchSize(64));
            System.out.println(model.evaluate(Datasets.fashionMnistSample(false)));
            model.save(Path.of("runs/mlp-java"));
        }
        // README example ends
        try (Model back = Model.load(Path.of("runs/mlp-java"))) {
            Map<String, Double> scores = back.evaluate(Datasets.fashionMnistSample(false));
            assertTrue(scores.get("accuracy") > 0.7, "test accuracy " + scores);
        }
    }

    @Test
    void theReadmeShowsThisExactCode() throws Exception {
        String self = Files.readString(
                Path.of("src/test/java/dev/lamina/e2e/ReadmeExampleTest.java"));
        String code = self.substring(self.indexOf("// README example begins\n") + 25,
                self.indexOf("        // README example ends"));
        String readme = Files.readString(Path.of("..", "README.md"));
        String dedented = code.lines().map(l -> l.length() >= 8 ? l.substring(8) : l.strip())
                .reduce("", (a, b) -> a + b + "\n");
        assertTrue(readme.contains(dedented), "README.md must show the example as tested:\n"
                + dedented);
    }
}
