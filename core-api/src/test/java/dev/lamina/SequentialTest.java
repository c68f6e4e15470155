package dev.lamina;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import dev.lamina.data.Dataset;
import dev.lamina.data.Tensor;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Flatten;
import dev.lamina.losses.Losses;
import dev.lamina.metrics.Metrics;
import dev.lamina.optimizers.Optimizers;
import dev.lamina.regularizers.L1L2;
import dev.lamina.spec.ShapeException;
import dev.lamina.train.FitOptions;
import dev.lamina.train.History;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The Sequential model's life cycle on both engines: build, fit, evaluate, predict, summary. */
class SequentialTest {

    /** Two Gaussian blobs per class in 4-D, three classes: separable, learnt in a few epochs. */
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

    static Sequential mlp(String engine) {
        Sequential m = new Sequential("mlp").input(4);
        m.add(new Dense(16, "relu")).add(new Dense(3));
        m.engine(engine).seed(7);
        m.compile(Optimizers.adam(0.01), Losses.softmaxCrossEntropy(), Metrics.accuracy());
        return m;
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void fitLearnsSeparableClasses(String engine) {
        try (Sequential m = mlp(engine)) {
            History h = m.fit(blobs(600, 1), FitOptions.defaults().epochs(8).batchSize(32)
                    .validationSplit(0.2));
            assertEquals(8, h.epochs());
            assertTrue(h.last("loss") < h.get("loss").get(0), "loss falls: " + h.get("loss"));
            assertTrue(h.last("val_accuracy") > 0.9, "val accuracy " + h.get("val_accuracy"));
            double acc = m.evaluate(blobs(300, 2)).get("accuracy");
            assertTrue(acc > 0.9, "test accuracy " + acc);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void aSeedRepeatsARunExactly(String engine) {
        History a;
        History b;
        try (Sequential m = mlp(engine)) {
            a = m.fit(blobs(200, 1), FitOptions.defaults().epochs(2));
        }
        try (Sequential m = mlp(engine)) {
            b = m.fit(blobs(200, 1), FitOptions.defaults().epochs(2));
        }
        assertEquals(a.get("loss"), b.get("loss"));
    }

    @Test
    void oneSeedGivesTheSameInitialWeightsOnBothEngines() {
        Tensor x = blobs(10, 3).inputs().get(0);
        try (Sequential p = mlp("pytorch"); Sequential m = mlp("mxnet")) {
            assertArrayEquals(p.predict(x).data(), m.predict(x).data(), 1e-5f);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void regularizationIsAddedToTheReportedLoss(String engine) {
        Dataset d = blobs(64, 4);
        double plain;
        double penalised;
        try (Sequential m = new Sequential("a").input(4)) {
            m.add(new Dense(3)).engine(engine).seed(3);
            m.compile(Optimizers.sgd(0.01), Losses.softmaxCrossEntropy());
            plain = m.evaluate(d).get("loss");
        }
        try (Sequential m = new Sequential("b").input(4)) {
            m.add(new Dense(3).withKernelRegularizer(L1L2.l2(0.5))).engine(engine).seed(3);
            m.compile(Optimizers.sgd(0.01), Losses.softmaxCrossEntropy());
            penalised = m.evaluate(d).get("loss");
            float[] w = m.block().getParameters().valueAt(0).getArray().toFloatArray();
            double sq = 0;
            for (float v : w) {
                sq += v * v;
            }
            assertEquals(plain + 0.5 * sq, penalised, 1e-4);
        }
    }

    @Test
    void summaryCountsParametersLikeKeras() {
        try (Sequential m = new Sequential("mlp").input(1, 28, 28)) {
            m.add(new Flatten()).add(new Dense(256, "relu")).add(new Dense(128, "relu"))
                    .add(new Dense(10));
            String s = m.summary();
            // 784*256+256 + 256*128+128 + 128*10+10
            assertEquals(235_146, m.countParameters());
            assertTrue(s.contains("Total params: 235,146"), s);
            assertTrue(s.contains("dense_1 (dense)"), s);
            assertTrue(s.contains("(None, 128)"), s);
            assertTrue(s.contains("Non-trainable params: 0"), s);
        }
    }

    @Test
    void aShapeMismatchNamesTheLayerAndBothShapes() {
        Sequential m = new Sequential("bad").input(1, 28, 28);
        m.add(new Dense(10));
        ShapeException e = assertThrows(ShapeException.class, () -> m.add(new Flatten())
                .add(new Dense(3)).add(new Dense(4)).add(new FixedInput(5)));
        assertEquals("layer 4 'fixed_input' (fixed_input) cannot take input of shape (None, 4):"
                + " expected 5 features, got (4)", e.getMessage());
        assertEquals(4, m.layers().size(), "the refused layer is not kept");
    }

    @Test
    void layerNamesAreUniqueAndAutomatic() {
        Sequential m = new Sequential().input(4);
        m.add(new Dense(3)).add(new Dense(3)).add("head", new Dense(2));
        assertEquals("dense", m.layers().get(0).name());
        assertEquals("dense_1", m.layers().get(1).name());
        assertEquals("head", m.layers().get(2).name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.add("head", new Dense(2)));
        assertTrue(e.getMessage().contains("already has a layer named 'head'"), e.getMessage());
    }

    @Test
    void fitBeforeCompileSaysWhatToDo() {
        try (Sequential m = new Sequential("m").input(4)) {
            m.add(new Dense(3)).engine("pytorch");
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> m.fit(blobs(10, 1)));
            assertTrue(e.getMessage().contains("must be compiled before fit"), e.getMessage());
        }
    }

    @Test
    void dataOfTheWrongShapeIsRefusedWithBothShapes() {
        try (Sequential m = mlp("pytorch")) {
            Dataset wrong = new Dataset("wrong", new Tensor(new float[10], new Shape(5)),
                    Tensor.scalars(new float[2]));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.fit(wrong));
            assertTrue(e.getMessage().contains("expects input 0 of shape (4)"), e.getMessage());
            assertTrue(e.getMessage().contains("has (5)"), e.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void predictReturnsOneRowPerSample(String engine) {
        try (Sequential m = mlp(engine)) {
            Tensor p = m.predict(blobs(70, 1), 32);
            assertEquals(70, p.size());
            assertEquals(new Shape(3), p.sampleShape());
            assertNotEquals(0f, p.data()[0]);
        }
    }

    /** A layer that needs exactly {@code n} features, to test the shape message. */
    record FixedInput(int n) implements dev.lamina.spec.LayerSpec {
        @Override
        public String type() {
            return "fixed_input";
        }

        @Override
        public Shape outputShape(Shape in) {
            if (in.dimension() != 1 || in.get(0) != n) {
                throw new ShapeException("expected " + n + " features, got " + in);
            }
            return in;
        }

        @Override
        public ai.djl.nn.Block toBlock(dev.lamina.spec.BuildContext ctx, Shape input) {
            return dev.lamina.layers.FnBlock.elementwise(x -> x);
        }

        @Override
        public java.util.Map<String, Object> config() {
            return java.util.Map.of("n", n);
        }
    }
}
