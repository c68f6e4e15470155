package dev.lamina.zoo;

import dev.lamina.Model;
import dev.lamina.spec.LayerSpec;
import java.io.IOException;
import java.util.ServiceLoader;

/**
 * Pretrained weights for models of the zoo, found by {@link ServiceLoader} (list the class in
 * {@code META-INF/services/dev.lamina.zoo.ZooWeights}). {@link Zoo#load(String, ZooOptions)} with
 * {@code pretrained} asks each in turn; when none has them, it refuses and names the weights
 * that exist.
 */
public interface ZooWeights {
    /** The zoo model these weights are for ({@code resnet50}). */
    String model();

    /** The name of the weights ({@code imagenet}), as {@code pretrained:} names them. */
    String weights();

    /**
     * Null when these weights fit model {@code name} made with {@code options}; otherwise why not
     * (such as "the ImageNet weights have 1000 classes"), for the error.
     */
    String misfit(ZooOptions options);

    /**
     * The layer that prepares Lamina's images ([0, 1], RGB) as these weights were trained on,
     * put first in the model; null for none.
     */
    default LayerSpec preprocessing() {
        return null;
    }

    /** Sets the weights of {@code model}, the zoo's model freshly made, to the trained ones. */
    void apply(ZooOptions options, Model model) throws IOException;
}
