package dev.lamina.spec;

import java.util.Random;

/**
 * What a layer needs to become a DJL block: the Java generator its initial weights are drawn from
 * (one seed, the same weights on every engine): {@code initializer.toDjl(ctx.random())}.
 */
public final class BuildContext {
    private final Random random;
    private final StepSeeds steps = new StepSeeds();

    /** A context whose initializers draw from {@code random}. */
    public BuildContext(Random random) {
        this.random = random;
    }

    /** A context seeded with {@code seed}. */
    public static BuildContext seeded(long seed) {
        return new BuildContext(new Random(seed));
    }

    /** The seeds of the draws layers make in Java during training (see {@link StepSeeds}). */
    public StepSeeds steps() {
        return steps;
    }

    /** The generator initial weights come from. */
    public Random random() {
        return random;
    }
}
