package dev.lamina;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lamina.data.Dataset;
import dev.lamina.data.Tensor;
import dev.lamina.engine.Backend;
import dev.lamina.io.InvalidModelException;
import dev.lamina.layers.Dense;
import dev.lamina.losses.Losses;
import dev.lamina.metrics.Metrics;
import dev.lamina.optimizers.Optimizers;
import dev.lamina.spec.ConfigNode;
import dev.lamina.train.FitOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** save -> load -> predict gives the same numbers; damaged and foreign files are refused by name. */
class ModelFilesTest {
    @TempDir
    Path tmp;

    static Dataset data() {
        Random r = new Random(5);
        float[] x = new float[40 * 6];
        float[] y = new float[40];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 4;
        }
        return new Dataset("random", new Tensor(x, new ai.djl.ndarray.types.Shape(6)),
                Tensor.scalars(y));
    }

    static Sequential trained(String engine) {
        Sequential m = new Sequential("saved").input(6);
        m.add(new Dense(8, "tanh")).add("head", new Dense(4)).engine(engine).seed(11);
        m.compile(Optimizers.adam(0.01), Losses.softmaxCrossEntropy(), Metrics.accuracy());
        m.fit(data(), FitOptions.defaults().epochs(2).batchSize(8));
        return m;
    }

    /** The weights file of the model saved in {@code dir}. */
    static Path weights(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".params")).findFirst()
                    .orElseThrow();
        }
    }

    static Stream<String[]> enginePairs() {
        return Stream.of(new String[] {"pytorch", "pytorch"}, new String[] {"mxnet", "mxnet"},
                new String[] {"pytorch", "mxnet"}, new String[] {"mxnet", "pytorch"});
    }

    @ParameterizedTest
    @MethodSource("enginePairs")
    void loadPredictsTheSameNumbers(String saveOn, String loadOn) throws IOException {
        Path dir = tmp.resolve("m-" + saveOn + "-" + loadOn);
        float[] before;
        try (Sequential m = trained(saveOn)) {
            before = m.predict(data()).data();
            m.save(dir);
        }
        try (Model back = Model.load(dir, Backend.of(loadOn, "cpu"))) {
            assertArrayEquals(before, back.predict(data()).data(), 1e-5f);
            assertEquals("saved", back.name());
            assertEquals("adam", back.compiled().optimizer().type());
            assertTrue(back.evaluate(data()).containsKey("accuracy"));
            assertEquals("head", ((Sequential) back).layers().get(1).name());
        }
    }

    @Test
    void saveLeavesNoTemporaryFiles() throws IOException {
        Path dir = tmp.resolve("clean");
        try (Sequential m = trained("pytorch")) {
            m.save(dir);
            m.save(dir); // replaces in place
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(2, names.size(), names.toString());
            assertEquals("model.json", names.get(1));
            assertTrue(names.get(0).matches("model-[0-9a-f]{16}\\.params"), names.toString());
        }
    }

    @Test
    void aMissingDirectoryIsNamed() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> Model.load(tmp.resolve("nowhere")));
        assertTrue(e.getMessage().contains("nowhere"), e.getMessage());
    }

    @Test
    void aTruncatedWeightFileIsRefusedByName() throws IOException {
        Path dir = tmp.resolve("trunc");
        try (Sequential m = trained("pytorch")) {
            m.save(dir);
        }
        Path params = weights(dir);
        byte[] all = Files.readAllBytes(params);
        Files.write(params, java.util.Arrays.copyOf(all, all.length / 2));
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> Model.load(dir));
        assertEquals(params, e.file());
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
    }

    @Test
    void aForeignJsonFileIsRefusedByName() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("foreign"));
        Files.writeString(dir.resolve("model.json"), "{\"class_name\": \"Sequential\"}");
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> Model.load(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve("model.json").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not a Lamina model file"), e.getMessage());
    }

    @Test
    void aDamagedJsonFileIsRefusedWithItsLine() throws IOException {
        Path dir = tmp.resolve("badjson");
        try (Sequential m = trained("pytorch")) {
            m.save(dir);
        }
        String json = Files.readString(dir.resolve("model.json"));
        Files.writeString(dir.resolve("model.json"), json.substring(0, json.length() / 2));
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> Model.load(dir));
        assertTrue(e.getMessage().contains("model.json: damaged or not JSON"), e.getMessage());
    }

    @Test
    void anUnknownLayerTypeInTheFileIsNamed() throws IOException {
        Path dir = tmp.resolve("unknown");
        try (Sequential m = trained("pytorch")) {
            m.save(dir);
        }
        Path json = dir.resolve("model.json");
        Files.writeString(json, Files.readString(json).replace("\"dense\"", "\"dense_x\""));
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> Model.load(dir));
        assertTrue(e.getMessage().contains("unknown layer type 'dense_x'"), e.getMessage());
        assertTrue(e.getMessage().contains("Did you mean 'dense'?"), e.getMessage());
    }

    @Test
    void aModelFromANewerFormatIsRefused() throws IOException {
        Path dir = tmp.resolve("newer");
        try (Sequential m = trained("pytorch")) {
            m.save(dir);
        }
        Path json = dir.resolve("model.json");
        Files.writeString(json, Files.readString(json)
                .replace("\"format_version\" : 2", "\"format_version\" : 99"));
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> Model.load(dir));
        assertTrue(e.getMessage().contains("newer Lamina"), e.getMessage());
        assertFalse(e.getMessage().isEmpty());
    }

    @Test
    void anImpossibleSizeInModelJsonNamesTheFile() throws IOException {
        Path dir = tmp.resolve("huge");
        try (Sequential m = trained("pytorch")) {
            m.save(dir);
        }
        Path json = dir.resolve("model.json");
        Files.writeString(json, Files.readString(json).replaceFirst("\"units\" : 8",
                "\"units\" : 2000000000"));
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> Model.load(dir));
        assertEquals(json, e.file());
        assertTrue(e.getMessage().startsWith(json + ": architecture: a weight of shape"),
                e.getMessage());
    }

    @Test
    void theSavedArchitectureIsTheYamlModelSection() throws IOException {
        // one format: model.json's architecture is what a run file's model: section says
        Path dir = tmp.resolve("format");
        try (Sequential m = trained("pytorch")) {
            m.save(dir);
        }
        ObjectMapper json = new ObjectMapper();
        Map<?, ?> doc = json.readValue(dir.resolve("model.json").toFile(), Map.class);
        assertEquals(2, doc.get("format_version"));
        Map<?, ?> arch = (Map<?, ?>) doc.get("architecture");
        assertEquals(List.of("input", "layers"), List.copyOf(arch.keySet()));
        Object first = ((List<?>) arch.get("layers")).get(0);
        Map<?, ?> dense = (Map<?, ?>) ((Map<?, ?>) first).get("dense");
        assertEquals(8, dense.get("units"));
        assertEquals("dense", dense.get("name"));
        // and the run-file reader reads it back to the same architecture
        ConfigNode node = ConfigNode.of(arch, "model.json", "architecture");
        try (Model again = ModelFormat.read(node, "again")) {
            assertEquals(json.writeValueAsString(arch),
                    json.writeValueAsString(again.architecture()));
        }
    }
}
