package dev.lamina.zoo.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lamina.Functional;
import dev.lamina.Model;
import dev.lamina.Sequential;
import dev.lamina.data.Tensor;
import dev.lamina.io.InvalidModelException;
import dev.lamina.layers.BatchNorm;
import dev.lamina.layers.Conv2d;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Dropout;
import dev.lamina.layers.Flatten;
import dev.lamina.layers.Gru;
import dev.lamina.layers.Lstm;
import dev.lamina.spec.Input;
import dev.lamina.spec.Layer;
import dev.lamina.spec.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keras weights made by {@code zoo/src/test/fixtures/make_fixtures.py} (Keras 2 HDF5, Keras 3
 * .weights.h5, TF.js), imported into Lamina models, give the outputs the script's numpy forward
 * pass computed, on both engines.
 */
class KerasImportTest {
    static final Path DIR = Path.of("src/test/resources/keras");

    static Stream<Arguments> enginesAndFiles() {
        return Stream.of("PyTorch", "MXNet").flatMap(e -> Stream.of("keras2.h5", "weights.h5", "tfjs")
                .map(f -> Arguments.of(e, f)));
    }

    static Path file(String model, String kind) {
        return kind.equals("tfjs") ? DIR.resolve(model + "-tfjs/model.json")
                : DIR.resolve(model + "." + kind);
    }

    /** The Keras model's twin; Keras 3 files pair by name, so those get the Keras names. */
    static Sequential cnn(String engine, boolean kerasNames) {
        Sequential m = new Sequential("cnn");
        m.engine(engine);
        m.input(2, 5, 5)
                .add(new Conv2d(3, 3, 1, "valid", "relu"))
                .add(kerasNames ? "batch_normalization" : null, new BatchNorm())
                .add(new Flatten())
                .add(new Dropout(0.5))
                .add(new Dense(4));
        return m;
    }

    static Sequential rnn(String engine, boolean kerasNames) {
        Sequential m = new Sequential("rnn");
        m.engine(engine);
        m.input(4, 2).add(new Lstm(3, true)).add(new Gru(2))
                .add(kerasNames ? "dense_1" : null, new Dense(1));
        return m;
    }

    static float[] predict(Model m, String model) throws IOException {
        JsonNode doc = new ObjectMapper().readTree(DIR.resolve(model + ".expected.json").toFile());
        JsonNode shape = doc.get("lamina_input_shape");
        long[] sample = new long[shape.size() - 1];
        for (int i = 1; i < shape.size(); i++) {
            sample[i - 1] = shape.get(i).asLong();
        }
        Tensor x = new Tensor(floats(doc.get("lamina_input")), new Shape(sample));
        return m.predict(x).data();
    }

    static float[] expected(String model) throws IOException {
        JsonNode doc = new ObjectMapper().readTree(DIR.resolve(model + ".expected.json").toFile());
        return floats(doc.get("output"));
    }

    static float[] floats(JsonNode a) {
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) a.get(i).asDouble();
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("enginesAndFiles")
    void convBatchNormFlattenDenseGivesKerasOutputs(String engine, String kind) throws IOException {
        boolean named = kind.equals("weights.h5");
        try (Sequential m = cnn(engine, named)) {
            float[] before = predict(m, "cnn");
            Map<String, String> pairs = KerasImport.load(m, file("cnn", kind));
            assertEquals(Map.of("conv2d", "conv2d", named ? "batch_normalization" : "batch_norm",
                    "batch_normalization", "dense", "dense"), pairs);
            float[] want = expected("cnn");
            assertFalse(java.util.Arrays.equals(want, before), "the import must change the outputs");
            assertArrayEquals(want, predict(m, "cnn"), 1e-4f, engine + " " + kind);
        }
    }

    @ParameterizedTest
    @MethodSource("enginesAndFiles")
    void lstmGruDenseGivesKerasOutputs(String engine, String kind) throws IOException {
        try (Sequential m = rnn(engine, kind.equals("weights.h5"))) {
            KerasImport.load(m, file("rnn", kind));
            assertArrayEquals(expected("rnn"), predict(m, "rnn"), 1e-5f, engine + " " + kind);
        }
    }

