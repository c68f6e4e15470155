package dev.lamina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.train.FitContext;
import dev.lamina.train.History;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The progress output away from a terminal (Keras's lines), and the panels of curves.png. */
class ProgressTest {
    @Test
    void numbersAreWrittenAsKerasWritesThem() {
        assertEquals("0.5123", Progress.number(0.51234));
        assertEquals("12.0000", Progress.number(12));
        assertEquals("1.0000e-04", Progress.number(1e-4));
        assertEquals("0.0000e+00", Progress.number(0));
    }

    @Test
    void kerasEpochLine() {
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("loss", 0.5);
        logs.put("accuracy", 0.75);
        logs.put("val_loss", 0.625);
        logs.put("learning_rate", 0.001);
        assertEquals("84/84 - 3s - 37ms/step - loss: 0.5000 - accuracy: 0.7500 - val_loss: 0.6250"
                + " - learning_rate: 1.0000e-03", Progress.epochLine(84, 3.1, logs));
    }

    @Test
    void plainOutputIsAHeaderAndALinePerEpochThenTheStop() {
        StringWriter s = new StringWriter();
        Progress p = new Progress(new PrintWriter(s), false);
        History h = new History();
        FitContext run = new FitContext(null, 5, 3, h, null);
        p.onTrainBegin(run);
        for (int e = 0; e < 2; e++) {
            p.onEpochBegin(e, run);
            for (int b = 0; b < 3; b++) {
                p.onBatchEnd(e, b, Map.of("loss", 1.0), run);
            }
            h.addEpoch(Map.of("loss", 0.25));
            p.onEpochEnd(e, Map.of("loss", 0.25), run);
        }
        run.stopTraining();
        p.onTrainEnd(h, run);
        String[] lines = s.toString().split("\n");
        assertEquals(5, lines.length, s.toString());
        assertEquals("Epoch 1/5", lines[0]);
        assertTrue(lines[1].matches("3/3 - \\d+s - \\d+ms/step - loss: 0\\.2500"), lines[1]);
        assertEquals("Epoch 2/5", lines[2]);
        assertEquals("Epoch 2: early stopping", lines[4]);
    }

    @Test
    void curvesShowTheLearningRateOnlyWhenItChanges() {
        History fixed = new History();
        History decayed = new History();
        for (int e = 0; e < 3; e++) {
            fixed.addEpoch(Map.of("loss", 1.0 / (e + 1), "learning_rate", 0.1));
            Map<String, Double> logs = new LinkedHashMap<>();
            logs.put("loss", 1.0 / (e + 1));
            logs.put("val_loss", 1.0 / (e + 2));
            logs.put("learning_rate", 0.1 * Math.pow(0.5, e));
            decayed.addEpoch(logs);
        }
        assertEquals(List.of("loss"), Plots.panels(fixed));
        assertEquals(List.of("loss", "learning_rate"), Plots.panels(decayed));
    }
}
