package dev.lamina.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lamina.Model;
import dev.lamina.data.DataSources;
import dev.lamina.data.Dataset;
import dev.lamina.losses.Losses;
import dev.lamina.metrics.Metrics;
import dev.lamina.optimizers.Optimizers;
import dev.lamina.spec.SpecException;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The pretrained LeNet-5 shipped in the zoo jar evaluates out of the box, on both engines. */
class ShippedWeightsTest {
    static Map<String, Double> evaluate(String engine, Dataset test) {
        try (Model m = Zoo.load("lenet5", ZooOptions.defaults().withPretrained(true))) {
            m.engine(engine);
            m.compile(Optimizers.adam(0.001), Losses.softmaxCrossEntropy(), Metrics.accuracy());
            return m.evaluate(test, 256);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void thePretrainedLenetKnowsTheShippedTestImages(String engine) {
        // trained on the full Fashion-MNIST training set, which holds the shipped sample's
        // training images but not its 1,000 test images
        double accuracy = evaluate(engine, DataSources.load("fashion-mnist-sample:test"))
                .get("accuracy");
        assertTrue(accuracy >= 0.89, engine + ": " + accuracy);
    }

    @Test
    void itReachesItsFigureOnTheFullTestSet() {
        assumeTrue(Files.isDirectory(DataSources.DEBIAN_FASHION_MNIST),
                "needs the full Fashion-MNIST (apt-get install dataset-fashion-mnist)");
        double accuracy = evaluate("pytorch", DataSources.load("fashion-mnist:test"))
                .get("accuracy");
        assertEquals(FULL_TEST_ACCURACY, accuracy, 0.0015, "the figure the recipe gave");
        assertTrue(accuracy >= 0.89);
    }

    /** What {@code ./lamina train examples/lenet-fashion.yaml} gave on the 10,000 test images. */
    static final double FULL_TEST_ACCURACY = 0.8995;

    @Test
    void otherSettingsAreRefusedWithWhatFits() {
        SpecException e = assertThrows(SpecException.class, () -> Zoo.load("lenet5",
                ZooOptions.defaults().withClasses(5).withPretrained(true)));
        assertEquals("lenet5.pretrained: the fashion_mnist weights of lenet5 have 10 classes, not"
                + " 5; load them with 10 and replace the head (model: {load: ..., head: ...}) to"
                + " fine-tune for another number", e.getMessage());
        e = assertThrows(SpecException.class, () -> Zoo.load("lenet5",
                ZooOptions.defaults().withInput(1, 32, 32).withPretrained("fashion_mnist")));
        assertEquals("lenet5.pretrained: the fashion_mnist weights of lenet5 take input [1, 28,"
                + " 28], not [1, 32, 32]", e.getMessage());
        e = assertThrows(SpecException.class, () -> Zoo.load("lenet5",
                ZooOptions.defaults().withPretrained("imagenet")));
        assertEquals("lenet5.pretrained: no weights called 'imagenet' for lenet5; it has"
                + " fashion_mnist (pretrained: true takes them)", e.getMessage());
        e = assertThrows(SpecException.class, () -> Zoo.load("vgg11",
                ZooOptions.defaults().withPretrained(true)));
        assertEquals("vgg11.pretrained: no pretrained weights for vgg11 in this build; leave out"
                + " pretrained (or set it to false) to start from random weights", e.getMessage());
    }
}
