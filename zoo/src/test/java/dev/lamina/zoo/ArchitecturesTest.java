package dev.lamina.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import dev.lamina.Functional;
import dev.lamina.Model;
import dev.lamina.Sequential;
import dev.lamina.data.Tensor;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every architecture of the zoo: its parameter count at the published input against the published
 * figure (built once, on PyTorch: a count does not depend on the engine), and a forward pass at a
 * small input on both engines.
 */
class ArchitecturesTest {
    /** Σ (k·k·in·out + out) per convolution, or in·out + out for a dense layer. */
    static long conv(int k, long in, long out) {
        return k * k * in * out + out;
    }

    static void assertCounts(String name, long total, long trainable) {
        try (Model m = Zoo.load(name)) {
            assertEquals(total, m.countParameters(), name + " total");
            assertEquals(trainable, m.countTrainableParameters(), name + " trainable");
        }
        assertEquals(total, Zoo.entry(name).parameters(), name + ": the count zoo list shows");
    }

    @Test
    void lenet5HasTheCountOfExamplesLenetYaml() {
        // conv 5×5 1→6, conv 5×5 6→16, 16·5·5→120, 120→84, 84→10 (LeCun et al. 1998 with
        // a padded first convolution on 28×28, as examples/lenet.yaml): 61,706
        long expected = conv(5, 1, 6) + conv(5, 6, 16) + conv(1, 400, 120) + conv(1, 120, 84)
                + conv(1, 84, 10);
        assertEquals(61_706, expected);
        assertCounts("lenet5", expected, expected);
    }

    @Test
    void alexnetIsTheOneTowerPaperNetwork() {
        // Krizhevsky et al. 2012 widths in one tower, ungrouped (as the Keras ports of AlexNet in
        // wide use, e.g. "AlexNet in Keras" summaries, report 62,378,344): convolutions
        // 96·3·11·11, 256·96·5·5, 384·256·9, 384·384·9, 256·384·9 with biases, dense
        // 9216→4096→4096→1000. The grouped two-GPU original has 60,965,224; torchvision's
        // (64, 192, 384, 256, 256 filters) 61,100,840.
        long expected = conv(11, 3, 96) + conv(5, 96, 256) + conv(3, 256, 384)
                + conv(3, 384, 384) + conv(3, 384, 256) + conv(1, 9216, 4096)
                + conv(1, 4096, 4096) + conv(1, 4096, 1000);
        assertEquals(62_378_344, expected);
        assertCounts("alexnet", expected, expected);
        assertCounts("alexnet_no_lrn", expected, expected); // LRN has no parameters
    }

    @Test
    void vggCountsArePublishedOnes() {
        // keras.applications.VGG16 / VGG19 summaries: 138,357,544 / 143,667,240; torchvision
        // vgg11 / vgg13 (weights tables, num_params): 132,863,336 / 133,047,848 (same network)
        assertCounts("vgg11", 132_863_336, 132_863_336);
        assertCounts("vgg13", 133_047_848, 133_047_848);
        assertCounts("vgg16", 138_357_544, 138_357_544);
        assertCounts("vgg19", 143_667_240, 143_667_240);
    }

    @Test
    void vggWithBatchNormTrainsTorchvisionsCountAndKeepsMovingStatistics() {
        // torchvision vgg11_bn, vgg13_bn, vgg16_bn, vgg19_bn num_params (gamma and beta; the
        // running mean and variance are buffers there): 132,868,840, 133,053,736, 138,365,992,
        // 143,678,248. Lamina, as Keras, counts the moving mean and variance as non-trainable
        // weights: 2 per channel of every convolution.
        long[] channels = {64 + 128 + 2 * 256 + 4 * 512, 2 * (64 + 128 + 256 + 512 + 512),
            2 * 64 + 2 * 128 + 3 * 256 + 6 * 512, 2 * 64 + 2 * 128 + 4 * 256 + 8 * 512};
        long[] trainable = {132_868_840, 133_053_736, 138_365_992, 143_678_248};
        String[] names = {"vgg11_bn", "vgg13_bn", "vgg16_bn", "vgg19_bn"};
        for (int i = 0; i < 4; i++) {
            assertCounts(names[i], trainable[i] + 2 * channels[i], trainable[i]);
        }
    }

