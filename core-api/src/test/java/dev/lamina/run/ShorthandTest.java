package dev.lamina.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import dev.lamina.Model;
import dev.lamina.data.Dataset;
import dev.lamina.data.Tensor;
import dev.lamina.spec.ConfigException;
import dev.lamina.train.FitOptions;
import dev.lamina.train.History;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Types with one main setting take it as a plain value, as Keras users write it: {@code
 * kernel_regularizer: {l2: 0.0001}}, {@code {dropout: 0.3}}, {@code {leaky_relu: 0.1}}, {@code
 * {constant: 0.5}}, {@code {top_k_accuracy: 2}}; the same model as the long forms.
 */
class ShorthandTest {
    static final String SHORT = """
            name: short
            seed: 3
            data: {train: fashion-mnist-sample:train}
            model:
              input: [4]
              layers:
                - dense: {units: 16, activation: {leaky_relu: 0.1}, kernel_regularizer: {l2: 0.0001},
                          bias_initializer: {constant: 0.5}}
                - dropout: 0.3
                - dense: {units: 3}
            compile: {optimizer: {adam: {learning_rate: 0.01}}, loss: softmax_cross_entropy,
                      metrics: [accuracy, {top_k_accuracy: 2}]}
            """;
    static final String LONG = SHORT
            .replace("{leaky_relu: 0.1}", "{leaky_relu: {alpha: 0.1}}")
            .replace("{l2: 0.0001}", "{l2: {l2: 0.0001}}")
            .replace("{constant: 0.5}", "{constant: {value: 0.5}}")
            .replace("- dropout: 0.3", "- dropout: {rate: 0.3}")
            .replace("{top_k_accuracy: 2}", "{top_k_accuracy: {k: 2}}");

    /** Three classes, each a Gaussian blob around a different axis of 4-D space. */
    static Dataset blobs(int n) {
        Random r = new Random(1);
        float[] x = new float[n * 4];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int j = 0; j < 4; j++) {
                x[i * 4 + j] = (float) (r.nextGaussian() * 0.5 + (j == i % 3 ? 2.0 : 0.0));
            }
        }
        return new Dataset("blobs", new Tensor(x, new Shape(4)), Tensor.scalars(y));
    }

    @Test
    void aPlainValueIsTheMainSetting() {
        RunConfig s = RunConfigTest.parse(SHORT);
        RunConfig l = RunConfigTest.parse(LONG);
        try (Model a = s.model(); Model b = l.model()) {
            assertEquals(b.architecture(), a.architecture());
        }
        assertEquals(l.compile(), s.compile());
    }

    @Test
    void aPlainValueForATypeWithoutOneMainSettingSaysWhichTypesTakeOne() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> RunConfigTest.parse(SHORT.replace("- dense: {units: 3}", "- dense: 3")));
        assertTrue(e.getMessage().startsWith("run.yaml:10: model.layers[2].dense: expected the"
                + " settings of 'dense' as a map, such as {dense: {...}}"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void l2WrittenAsKerasUsersWriteItTrains(String engine) {
        try (Model m = RunConfigTest.parse(SHORT).model()) {
            m.engine(engine);
            History h = m.fit(blobs(300),
                    FitOptions.defaults().epochs(6).batchSize(32));
            assertTrue(h.last("loss") < h.get("loss").get(0), "loss falls: " + h.get("loss"));
            assertTrue(h.last("accuracy") > 0.8, "accuracy " + h.get("accuracy"));
        }
    }
}
