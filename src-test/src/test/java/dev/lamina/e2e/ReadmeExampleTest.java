package dev.lamina.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.Functional;
import dev.lamina.Model;
import dev.lamina.Sequential;
import dev.lamina.data.Datasets;
import dev.lamina.layers.Concatenate;
import dev.lamina.layers.Conv2d;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Flatten;
import dev.lamina.layers.Merge;
import dev.lamina.losses.Losses;
import dev.lamina.metrics.Metrics;
import dev.lamina.optimizers.Optimizers;
import dev.lamina.run.Run;
import dev.lamina.spec.Input;
import dev.lamina.spec.Layer;
import dev.lamina.spec.Node;
import dev.lamina.train.FitOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    void theReadmeRunExampleTrainsARunFileFromJava() throws java.io.IOException {
        // the README's code, run from src-test/ (so the file is ../examples) and into a
        // directory of its own
        double accuracy;
        // README run example begins
        try (Run.Result r = Run.load(Path.of("../examples/lenet.yaml")).epochs(2)
                .directory(Path.of("runs/lenet-java")).train()) {
            System.out.println(r.testScores().get("accuracy") + " in " + r.directory());
            Model trained = r.model();   // closed with the result
            // README run example ends
            accuracy = r.testScores().get("accuracy");
            assertTrue(trained.isBuilt());
        }
        assertTrue(accuracy > 0.6, "two epochs of LeNet: " + accuracy);
    }

    @Test
    void theReadmeGraphExampleBuildsACheckedTwoHeadedGraph() {
        Functional built;
        // README graph example begins
        Node image = Input.of("image", 1, 28, 28);
        Node extra = Input.of("extra", 3);
        Node c1 = Layer.of("c1", new Conv2d(16, 3, 1, "same", "relu")).on(image);
        Node flat = new Flatten().on(Layer.of("sum", Merge.add()).on(c1, new Conv2d(16, 3, 1, "same", "linear").on(c1)));
        Node hidden = new Dense(64, "relu").on(new Concatenate().on(flat, extra));
        Node classes = Layer.of("classes", new Dense(10)).on(hidden);
        Node value = Layer.of("value", new Dense(1)).on(hidden);
        try (Functional model = new Functional("two-heads", List.of(image, extra), List.of(classes, value))) {
            model.compile(Optimizers.adam(1e-3), List.of(Losses.softmaxCrossEntropy(), Losses.meanSquaredError()),
                    List.of(1.0, 0.5), Metrics.accuracy());
            // README graph example ends
            built = model;
            assertTrue(model.summary().contains("sum (add)"));
            assertTrue(model.outputNames().equals(List.of("classes", "value")));
        }
        assertTrue(built.compiled().lossWeights().equals(List.of(1.0, 0.5)));
    }

    static String block(String source, String begin, String end, int indent) {
        String code = source.substring(source.indexOf(begin + "\n") + begin.length() + 1,
                source.indexOf(" ".repeat(indent) + end));
        return code.lines().map(l -> l.length() >= indent ? l.substring(indent) : l.strip())
                .reduce("", (a, b) -> a + b + "\n").replaceAll("\\s+$", "") + "\n";
    }

    @Test
    void theReadmeShowsThisExactCode() throws Exception {
        String self = Files.readString(
                Path.of("src/test/java/dev/lamina/e2e/ReadmeExampleTest.java"));
        String readme = Files.readString(Path.of("..", "README.md"));
        String sequential = block(self, "// README example begins", "// README example ends", 8);
        assertTrue(readme.contains(sequential), "README.md must show the example as tested:\n"
                + sequential);
        String graph = block(self, "// README graph example begins", "// README graph example ends",
                8);
        // the README closes the try block the test keeps open for its checks
        assertTrue(readme.contains(graph), "README.md must show the graph example as tested:\n"
                + graph);
    }
}