    @Test
    void resnet18And34AreTorchvisions() {
        // torchvision resnet18 / resnet34 num_params: 11,689,512 / 21,797,672 (no convolution
        // biases; gamma and beta of batch norm). The moving statistics, which Lamina counts as
        // non-trainable, are 2 per batch-normalised channel: 9,600 and 17,024.
        assertCounts("resnet18", 11_689_512 + 9_600, 11_689_512);
        assertCounts("resnet34", 21_797_672 + 17_024, 21_797_672);
    }

    @Test
    void resnet50IsKerasResNet50() {
        // keras.applications.ResNet50 (include_top, 1000 classes) summary: Total params:
        // 25,636,712; Trainable params: 25,583,592; Non-trainable params: 53,120
        assertCounts("resnet50", 25_636_712, 25_583_592);
    }

    @Test
    void googlenetIsThePaperNetworkWithoutAuxiliaryHeads() {
        // Szegedy et al. 2015, Table 1 (about 6.8M weights); with biases and no auxiliary
        // classifiers, as Caffe's bvlc_googlenet deploy network: 6,998,552
        int[][] modules = {{64, 96, 128, 16, 32, 32}, {128, 128, 192, 32, 96, 64},
            {192, 96, 208, 16, 48, 64}, {160, 112, 224, 24, 64, 64}, {128, 128, 256, 24, 64, 64},
            {112, 144, 288, 32, 64, 64}, {256, 160, 320, 32, 128, 128},
            {256, 160, 320, 32, 128, 128}, {384, 192, 384, 48, 128, 128}};
        long expected = conv(7, 3, 64) + conv(1, 64, 64) + conv(3, 64, 192);
        long in = 192;
        for (int[] w : modules) {
            expected += conv(1, in, w[0]) + conv(1, in, w[1]) + conv(3, w[1], w[2])
                    + conv(1, in, w[3]) + conv(5, w[3], w[4]) + conv(1, in, w[5]);
            in = w[0] + w[2] + w[4] + w[5];
        }
        expected += conv(1, in, 1000);
        assertEquals(6_998_552, expected);
        assertCounts("googlenet", expected, expected);
    }

    @Test
    void sequentialAndFunctionalAsDocumented() {
        try (Model vgg = Zoo.load("vgg11"); Model res = Zoo.load("resnet50")) {
            assertTrue(vgg instanceof Sequential, "VGG is a Sequential model");
            assertTrue(res instanceof Functional, "ResNet is a functional graph");
            assertEquals("vgg11", vgg.name());
            assertEquals(new Shape(1000), vgg.outputShapes().get(0));
            assertEquals(new Shape(2048, 7, 7), ((Functional) res).nodeShape("conv5_block3_out"));
        }
    }

    static Stream<Arguments> smallInputs() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (String engine : dev.lamina.testing.TestEngines.names().toList()) {
            for (String name : Zoo.names()) {
                Shape input = switch (name) {
                    case "lenet5" -> new Shape(1, 28, 28);
                    case "alexnet", "alexnet_no_lrn" -> new Shape(3, 64, 64);
                    default -> new Shape(3, 32, 32);
                };
                b.add(Arguments.of(engine, name, input));
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{1} on {0} at {2}")
    @MethodSource("smallInputs")
    void buildsAndPredictsAtASmallInput(String engine, String name, Shape input) {
        int classes = 7;
        try (Model m = Zoo.load(name, ZooOptions.defaults().withClasses(classes)
                .withInput(input))) {
            m.engine(engine).seed(3);
            int n = 2;
            float[] x = new float[(int) (n * input.size())];
            Random r = new Random(1);
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextFloat();
            }
            Tensor out = m.predict(new Tensor(x, input));
            assertEquals(new Shape(classes), out.sampleShape());
            assertEquals(n * classes, out.data().length);
            for (float v : out.data()) {
                assertTrue(Float.isFinite(v), name + " on " + engine + ": " + v);
            }
        }
    }
}
