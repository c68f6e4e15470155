package dev.lamina;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import dev.lamina.data.Dataset;
import dev.lamina.data.Tensor;
import dev.lamina.engine.Backend;
import dev.lamina.spec.Input;
import dev.lamina.spec.Node;
import dev.lamina.layers.Concatenate;
import dev.lamina.layers.Conv2d;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Flatten;
import dev.lamina.layers.Lstm;
import dev.lamina.losses.Losses;
import dev.lamina.metrics.Metrics;
import dev.lamina.optimizers.Optimizers;
import dev.lamina.run.RunConfig;
import dev.lamina.spec.ConfigException;
import dev.lamina.spec.Yaml;
import dev.lamina.train.FitOptions;
import dev.lamina.train.History;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Recurrent layers as graph nodes: an image branch and a sequence branch merged. */
class RecurrentGraphTest {
    @TempDir
    Path tmp;

    static Functional twoBranches() {
        Node image = Input.of("image", 1, 6, 6);
        Node sequence = Input.of("sequence", 5, 3);
        Node seen = new Flatten().on(new Conv2d(4, 3, 1, "same", "relu").on(image));
        Node heard = new Lstm(8).on(sequence);
        Node out = new Dense(2).on(new Concatenate().on(seen, heard));
        return new Functional("two-branches", List.of(image, sequence), List.of(out));
    }

    /** The class is 1 when the sequence's first feature sums above 0. */
    static Dataset data(int n) {
        Random r = new Random(3);
        float[] img = new float[n * 36];
        float[] seq = new float[n * 15];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < 36; j++) {
                img[i * 36 + j] = (float) r.nextGaussian();
            }
            for (int j = 0; j < 15; j++) {
                seq[i * 15 + j] = (float) r.nextGaussian();
                s += j % 3 == 0 ? seq[i * 15 + j] : 0;
            }
            y[i] = s > 0 ? 1 : 0;
        }
        return new Dataset("branches", List.of(new Tensor(img, new Shape(1, 6, 6)),
                new Tensor(seq, new Shape(5, 3))), List.of(Tensor.scalars(y)));
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void anImageBranchAndASequenceBranchTrainTogether(String engine) {
        try (Functional m = twoBranches()) {
            m.engine(engine).seed(6);
            m.compile(Optimizers.adam(0.01), Losses.softmaxCrossEntropy(), Metrics.accuracy());
            assertEquals(new Shape(4 * 36 + 8), m.nodeShape("concatenate"));
            History h = m.fit(data(256), FitOptions.defaults().epochs(8).batchSize(32));
            assertTrue(h.last("loss") < h.get("loss").get(0), h.toString());
            assertTrue(m.evaluate(data(256)).get("accuracy") > 0.8, h.toString());
        }
    }

    @Test
    void theGraphSavesOnOneEngineAndLoadsOnTheOther() throws Exception {
        Dataset d = data(16);
        float[] before;
        try (Functional m = twoBranches()) {
            m.engine("pytorch").seed(2);
            m.compile(Optimizers.adam(0.01), Losses.softmaxCrossEntropy());
            m.fit(d, FitOptions.defaults().epochs(1).batchSize(8));
            before = m.predict(d).data();
            m.save(tmp.resolve("g"));
        }
        try (Model back = Model.load(tmp.resolve("g"), Backend.of("mxnet", "cpu"))) {
            assertArrayEquals(before, back.predict(d).data(), 1e-4f);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void separateRecurrentLayersStackInASequentialModel(String engine) {
        try (Sequential m = new Sequential("stack").input(5, 3)) {
            m.add(new Lstm(6, true)).add(new dev.lamina.layers.Gru(4, false)).add(new Dense(2));
            m.engine(engine).seed(4);
            m.compile(Optimizers.adam(0.01), Losses.softmaxCrossEntropy(), Metrics.accuracy());
            Dataset seqOnly = new Dataset("seq", List.of(data(256).inputs().get(1)),
                    data(256).labels());
            History h = m.fit(seqOnly, FitOptions.defaults().epochs(6).batchSize(32));
            assertTrue(h.last("loss") < h.get("loss").get(0), h.toString());
        }
        Sequential bad = new Sequential("bad").input(5, 3).add(new Lstm(6));
        dev.lamina.spec.ShapeException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.lamina.spec.ShapeException.class, () -> bad.add(new Lstm(4)));
        assertTrue(e.getMessage().contains("layer 1 'lstm_1' (lstm) cannot take input of shape"
                + " (None, 6)"), e.getMessage());
    }

    @Test
    void aBadRecurrentSettingInAGraphIsReportedAtItsLine() {
        String yaml = """
                name: g
                data: {train: fashion-mnist-sample:train}
                model:
                  inputs: {seq: [5, 3]}
                  graph:
                    - rnn: {lstm: {units: 4, return_sequence: true}, from: seq}
                    - out: {dense: {units: 2}, from: rnn}
                  outputs: [out]
                compile: {optimizer: adam, loss: softmax_cross_entropy}
                """;
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> RunConfig.parse(Yaml.read(yaml, "g.yaml"), Path.of("g.yaml")));
        assertEquals("g.yaml:6", e.where());
        assertTrue(e.getMessage().contains("Did you mean 'return_sequences'?"), e.getMessage());
    }
}
