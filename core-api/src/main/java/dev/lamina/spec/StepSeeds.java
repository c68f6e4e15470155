package dev.lamina.spec;

/**
 * The seeds of a model's random draws made in Java during training (augmentation layers draw
 * their flips, angles and noise here, so that both engines see the same). The training loop
 * starts each update with a seed that follows from the fit's seed and the update's number alone;
 * the draws of that update follow from it in the order the layers ask. So a run resumed from a
 * checkpoint draws exactly what the stopped run would have.
 */
public final class StepSeeds {
    private long base;
    private long calls;

    /** An update begins: its draws follow from {@code seed}. */
    public synchronized void beginUpdate(long seed) {
        base = seed;
        calls = 0;
    }

    /** The seed of the next draw of this update. */
    public synchronized long next() {
        return mix(base, calls++);
    }

    /** A well-mixed seed for draw {@code n} of a stream seeded {@code seed} (SplitMix64). */
    public static long mix(long seed, long n) {
        long z = seed + (n + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
