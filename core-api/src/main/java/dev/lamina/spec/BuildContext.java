package dev.lamina.spec;

import ai.djl.training.initializer.Initializer;
import dev.lamina.initializers.InitializerSpec;
import java.util.Random;

/**
 * What a layer needs to become a DJL block: the Java generator its initial weights are drawn from
 * (one seed, the same weights on every engine).
 */
public final class BuildContext {
    private final Random random;

    /** A context whose initializers draw from {@code random}. */
    public BuildContext(Random random) {
        this.random = random;
    }

    /** A context seeded with {@code seed}. */
    public static BuildContext seeded(long seed) {
        return new BuildContext(new Random(seed));
    }

    /** The generator initial weights come from. */
    public Random random() {
        return random;
    }

    /** A DJL initializer for {@code spec} drawing from this context's generator. */
    public Initializer initializer(InitializerSpec spec) {
        return spec.toDjl(random);
    }
}
