package dev.lamina.zoo;

import dev.lamina.Model;
import java.io.IOException;
import java.util.ServiceLoader;

/**
 * Pretrained weights for models of the zoo, found by {@link ServiceLoader} (list the class in
 * {@code META-INF/services/dev.lamina.zoo.ZooWeights}). {@link Zoo#load(String, ZooOptions)} with
 * {@code pretrained} asks each in turn; none is in this build, so it refuses: "no pretrained
 * weights for vgg16 in this build".
 */
public interface ZooWeights {
    /** True when this source has weights for model {@code name} made with {@code options}. */
    boolean has(String name, ZooOptions options);

    /** Sets the weights of {@code model}, the zoo's {@code name} freshly made, to the trained ones. */
    void apply(String name, ZooOptions options, Model model) throws IOException;
}
