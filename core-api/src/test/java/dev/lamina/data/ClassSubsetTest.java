package dev.lamina.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.spec.ConfigException;
import org.junit.jupiter.api.Test;

/** ?classes=...&per_class=N on the image sets: which images stay, and their new labels. */
class ClassSubsetTest {
    @Test
    void keepsTheFirstImagesOfTheClassesNumberedAnew() {
        Dataset all = DataSources.load("fashion-mnist-sample:train");
        Dataset sub = DataSources.load("fashion-mnist-sample:train?classes=7,2&per_class=10");
        assertEquals(20, sub.size());
        float[] y = sub.labels().get(0).data();
        int[] count = new int[2];
        for (float v : y) {
            count[(int) v]++;
        }
        assertArrayEquals(new int[] {10, 10}, count);
        // the first kept image is the first of class 7 or 2 in the file, labelled by its place
        float[] labels = all.labels().get(0).data();
        int first = 0;
        while (labels[first] != 7 && labels[first] != 2) {
            first++;
        }
        assertArrayEquals(all.inputs().get(0).sample(first), sub.inputs().get(0).sample(0));
        assertEquals(labels[first] == 7 ? 0 : 1, (int) y[0]);
        // every class, 5 of each
        assertEquals(50, DataSources.load("fashion-mnist-sample:test?per_class=5").size());
    }

    @Test
    void badOptionsAreNamed() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> DataSources.load("fashion-mnist-sample:train?clases=1"));
        assertTrue(e.getMessage().contains("unknown option 'clases=1'; it takes classes=A,B,..."
                + " and per_class=N. Did you mean 'classes'?"), e.getMessage());
        e = assertThrows(ConfigException.class,
                () -> DataSources.load("fashion-mnist-sample:train?per_class=0"));
        assertTrue(e.getMessage().contains("per_class must be a positive number, such as"
                + " per_class=100, received '0'"), e.getMessage());
        e = assertThrows(ConfigException.class,
                () -> DataSources.load("fashion-mnist-sample:train?classes=3,3"));
        assertTrue(e.getMessage().contains("classes must be distinct class ids from 0"),
                e.getMessage());
        e = assertThrows(ConfigException.class,
                () -> DataSources.load("fashion-mnist-sample:train?classes=42"));
        assertTrue(e.getMessage().contains("has no image of the classes [42]"), e.getMessage());
    }
}