    static Functional cnnGraph(String engine, boolean kerasNames) {
        Node image = Input.of("image", 2, 5, 5);
        Node c = Layer.of("conv2d", new Conv2d(3, 3, 1, "valid", "relu")).on(image);
        Node b = (kerasNames ? Layer.of("batch_normalization", new BatchNorm())
                : Layer.of(new BatchNorm())).on(c);
        Node d = Layer.of("dense", new Dense(4)).on(new Dropout(0.5).on(new Flatten().on(b)));
        Functional m = new Functional("cnn", List.of(image), List.of(d));
        m.engine(engine);
        return m;
    }

    @ParameterizedTest
    @MethodSource("enginesAndFiles")
    void aFunctionalModelPairsByNameAndGivesKerasOutputs(String engine, String kind)
            throws IOException {
        try (Functional m = cnnGraph(engine, true)) {
            KerasImport.load(m, file("cnn", kind));
            assertArrayEquals(expected("cnn"), predict(m, "cnn"), 1e-4f, engine + " " + kind);
        }
        try (Functional m = cnnGraph(engine, false)) {
            InvalidModelException e = assertThrows(InvalidModelException.class,
                    () -> KerasImport.load(m, file("cnn", kind)));
            assertTrue(e.getMessage().contains("pair by name" + (kind.equals("weights.h5")
                    ? "" : " (its order of layers need not be Keras's)") + ", and the names differ:"
                    + " Lamina's layers with weights are [conv2d, batch_norm, dense]"),
                    e.getMessage());
        }
    }

    @Test
    void keras2FileListsLayersInOrderAndSkipsTheOnesWithoutWeights() throws IOException {
        KerasWeights w = KerasFiles.read(file("cnn", "keras2.h5"));
        assertEquals(KerasWeights.Format.KERAS2_H5, w.format());
        assertTrue(w.ordered());
        // flatten and dropout have an empty weight_names (a float array in the file)
        assertEquals(List.of("conv2d", "batch_normalization", "dense"), w.layerNames());
        assertEquals(List.of("gamma", "beta", "moving_mean", "moving_variance"),
                w.layer("batch_normalization").arrayNames());
        assertArrayEquals(new long[] {3, 3, 2, 3}, w.layer("conv2d").arrays().get(0).shape());
        assertEquals(List.of("kernel", "recurrent_kernel", "bias"),
                KerasFiles.read(file("rnn", "tfjs")).layer("lstm").arrayNames());
    }

    @Test
    void aShapeThatDoesNotFitNamesTheLayerTheArrayAndBothShapes() throws IOException {
        try (Sequential m = new Sequential("cnn")) {
            m.input(2, 5, 5).add(new Conv2d(3, 3, 1, "valid", "relu")).add(new BatchNorm())
                    .add(new Flatten()).add(new Dense(5));
            float[] before = m.predict(new Tensor(new float[50], new Shape(2, 5, 5))).data();
            InvalidModelException e = assertThrows(InvalidModelException.class,
                    () -> KerasImport.load(m, file("cnn", "keras2.h5")));
            assertTrue(e.getMessage().contains("cnn.keras2.h5: Keras layer 'dense' into Lamina"
                    + " layer 'dense' (dense): array 'kernel' (/model_weights/dense/dense/kernel:0)"
                    + " has shape (27, 4) but the Lamina layer needs (27, 5) as Keras stores it"),
                    e.getMessage());
            // nothing changed: the conv and batch norm, which fitted, were not written either
            assertArrayEquals(before, m.predict(new Tensor(new float[50], new Shape(2, 5, 5))).data());
        }
    }

