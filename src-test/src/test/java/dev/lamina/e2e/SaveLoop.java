package dev.lamina.e2e;

import dev.lamina.Sequential;
import dev.lamina.layers.Dense;
import dev.lamina.losses.Losses;
import dev.lamina.optimizers.Optimizers;
import java.nio.file.Path;

/**
 * A process for {@link KilledSaveTest}: saves the model {@link #model(long)} over directory
 * {@code args[0]} again and again until it is killed, saying "saving" once it has started.
 */
public final class SaveLoop {
    private SaveLoop() {}

    /** The model both sides build: big enough that a save takes a few milliseconds. */
    static Sequential model(long seed) {
        Sequential m = new Sequential("killed").input(64);
        m.add(new Dense(512, "relu")).add(new Dense(512, "relu")).add(new Dense(4));
        m.engine("pytorch").seed(seed);
        m.compile(Optimizers.sgd(0.1), Losses.meanSquaredError());
        return m;
    }

    /** Saves seed {@code args[1]}'s model over {@code args[0]} until killed. */
    public static void main(String[] args) throws Exception {
        try (Sequential m = model(Long.parseLong(args[1]))) {
            m.build();
            System.out.println("saving");
            System.out.flush();
            while (true) {
                m.save(Path.of(args[0]));
            }
        }
    }
}
