package dev.lamina;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lamina.data.Dataset;
import dev.lamina.data.Tensor;
import dev.lamina.engine.Backend;
import dev.lamina.io.InvalidModelException;
import dev.lamina.layers.Dense;
import dev.lamina.losses.Losses;
import dev.lamina.metrics.Metrics;
import dev.lamina.optimizers.Optimizers;
import dev.lamina.train.FitOptions;
import dev.lamina.train.Predictions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Class names kept with a model, and predictions decoded into named probabilities. */
class ClassNamesTest {
    @TempDir Path dir;

    static Sequential model(String engine) {
        Sequential m = new Sequential("named").input(4);
        m.add(new Dense(3));
        m.engine(engine).seed(3);
        m.compile(Optimizers.adam(0.01), Losses.softmaxCrossEntropy(), Metrics.accuracy());
        return m;
    }

    static Dataset data() {
        float[] x = new float[6 * 4];
        float[] y = new float[6];
        for (int i = 0; i < 6; i++) {
            x[i * 4 + i % 3] = 1;
            y[i] = i % 3;
        }
        return new Dataset("d", new Tensor(x, new Shape(4)), Tensor.scalars(y));
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void aModelTrainedOnNamedClassesKeepsTheNamesThroughSaveAndLoad(String engine)
            throws IOException {
        try (Sequential m = model(engine)) {
            m.fit(data().withClassNames(List.of("cat", "dog", "fox")),
                    FitOptions.defaults().epochs(1));
            assertEquals(List.of("cat", "dog", "fox"), m.classNames());
            m.save(dir);
        }
        Map<?, ?> json = new ObjectMapper().readValue(dir.resolve("model.json").toFile(), Map.class);
        assertEquals(List.of("cat", "dog", "fox"), json.get("class_names"));
        try (Model back = Model.load(dir, Backend.of(engine.toLowerCase()))) {
            assertEquals(List.of("cat", "dog", "fox"), back.classNames());
        }
    }

    @Test
    void namesGivenInJavaWinAndMustMatchTheOutput() {
        try (Sequential m = model("PyTorch")) {
            m.classNames(List.of("a", "b", "c"));
            m.fit(data().withClassNames(List.of("x", "y", "z")), FitOptions.defaults().epochs(1));
            assertEquals(List.of("a", "b", "c"), m.classNames());
            String msg = assertThrows(IllegalArgumentException.class,
                    () -> m.classNames(List.of("a", "b"))).getMessage();
            assertTrue(msg.contains("outputs (None, 3) but 2 class names"), msg);
        }
    }

    @Test
    void wrongClassNamesInModelJsonAreReportedAsAnInvalidModel() throws IOException {
        try (Sequential m = model("PyTorch")) {
            m.classNames(List.of("a", "b", "c")).save(dir);
        }
        Path json = dir.resolve("model.json");
        Files.writeString(json, Files.readString(json).replace("\"c\"", "\"c\", \"d\""));
        String msg = assertThrows(InvalidModelException.class, () -> Model.load(dir)).getMessage();
        assertTrue(msg.contains("model.json") && msg.contains("4 class names"), msg);
    }

    @Test
    void logitsAreSoftmaxedWhenTheLossTakesLogitsAndProbabilitiesKept() {
        Tensor logits = Tensor.rows(new float[][] {{1, 3, 2}});
        try (Sequential m = model("PyTorch")) {
            m.classNames(List.of("cat", "dog", "fox"));
            List<Predictions.Label> top = m.decodePredictions(logits, 5).get(0);
            double z = Math.exp(1) + Math.exp(3) + Math.exp(2);
            assertEquals(3, top.size(), "no more than the classes there are");
            assertEquals("dog", top.get(0).name());
            assertEquals(1, top.get(0).index());
            assertEquals(Math.exp(3) / z, top.get(0).probability(), 1e-9);
            assertEquals("fox", top.get(1).name());
            assertEquals(Math.exp(1) / z, top.get(2).probability(), 1e-9);
            assertEquals(2, m.decodePredictions(logits, 2).get(0).size());
            // a loss that takes probabilities: the output is taken as it is
            m.compile(Optimizers.adam(0.01), Losses.softmaxCrossEntropy(false));
            Tensor probs = Tensor.rows(new float[][] {{0.2f, 0.5f, 0.3f}});
            assertEquals(0.5f, m.decodePredictions(probs, 1).get(0).get(0).probability(), 1e-7);
        }
        // without compile settings: a row that is a distribution is kept, others are softmaxed
        assertEquals(0.5, Predictions.decode(Tensor.rows(new float[][] {{0.5f, 0.5f}}), 1,
                List.of(), null).get(0).get(0).probability(), 1e-9);
        assertEquals("1", Predictions.decode(Tensor.rows(new float[][] {{0, 4}}), 1, List.of(),
                null).get(0).get(0).name());
        assertEquals(1 / (1 + Math.exp(-4)), Predictions.decode(Tensor.rows(new float[][] {{0, 4}}),
                1, List.of(), null).get(0).get(0).probability(), 1e-9);
    }
}