    @Test
    void missingBiasAndLayerCountsAreRefusedWithTheFix() throws IOException {
        try (Sequential m = new Sequential("cnn")) {
            m.input(2, 5, 5).add(new Conv2d(3, 3, 1, "valid", "relu")).add(new Flatten())
                    .add(new Dense(4));
            InvalidModelException e = assertThrows(InvalidModelException.class,
                    () -> KerasImport.load(m, file("cnn", "tfjs")));
            assertTrue(e.getMessage().contains("has 3 Keras layers with weights [conv2d,"
                    + " batch_normalization, dense] but model 'cnn' has 2 [conv2d, dense]"),
                    e.getMessage());
        }
        try (Sequential m = new Sequential("rnn")) {
            m.input(4, 2).add(new Lstm(3, true)).add(new Gru(2))
                    .add(new Dense(1, new dev.lamina.layers.Activation("linear"), false, null, null,
                            null, null));
            InvalidModelException e = assertThrows(InvalidModelException.class,
                    () -> KerasImport.load(m, file("rnn", "keras2.h5")));
            assertTrue(e.getMessage().contains("Keras layer 'dense_1' into Lamina layer 'dense'"
                    + " (dense): the Keras layer has 2 arrays [kernel, bias] but the Lamina layer"
                    + " takes 1 [kernel]"), e.getMessage());
        }
    }

    @Test
    void keras3FilesPairByNameAndSayHowToNameTheLayers() throws IOException {
        try (Sequential m = cnn("PyTorch", false)) {
            InvalidModelException e = assertThrows(InvalidModelException.class,
                    () -> KerasImport.load(m, file("cnn", "weights.h5")));
            assertTrue(e.getMessage().contains("Keras 3 .weights.h5 files keep no order of layers,"
                    + " so layers pair by name, and the names differ: Lamina's layers with weights"
                    + " are [conv2d, batch_norm, dense], the file's are [batch_normalization,"
                    + " conv2d, dense] (not in the file: [batch_norm])"), e.getMessage());
        }
    }

    @Test
    void damagedAndForeignFilesAreRefusedNamingTheFile(@TempDir Path tmp) throws IOException {
        Path notH5 = Files.writeString(tmp.resolve("weights.h5"), "not hdf5 at all");
        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> KerasFiles.read(notH5));
        assertEquals(notH5 + ": is not an HDF5 file (Keras's .h5 or .weights.h5), nor a TF.js"
                + " model.json", e.getMessage());
        // a TF.js model with its second shard cut short, then missing
        Path tfjs = Files.createDirectory(tmp.resolve("tfjs"));
        Path src = DIR.resolve("cnn-tfjs");
        Files.copy(src.resolve("model.json"), tfjs.resolve("model.json"));
        Files.copy(src.resolve("group1-shard1of2.bin"), tfjs.resolve("group1-shard1of2.bin"));
        byte[] second = Files.readAllBytes(src.resolve("group1-shard2of2.bin"));
        Files.write(tfjs.resolve("group1-shard2of2.bin"), java.util.Arrays.copyOf(second, 100));
        e = assertThrows(InvalidModelException.class, () -> KerasFiles.read(tfjs));
        assertTrue(e.getMessage().contains("a shard is missing or truncated"), e.getMessage());
        Files.delete(tfjs.resolve("group1-shard2of2.bin"));
        e = assertThrows(InvalidModelException.class, () -> KerasFiles.read(tfjs));
        assertEquals(tfjs.resolve("group1-shard2of2.bin").toAbsolutePath() + ": missing:"
                + " model.json names this weight shard; copy every file of the TF.js model into "
                + tfjs.toAbsolutePath(), e.getMessage());
    }

    @Test
    void layoutConversionsMoveEachValueWhereLaminaReadsIt() {
        // (2, 3) -> (3, 2)
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6},
                KerasImport.transpose(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        // conv1d kernel (k=2, in=1, out=2) -> (out, in, k): out 0 = [1, 3], out 1 = [2, 4]
        assertArrayEquals(new float[] {1, 3, 2, 4},
                KerasImport.conv(new float[] {1, 2, 3, 4}, new long[] {2, 1, 2}));
        assertArrayEquals(new float[] {3, 4, 1, 2, 5, 6},
                KerasImport.swapGates(new float[] {1, 2, 3, 4, 5, 6}));
    }
}
