package dev.lamina;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lamina.data.Tensor;
import dev.lamina.engine.Backend;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Models saved by Lamina 0.1.0 before the model format became one with the YAML {@code model:}
 * section (a Sequential with a named layer and dropout, a graph with a shared layer), checked in
 * with the predictions they gave then: every later Lamina must load them and predict the same.
 */
class SavedFixtureTest {
    static final String DIR = "/fixtures/saved-0.1.0/";

    static Path fixture(String name) throws URISyntaxException {
        return Path.of(SavedFixtureTest.class.getResource(DIR + name).toURI());
    }

    static float[] floats(Object list) {
        List<?> l = (List<?>) list;
        float[] out = new float[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) l.get(i)).floatValue();
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void modelsSavedBeforeLoadAndPredictAsThen(String engine) throws IOException,
            URISyntaxException {
        Map<?, ?> expected;
        try (InputStream in = SavedFixtureTest.class.getResourceAsStream(DIR
                + "predictions.json")) {
            expected = new ObjectMapper().readValue(in, Map.class);
        }
        Tensor input = new Tensor(floats(expected.get("input")), new Shape(4));
        for (String name : List.of("mlp", "graph")) {
            try (Model m = Model.load(fixture(name), Backend.of(engine, "cpu"))) {
                assertEquals(name, m.name());
                assertArrayEquals(floats(expected.get(name)), m.predict(input).data(), 1e-5f,
                        name + " on " + engine);
            }
        }
    }
}
