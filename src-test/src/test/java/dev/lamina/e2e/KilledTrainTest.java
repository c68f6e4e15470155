package dev.lamina.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lamina.cli.Main;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lamina train} killed with SIGKILL (a real process) and started again with
 * {@code --resume} ends with the very weights of a run never killed: the same bytes of weights,
 * the same History, the same test accuracy.
 */
class KilledTrainTest {
    @TempDir
    Path tmp;

    static final Path RUN = Path.of("src/test/resources/resume/mlp.yaml");

    /**
     * Starts {@code lamina train} in a child JVM, on the default engine (PyTorch). (Runs of this
     * MLP once differed from process to process there: dropout's constant was freed before the
     * backward pass read it, fixed by engine.Constants.)
     */
    static Process train(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Dai.djl.offline=true", "-Xmx2g", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "train"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    /** Runs to the end; returns what it printed. */
    static String finish(Process p) throws Exception {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the run ends");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** Kills {@code p} with SIGKILL a little after epoch {@code epoch} ends (the next begins). */
    static void killAfterEpoch(Process p, int epoch, long delayMs) throws Exception {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null
                    && !line.startsWith("Epoch " + (epoch + 1) + "/")) {
                // start-up lines and earlier epochs
            }
            assertTrue(line != null, "the run printed epoch " + epoch);
            Thread.sleep(delayMs);
            p.destroyForcibly(); // SIGKILL
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(Path p) throws Exception {
        return new ObjectMapper().readValue(p.toFile(), Map.class);
    }

    @Test
    void aRunKilledTwiceAndResumedEndsWithTheWeightsOfOneNeverKilled() throws Exception {
        Path whole = tmp.resolve("whole");
        String wholeOut = finish(train(RUN.toString(), "--out", whole.toString()));

        Path dir = tmp.resolve("killed");
        Random delays = new Random(3);
        // once just after an epoch's line (the checkpoint may be half written), once later
        killAfterEpoch(train(RUN.toString(), "--out", dir.toString()), 2, delays.nextInt(200));
        assertTrue(Files.isRegularFile(dir.resolve("backup/checkpoint.json")), "a checkpoint");
        killAfterEpoch(train(RUN.toString(), "--resume", dir.toString()), 4,
                delays.nextInt(200));
        String resumedOut = finish(train(RUN.toString(), "--resume", dir.toString()));
        assertTrue(resumedOut.contains("resuming 'resume-mlp' from its checkpoint after epoch"),
                resumedOut);

        Map<String, Object> a = json(whole.resolve("model/model.json"));
        Map<String, Object> b = json(dir.resolve("model/model.json"));
        assertEquals(a.get("params_sha256"), b.get("params_sha256"), "the same weights, bit for"
                + " bit");
        assertEquals(Files.readString(whole.resolve("history.csv")),
                Files.readString(dir.resolve("history.csv")), "the same History");
        assertEquals(last(wholeOut, "test accuracy"), last(resumedOut, "test accuracy"));
        assertFalse(Files.exists(dir.resolve("backup")), "a finished run leaves no checkpoint");
    }

    @Test
    void resumeSaysWhatToDoWhenThereIsNothingToResumeOrAFreshStartWouldOverwrite()
            throws Exception {
        Path dir = tmp.resolve("none");
        Cli c = Cli.run("train", RUN.toString(), "--resume", dir.toString());
        assertEquals(2, c.status(), c.err());
        assertTrue(c.err().contains("nothing to resume: " + dir + " holds no checkpoint"),
                c.err());
        Files.createDirectories(dir.resolve("backup"));
        Files.writeString(dir.resolve("backup/checkpoint.json"), "{}");
        c = Cli.run("train", RUN.toString(), "--out", dir.toString());
        assertEquals(2, c.status(), c.err());
        assertTrue(c.err().contains("holds the checkpoint of a run that did not finish: go on"
                + " from it with --resume " + dir), c.err());
        c = Cli.run("train", RUN.toString(), "--resume", dir.toString());
        assertEquals(2, c.status(), c.err());
        assertTrue(c.err().contains("not a Lamina checkpoint"), c.err());
    }

    static String last(String out, String prefix) {
        String found = null;
        for (String l : out.split("\n")) {
            if (l.startsWith(prefix)) {
                found = l;
            }
        }
        assertTrue(found != null, "no line '" + prefix + "' in:\n" + out);
        return found;
    }
}
