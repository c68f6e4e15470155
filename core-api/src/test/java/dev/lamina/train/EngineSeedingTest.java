package dev.lamina.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.Functional;
import dev.lamina.Sequential;
import dev.lamina.layers.BatchNorm;
import dev.lamina.layers.Conv2d;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Dropout;
import dev.lamina.layers.Flatten;
import dev.lamina.layers.GaussianNoise;
import dev.lamina.layers.Lstm;
import dev.lamina.layers.Merge;
import dev.lamina.spec.Input;
import dev.lamina.spec.Node;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A model made only of layers that draw nothing from the engine's generator is trained without
 * seeding the engine before each update (which makes MXNet wait); any other layer keeps the
 * seeding that exact resume needs.
 */
class EngineSeedingTest {
    @Test
    void onlyModelsThatDrawSeedTheEngine() {
        Sequential plain = new Sequential("plain").input(1, 8, 8);
        plain.add(new Conv2d(4, 3, 1, "same", "relu")).add(new BatchNorm()).add(new Flatten())
                .add(new Dense(3));
        assertFalse(plain.drawsOnEngine());
        plain.close();

        Sequential dropout = new Sequential("dropout").input(4);
        dropout.add(new Dense(8, "relu")).add(new Dropout(0.2)).add(new Dense(3));
        assertTrue(dropout.drawsOnEngine());
        dropout.close();

        Sequential noise = new Sequential("noise").input(4);
        noise.add(new GaussianNoise(0.1)).add(new Dense(3));
        assertTrue(noise.drawsOnEngine());
        noise.close();

        Sequential recurrent = new Sequential("rnn").input(5, 3);
        recurrent.add(new Lstm(4)).add(new Dense(2));
        assertTrue(recurrent.drawsOnEngine(), "a layer not known to draw nothing counts as drawing");
        recurrent.close();

        Node x = Input.of("x", 4);
        Node a = new Dense(4).on(x);
        Node sum = Merge.add().on(x, a);
        Functional graph = new Functional("graph", List.of(x), List.of(new Dense(2).on(sum)));
        assertFalse(graph.drawsOnEngine());
        graph.close();
        Node d = new Dropout(0.5).on(sum);
        try (Functional g2 = new Functional("graph2", List.of(x), List.of(new Dense(2).on(d)))) {
            assertTrue(g2.drawsOnEngine());
        }
    }
}
