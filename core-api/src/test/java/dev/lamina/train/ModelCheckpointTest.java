package dev.lamina.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.Model;
import dev.lamina.Sequential;
import dev.lamina.layers.Dense;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** model_checkpoint: Keras's filepath fields, and which epochs it saves on a scripted History. */
class ModelCheckpointTest {
    @TempDir
    Path tmp;

    @Test
    void filepathFieldsAreFilledAsPythonFormatsThem() {
        Map<String, Double> logs = Map.of("val_loss", 0.123456, "accuracy", 0.875);
        assertEquals("ckpt/03-0.123", ModelCheckpoint.format("ckpt/{epoch:02d}-{val_loss:.3f}", 3,
                logs));
        assertEquals("e7-acc0.88", ModelCheckpoint.format("e{epoch}-acc{accuracy:.2f}", 7, logs));
        assertEquals("007", ModelCheckpoint.format("{epoch:03d}", 7, logs));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelCheckpoint.format("{val_acc:.2f}", 1, logs));
        assertTrue(e.getMessage().contains("filepath names {val_acc}, which this run does not"
                + " report"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ModelCheckpoint("m-{epoch:x}"));
        assertTrue(e.getMessage().contains("filepath field {epoch:x} is not {name}"),
                e.getMessage());
    }

    @Test
    void saveBestOnlySavesWhenTheMonitorImproves() throws Exception {
        try (Sequential m = new Sequential("m").input(3)) {
            m.add(new Dense(2));
            FitContext run = new FitContext(m, 6, 1, new History(), null);
            ModelCheckpoint best = new ModelCheckpoint(tmp.resolve("best").toString(), "val_loss",
                    true, "auto", 0, null);
            ModelCheckpoint each = new ModelCheckpoint(tmp.resolve("e{epoch:02d}").toString());
            best.onTrainBegin(run);
            each.onTrainBegin(run);
            List<Double> losses = List.of(0.9, 0.7, 0.8, 0.6, 0.65, 0.61);
            for (int e = 0; e < losses.size(); e++) {
                Map<String, Double> logs = Map.of("loss", 1.0, "val_loss", losses.get(e));
                best.onEpochEnd(e, logs, run);
                each.onEpochEnd(e, logs, run);
                if (e == 1) { // after the second epoch's save, the best model is there
                    assertTrue(Files.isRegularFile(tmp.resolve("best/model.json")));
                }
            }
            for (int e = 1; e <= 6; e++) {
                assertTrue(Files.isDirectory(tmp.resolve(String.format("e%02d", e))), "epoch " + e);
            }
            // saved at epochs 1, 2 and 4 (0.9, 0.7, 0.6); the last save is the best's
            try (Model back = Model.load(tmp.resolve("best"))) {
                assertEquals("m", back.name());
            }
            ModelCheckpoint accuracy = new ModelCheckpoint(tmp.resolve("acc{epoch}").toString(),
                    "val_accuracy", true, "auto", 0, 0.5);
            accuracy.onTrainBegin(run);
            double[] acc = {0.4, 0.6, 0.55, 0.7};
            for (int e = 0; e < acc.length; e++) {
                accuracy.onEpochEnd(e, Map.of("val_accuracy", acc[e]), run);
            }
            assertFalse(Files.exists(tmp.resolve("acc1")), "0.4 is under the initial threshold");
            assertTrue(Files.exists(tmp.resolve("acc2")));
            assertFalse(Files.exists(tmp.resolve("acc3")), "0.55 is no better than 0.6");
            assertTrue(Files.exists(tmp.resolve("acc4")));
        }
    }
}
