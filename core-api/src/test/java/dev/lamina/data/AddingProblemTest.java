package dev.lamina.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import dev.lamina.spec.ConfigException;
import org.junit.jupiter.api.Test;

/** The adding problem: two marked steps, one per half, and their sum as the target. */
class AddingProblemTest {
    @Test
    void eachSampleHasTwoMarksOnePerHalfAndTheirSumAsTarget() {
        Dataset d = AddingProblem.generate(10, 200, 5);
        assertEquals(new Shape(10, 2), d.inputs().get(0).sampleShape());
        assertEquals(new Shape(1), d.labels().get(0).sampleShape());
        double meanTarget = 0;
        for (int i = 0; i < d.size(); i++) {
            float[] x = d.inputs().get(0).sample(i);
            int marks = 0;
            int firstHalf = 0;
            double sum = 0;
            for (int t = 0; t < 10; t++) {
                assertTrue(x[2 * t] >= 0 && x[2 * t] < 1);
                if (x[2 * t + 1] == 1) {
                    marks++;
                    firstHalf += t < 5 ? 1 : 0;
                    sum += x[2 * t];
                } else {
                    assertEquals(0, x[2 * t + 1]);
                }
            }
            assertEquals(2, marks);
            assertEquals(1, firstHalf);
            assertEquals(sum, d.labels().get(0).data()[i], 1e-6);
            meanTarget += sum / d.size();
        }
        assertEquals(1.0, meanTarget, 0.1);
    }

    @Test
    void aSeedRepeatsAndTheSourceSplitsDiffer() {
        assertArrayEquals(AddingProblem.generate(8, 5, 1).inputs().get(0).data(),
                AddingProblem.generate(8, 5, 1).inputs().get(0).data());
        Dataset train = DataSources.load("adding:train?length=20&samples=30");
        Dataset test = DataSources.load("adding:test?length=20&samples=30");
        assertEquals(30, train.size());
        assertEquals(new Shape(20, 2), train.inputs().get(0).sampleShape());
        assertTrue(train.labels().get(0).data()[0] != test.labels().get(0).data()[0]);
        assertEquals(1_000, DataSources.load("adding:test").size());
    }

    @Test
    void badOptionsAreNamed() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> DataSources.load("adding:train?lenght=5"));
        assertTrue(e.getMessage().contains("unknown option 'lenght=5'"), e.getMessage());
        assertTrue(e.getMessage().contains("Did you mean 'length'?"), e.getMessage());
        ConfigException s = assertThrows(ConfigException.class,
                () -> DataSources.load("adding:trian"));
        assertTrue(s.getMessage().contains("Did you mean 'train'?"), s.getMessage());
        ConfigException l = assertThrows(ConfigException.class,
                () -> DataSources.load("adding:train?length=1"));
        assertTrue(l.getMessage().contains("length must be at least 2"), l.getMessage());
    }

    @Test
    void variableLengthsArePaddedWithZeroStepsAfterTheirEnd() {
        Dataset d = DataSources.load("adding:train?length=12&min_length=4&samples=300");
        float[] x = d.inputs().get(0).data();
        int[] seen = new int[13];
        for (int i = 0; i < 300; i++) {
            int len = 0;
            while (len < 12 && !(x[i * 24 + 2 * len] == 0 && x[i * 24 + 2 * len + 1] == 0)) {
                len++;
            }
            assertTrue(len >= 4, "length " + len);
            seen[len]++;
            double sum = 0;
            int firstHalf = 0;
            for (int t = 0; t < 12; t++) {
                float v = x[i * 24 + 2 * t];
                float mark = x[i * 24 + 2 * t + 1];
                if (t >= len) {
                    assertEquals(0, v, "padding after the end");
                    assertEquals(0, mark, "padding after the end");
                } else {
                    assertTrue(v > 0 && v < 1, "a real step is never all zeros");
                }
                if (mark == 1) {
                    sum += v;
                    firstHalf += t < len / 2 ? 1 : 0;
                }
            }
            assertEquals(1, firstHalf, "one mark in each half of the sequence's own length");
            assertEquals(sum, d.labels().get(0).data()[i], 1e-6);
        }
        for (int len = 4; len <= 12; len++) {
            assertTrue(seen[len] > 0, "every length from min_length to length occurs: " + len);
        }
        ConfigException e = assertThrows(ConfigException.class,
                () -> DataSources.load("adding:train?length=10&min_length=11"));
        assertTrue(e.getMessage().contains("min_length must be from 2 to length=10, received"
                + " min_length=11"), e.getMessage());
    }
}
