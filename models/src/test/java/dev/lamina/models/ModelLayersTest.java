package dev.lamina.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import dev.lamina.Sequential;
import dev.lamina.data.Dataset;
import dev.lamina.data.Tensor;
import dev.lamina.layers.Dense;
import dev.lamina.losses.Losses;
import dev.lamina.metrics.Metrics;
import dev.lamina.models.layers.Highway;
import dev.lamina.models.layers.HighwayConv2d;
import dev.lamina.models.layers.Lrn;
import dev.lamina.models.layers.Maxout;
import dev.lamina.models.layers.MaxoutConv2d;
import dev.lamina.optimizers.Optimizers;
import dev.lamina.spec.LayerTypes;
import dev.lamina.train.FitOptions;
import dev.lamina.train.History;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The provider registers every type, and a model built from them trains on both engines. */
class ModelLayersTest {
    @Test
    void everyTypeIsFoundThroughTheServiceLoader() {
        for (String t : List.of(Highway.TYPE, HighwayConv2d.TYPE, Maxout.TYPE, MaxoutConv2d.TYPE,
                Lrn.TYPE)) {
            assertTrue(LayerTypes.catalog().contains(t), t);
        }
        assertTrue(LayerTypes.catalog().contains("dense"), "the core types are still there");
    }

    /** Three classes, each a Gaussian blob around one axis in 4-D. */
    static Dataset blobs(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * 4];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            y[i] = c;
            for (int j = 0; j < 4; j++) {
                x[i * 4 + j] = (float) (r.nextGaussian() * 0.5 + (j == c ? 2.0 : 0.0));
            }
        }
        return new Dataset("blobs", new Tensor(x, new Shape(4)), Tensor.scalars(y));
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void aSequentialModelWithHighwayAndMaxoutBuildsAndTrains(String engine) {
        try (Sequential m = new Sequential("hm").input(4)) {
            m.add(new Highway()).add(new Maxout(8, 2)).add(new Dense(3));
            m.engine(engine).seed(7);
            m.compile(Optimizers.adam(0.01), Losses.softmaxCrossEntropy(), Metrics.accuracy());
            // highway 2·(4·4 + 4) = 40, maxout 16·4 + 16 = 80, dense 8·3 + 3 = 27
            assertEquals(147, m.countParameters());
            String s = m.summary();
            assertTrue(s.contains("highway (highway)") && s.contains("maxout (maxout)"), s);
            assertTrue(s.contains("Total params: 147"), s);
            assertTrue(s.contains("(None, 8)"), s);
            History h = m.fit(blobs(300, 1), FitOptions.defaults().epochs(5).batchSize(32));
            assertTrue(h.last("loss") < h.get("loss").get(0), "loss falls: " + h.get("loss"));
        }
    }

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path tmp;

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void aSavedModelLoadsOnTheOtherEngineWithTheSameNumbers(String engine) throws Exception {
        String other = engine.equals("PyTorch") ? "MXNet" : "PyTorch";
        java.nio.file.Path dir = tmp.resolve("saved-" + engine);
        Dataset d = blobs(30, 4);
        float[] before;
        try (Sequential m = new Sequential("saved").input(4)) {
            m.add(new Highway("tanh", -1, 2)).add(new Maxout(5, 3)).add(new Dense(3));
            m.engine(engine).seed(5);
            m.compile(Optimizers.adam(0.01), Losses.softmaxCrossEntropy());
            m.fit(d, FitOptions.defaults().epochs(1).batchSize(10));
            before = m.predict(d).data();
            m.save(dir);
        }
        try (dev.lamina.Model back = dev.lamina.Model.load(dir,
                dev.lamina.engine.Backend.of(other.toLowerCase(), "cpu"))) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(before, back.predict(d).data(),
                    1e-5f);
            assertEquals(new Highway("tanh", -1, 2), ((Sequential) back).layers().get(0).spec());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void aConvolutionalModelWithTheImageLayersTrains(String engine) {
        Random r = new Random(2);
        int n = 64;
        float[] x = new float[n * 2 * 6 * 6];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2; // class 1: a bright left half in channel 0
            for (int j = 0; j < 72; j++) {
                boolean bright = y[i] == 1 && j < 36 && j % 6 < 3;
                x[i * 72 + j] = (float) (r.nextGaussian() * 0.3 + (bright ? 1.5 : 0));
            }
        }
        Dataset d = new Dataset("halves", new Tensor(x, new Shape(2, 6, 6)), Tensor.scalars(y));
        try (Sequential m = new Sequential("img").input(2, 6, 6)) {
            m.add(new MaxoutConv2d(4, 2, 3, 1, "same")).add(new Lrn())
                    .add(new HighwayConv2d()).add(new dev.lamina.layers.Flatten()).add(new Dense(2));
            m.engine(engine).seed(3);
            m.compile(Optimizers.adam(0.01), Losses.softmaxCrossEntropy());
            History h = m.fit(d, FitOptions.defaults().epochs(4).batchSize(16));
            assertTrue(h.last("loss") < h.get("loss").get(0), "loss falls: " + h.get("loss"));
        }
    }
}
