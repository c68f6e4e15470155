package dev.lamina;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.lamina.data.Dataset;
import dev.lamina.data.Tensor;
import dev.lamina.engine.Backend;
import dev.lamina.spec.Input;
import dev.lamina.spec.Layer;
import dev.lamina.spec.Node;
import dev.lamina.layers.Concatenate;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Flatten;
import dev.lamina.layers.Merge;
import dev.lamina.losses.Losses;
import dev.lamina.metrics.Metrics;
import dev.lamina.optimizers.Optimizers;
import dev.lamina.run.RunConfig;
import dev.lamina.spec.ConfigException;
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.Yaml;
import dev.lamina.train.FitOptions;
import dev.lamina.train.History;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The functional API: graphs, merges, shared layers, several inputs and outputs, graph errors. */
class FunctionalTest {
    @TempDir
    Path tmp;

    static final float[] A = {1, -2, 3, 0.5f};
    static final float[] B = {4, 5, -6, 0.5f};

    static float[] merge(String engine, dev.lamina.spec.LayerSpec spec) {
        Node a = Input.of("a", 4);
        Node b = Input.of("b", 4);
        try (Functional m = new Functional("m", List.of(a, b), List.of(Layer.of(spec).on(a, b)))) {
            m.engine(engine);
            Dataset d = new Dataset("ab", List.of(new Tensor(A, new Shape(4)),
                    new Tensor(B, new Shape(4))), List.of());
            return m.predict(d).data();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void mergesComputeWhatTheirNamesSay(String engine) {
        assertArrayEquals(new float[] {5, 3, -3, 1}, merge(engine, Merge.add()));
        assertArrayEquals(new float[] {-3, -7, 9, 0}, merge(engine, Merge.subtract()));
        assertArrayEquals(new float[] {4, -10, -18, 0.25f}, merge(engine, Merge.multiply()));
        assertArrayEquals(new float[] {2.5f, 1.5f, -1.5f, 0.5f}, merge(engine, Merge.average()));
        assertArrayEquals(new float[] {4, 5, 3, 0.5f}, merge(engine, Merge.maximum()));
        assertArrayEquals(new float[] {1, -2, 3, 0.5f, 4, 5, -6, 0.5f},
                merge(engine, new Concatenate()));
    }

    @Test
    void mergesRefuseShapesThatDoNotFit() {
        Node a = Input.of("a", 4);
        Node b = Input.of("b", 5);
        ShapeException e = assertThrows(ShapeException.class, () -> new Functional("m",
                List.of(a, b), List.of(Layer.of("sum", Merge.add()).on(a, b))));
        assertTrue(e.getMessage().startsWith("node 'sum' (add) from [a, b]"), e.getMessage());
        assertTrue(e.getMessage().contains("needs inputs of one shape"), e.getMessage());
        ShapeException s = assertThrows(ShapeException.class, () -> new Functional("m",
                List.of(a), List.of(Layer.of(Merge.subtract()).on(a, a, a))));
        assertTrue(s.getMessage().contains("takes exactly 2 inputs, got 3"), s.getMessage());
        Node img1 = Input.of("i1", 3, 8, 8);
        Node img2 = Input.of("i2", 5, 8, 8);
        try (Functional ok = new Functional("cat", List.of(img1, img2),
                List.of(Layer.of(new Concatenate()).on(img1, img2)))) {
            assertEquals(new Shape(8, 8, 8), ok.outputShapes().get(0));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void aSharedLayerHasOneSetOfWeightsThatBothUsesMove(String engine) {
        Node x1 = Input.of("x1", 3);
        Node x2 = Input.of("x2", 3);
        Layer shared = Layer.of("shared", new Dense(2));
        Node sum = Layer.of("sum", Merge.add()).on(shared.on(x1), shared.on(x2));
        try (Functional m = new Functional("siamese", List.of(x1, x2), List.of(sum))) {
            m.engine(engine).seed(1);
            assertEquals(3 * 2 + 2, m.countParameters(), "one kernel and one bias");
            assertTrue(m.summary().contains("shared_1 (dense, shares shared)"), m.summary());
            // y = W·x1 + b + W·x2 + b, so d(sum y)/dW[j][i] = x1[i] + x2[i], d/db = 2
            NDManager root = m.djlModel().getNDManager();
            try (NDManager mm = root.newSubManager();
                    GradientCollector gc = mm.getEngine().newGradientCollector()) {
                NDArray a = mm.create(new float[] {1, 2, 3}, new Shape(1, 3));
                NDArray b = mm.create(new float[] {10, 20, 30}, new Shape(1, 3));
                NDList y = m.block().forward(new ParameterStore(mm, false), new NDList(a, b), true);
                gc.backward(y.head().sum());
                for (Pair<String, Parameter> p : m.block().getParameters()) {
                    float[] g = p.getValue().getArray().getGradient().toFloatArray();
                    if (p.getKey().endsWith("weight")) {
                        assertArrayEquals(new float[] {11, 22, 33, 11, 22, 33}, g, 1e-5f);
                    } else {
                        assertArrayEquals(new float[] {2, 2}, g, 1e-5f);
                    }
                }
            }
        }
    }

    @Test
    void aSharedLayerFedTwoShapesIsRefusedWithBothNodes() {
        Node x1 = Input.of("x1", 3);
        Node x2 = Input.of("x2", 4);
        Layer shared = Layer.of("enc", new Dense(2));
        ShapeException e = assertThrows(ShapeException.class, () -> new Functional("m",
                List.of(x1, x2), List.of(Layer.of(Merge.add()).on(shared.on(x1), shared.on(x2)))));
        assertEquals("node 'enc_1' shares the layer of 'enc', which took [(3)], but gets [(4)]:"
                + " a shared layer needs the same input shapes", e.getMessage());
    }

    @Test
    void aDanglingInputIsRefusedByName() {
        Node x = Input.of("x", 3);
        Node extra = Input.of("extra", 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Functional("m", List.of(x, extra), List.of(new Dense(2).on(x))));
        assertTrue(e.getMessage().contains("input 'extra' feeds no output"), e.getMessage());
    }

    @Test
    void anOutputNeedingAnUnlistedInputIsRefusedByName() {
        Node x = Input.of("x", 3);
        Node hidden = Input.of("hidden", 3);
        Node out = Layer.of("out", Merge.add()).on(x, hidden);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Functional("m", List.of(x), List.of(out)));
        assertEquals("model 'm': output 'out' depends on input 'hidden', which is not among the"
                + " model's inputs [x]", e.getMessage());
    }

    @Test
    void duplicateNodeNamesAreRefused() {
        Node x = Input.of("x", 3);
        Node a = Layer.of("d", new Dense(2)).on(x);
        Node b = Layer.of("d", new Dense(2)).on(x);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Functional("m", List.of(x), List.of(Layer.of(Merge.add()).on(a, b))));
        assertTrue(e.getMessage().contains("two nodes named 'd'"), e.getMessage());
    }

    static final String GRAPH = """
            name: small-res
            seed: 3
            data: {train: fashion-mnist-sample:train}
            model:
              inputs: {image: [1, 28, 28]}
              graph:
                - c1: {conv2d: {filters: 4, kernel_size: 3, padding: same, activation: relu}, from: image}
                - c2: {conv2d: {filters: 4, kernel_size: 3, padding: same}, from: c1}
                - sum: {add: {}, from: [c1, c2]}
                - flat: {flatten: {}, from: sum}
                - out: {dense: {units: 10}, from: flat}
              outputs: [out]
            compile: {optimizer: adam, loss: softmax_cross_entropy, metrics: [accuracy]}
            """;

    static RunConfig run(String yaml) {
        return RunConfig.parse(Yaml.read(yaml, "g.yaml"), Path.of("g.yaml"));
    }

    @Test
    void theIssuesYamlGraphBuildsAndShowsWhatFeedsEachNode() {
        try (Model m = run(GRAPH).model()) {
            String s = m.summary();
            assertTrue(s.contains("Connected to"), s);
            assertTrue(s.contains("sum (add)"), s);
            assertTrue(s.contains("c1, c2"), s);
            // 2 convs of 4 filters: 1·9·4+4 + 4·9·4+4, dense 3136·10+10
            assertEquals(40 + 148 + 31_370, m.countParameters());
        }
    }

    static ConfigException graphError(String from, String to) {
        assertTrue(GRAPH.contains(from), from);
        return assertThrows(ConfigException.class, () -> run(GRAPH.replace(from, to)));
    }

    @Test
    void yamlGraphErrorsNameTheNodeAndLine() {
        ConfigException unknown = graphError("from: [c1, c2]", "from: [c1, c3]");
        assertEquals("g.yaml:9", unknown.where());
        assertTrue(unknown.getMessage().contains("'c3' is not an input or a node of the graph."
                + " Did you mean 'c1'?"), unknown.getMessage());

        ConfigException cycle = graphError("padding: same}, from: c1}", "padding: same}, from: sum}");
        assertTrue(cycle.getMessage().contains("the graph has a cycle: sum -> c2 -> sum"),
                cycle.getMessage());

        ConfigException setting = graphError("units: 10", "unit: 10");
        assertEquals("g.yaml:11", setting.where());
        assertTrue(setting.getMessage().contains("Did you mean 'units'?"), setting.getMessage());

        ConfigException output = graphError("outputs: [out]", "outputs: [ot]");
        assertEquals("g.yaml:12", output.where());
        assertTrue(output.getMessage().contains("Did you mean 'out'?"), output.getMessage());

        ConfigException unused = graphError("outputs: [out]", "outputs: [flat]");
        assertEquals("g.yaml:11", unused.where());
        assertTrue(unused.getMessage().contains("node 'out' feeds no output"), unused.getMessage());

        ConfigException shape = graphError("from: [c1, c2]", "from: [c2, image]");
        assertEquals("g.yaml:9", shape.where());
        assertTrue(shape.getMessage().contains("node 'sum' (add)"), shape.getMessage());

        ConfigException dup = graphError("- flat:", "- c1:");
        assertEquals("g.yaml:10", dup.where());
        assertTrue(dup.getMessage().contains("two nodes are named 'c1'"), dup.getMessage());
    }

    /** Two inputs (an image and a vector), two outputs (10 classes; a regression). */
    static Functional twoByTwo() {
        Node image = Input.of("image", 1, 6, 6);
        Node extra = Input.of("extra", 3);
        Node flat = Layer.of("flat", new Flatten()).on(image);
        Node joined = Layer.of("joined", new Concatenate()).on(flat, extra);
        Node hidden = Layer.of("hidden", new Dense(16, "tanh")).on(joined);
        Node classes = Layer.of("classes", new Dense(4)).on(hidden);
        Node value = Layer.of("value", new Dense(1)).on(hidden);
        return new Functional("two-by-two", List.of(image, extra), List.of(classes, value));
    }

    static Dataset twoByTwoData(int n) {
        Random r = new Random(2);
        float[] img = new float[n * 36];
        float[] ex = new float[n * 3];
        float[] cls = new float[n];
        float[] val = new float[n];
        for (int i = 0; i < n; i++) {
            cls[i] = i % 4;
            for (int j = 0; j < 36; j++) {
                img[i * 36 + j] = (float) r.nextGaussian() + (j % 4 == cls[i] ? 1.5f : 0f);
            }
            for (int j = 0; j < 3; j++) {
                ex[i * 3 + j] = (float) r.nextGaussian();
            }
            val[i] = ex[i * 3] - ex[i * 3 + 1];
        }
        return new Dataset("two", List.of(new Tensor(img, new Shape(1, 6, 6)),
                new Tensor(ex, new Shape(3))),
                List.of(Tensor.scalars(cls), new Tensor(val, new Shape(1))));
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void twoOutputsTrainWithWeightedLossesAndReportEachOutput(String engine) {
        try (Functional m = twoByTwo()) {
            m.engine(engine).seed(4);
            m.compile(Optimizers.adam(0.01), List.of(Losses.softmaxCrossEntropy(),
                    Losses.meanSquaredError()), List.of(1.0, 0.5), Metrics.accuracy());
            History h = m.fit(twoByTwoData(256), FitOptions.defaults().epochs(6).batchSize(32));
            assertTrue(h.names().containsAll(List.of("loss", "classes_loss", "classes_accuracy",
                    "value_loss", "value_accuracy")), h.names().toString());
            assertTrue(h.last("classes_loss") < h.get("classes_loss").get(0), h.toString());
            assertTrue(h.last("value_loss") < h.get("value_loss").get(0), h.toString());
            Map<String, Double> e = m.evaluate(twoByTwoData(64));
            assertEquals(e.get("classes_loss") + 0.5 * e.get("value_loss"), e.get("loss"), 1e-5);
        }
    }

    @Test
    void aModelWithTwoOutputsNeedsTwoLabelTensors() {
        try (Functional m = twoByTwo()) {
            m.engine("pytorch").compile(Optimizers.sgd(0.1), Losses.meanSquaredError());
            Dataset one = new Dataset("one", twoByTwoData(8).inputs(),
                    List.of(twoByTwoData(8).labels().get(0)));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.fit(one));
            assertTrue(e.getMessage().contains("has 2 output(s) [classes, value]"), e.getMessage());
            IllegalArgumentException three = assertThrows(IllegalArgumentException.class,
                    () -> m.compile(Optimizers.sgd(0.1), List.of(Losses.meanSquaredError(),
                            Losses.meanSquaredError(), Losses.meanSquaredError()), null));
            assertTrue(three.getMessage().contains("gave 3 losses"), three.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.ModelFilesTest#enginePairs")
    void aTwoInputTwoOutputGraphSavesAndLoadsWithTheSameNumbers(String saveOn, String loadOn)
            throws Exception {
        Dataset d = twoByTwoData(20);
        Path dir = tmp.resolve("g-" + saveOn + "-" + loadOn);
        float[] before;
        try (Functional m = twoByTwo()) {
            m.engine(saveOn).seed(8);
            m.compile(Optimizers.adam(0.01), List.of(Losses.softmaxCrossEntropy(),
                    Losses.meanSquaredError()), List.of(1.0, 0.25), Metrics.accuracy());
            m.fit(d, FitOptions.defaults().epochs(1).batchSize(10));
            before = m.predict(d).data();
            m.save(dir);
        }
        try (Model back = Model.load(dir, Backend.of(loadOn, "cpu"))) {
            assertTrue(back instanceof Functional);
            assertEquals(List.of("classes", "value"), back.outputNames());
            assertArrayEquals(before, back.predict(d).data(), 1e-5f);
            assertEquals(List.of(1.0, 0.25), back.compiled().lossWeights());
            assertNotEquals(0, back.evaluate(d).get("value_loss"));
        }
    }

    @Test
    void aSharedLayerSurvivesSaveAndLoad() throws Exception {
        Node x1 = Input.of("x1", 3);
        Node x2 = Input.of("x2", 3);
        Layer shared = Layer.of("shared", new Dense(2));
        Node sum = Layer.of("sum", Merge.add()).on(shared.on(x1), shared.on(x2));
        Path dir = tmp.resolve("shared");
        Dataset d = new Dataset("xx", List.of(new Tensor(A.clone(), new Shape(4)).slice(0, 1),
                new Tensor(B.clone(), new Shape(4)).slice(0, 1)), List.of());
        float[] before;
        try (Functional m = new Functional("siamese", List.of(x1, x2), List.of(sum))) {
            m.engine("pytorch").seed(2);
            Dataset three = new Dataset("x", List.of(new Tensor(new float[] {1, 2, 3}, new Shape(3)),
                    new Tensor(new float[] {4, 5, 6}, new Shape(3))), List.of());
            before = m.predict(three).data();
            m.save(dir);
            try (Model back = Model.load(dir)) {
                assertEquals(8, back.countParameters());
                assertArrayEquals(before, back.predict(three).data(), 1e-6f);
            }
        }
        assertEquals(1, d.size());
    }
}
