package dev.lamina.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import dev.lamina.Model;
import dev.lamina.Sequential;
import dev.lamina.data.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A save killed at any moment (a real process, SIGKILL) leaves the directory holding the old
 * model or the new one, whole: never half of each, never nothing.
 */
class KilledSaveTest {
    @TempDir
    Path tmp;

    static float[] predictions(Model m) {
        float[] x = new float[3 * 64];
        Random r = new Random(9);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return m.predict(new Tensor(x, new Shape(64))).data();
    }

    @Test
    void aSaveKilledTwentyTimesNeverLosesTheModel() throws Exception {
        Path dir = tmp.resolve("model");
        float[] old;
        float[] fresh;
        try (Sequential a = SaveLoop.model(1); Sequential b = SaveLoop.model(2)) {
            a.save(dir);
            old = predictions(a);
            fresh = predictions(b);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Random delays = new Random(5);
        int sawOld = 0;
        int sawNew = 0;
        // twenty kills over the first second of saving; on a loaded machine, where a save takes
        // longer, later kills wait longer until one comes after a finished save
        for (int kill = 0; kill < 20 || sawNew == 0 && kill < 40; kill++) {
            Process p = new ProcessBuilder(java, "-Dai.djl.offline=true", "-Xmx1g",
                    "-cp", System.getProperty("java.class.path"), SaveLoop.class.getName(),
                    dir.toString(), "2").redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(
                    p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null && !line.equals("saving")) {
                    // the engine's start-up lines
                }
                // moments spread over the first second of saving: the first save, and later
                // ones at every stage of writing
                Thread.sleep(kill < 20 ? kill * 50L + delays.nextInt(50) : (kill - 19) * 500L);
                p.destroyForcibly(); // SIGKILL
                p.waitFor(30, TimeUnit.SECONDS);
            }
            try (Model back = Model.load(dir)) {
                float[] got = predictions(back);
                boolean isOld = Arrays.equals(got, old);
                boolean isNew = Arrays.equals(got, fresh);
                assertTrue(isOld || isNew, "kill " + kill + ": a model that is neither");
                sawOld += isOld ? 1 : 0;
                sawNew += isNew ? 1 : 0;
            }
            // back to the old model for the next kill, with the same kind of save
            try (Sequential a = SaveLoop.model(1)) {
                a.save(dir);
            }
            try (Stream<Path> files = Files.list(dir)) {
                List<String> names = files.map(f -> f.getFileName().toString()).toList();
                assertTrue(names.size() == 2, "a save cleans up what a killed one left: " + names);
            }
        }
        System.out.println("killed saves: the old model " + sawOld + " times, the new " + sawNew);
        assertTrue(sawNew > 0, "some kills came after a save finished: " + sawOld + " old, "
                + sawNew + " new");
    }
}
