package dev.lamina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The profile counts this thread's samples only inside the windows it was asked to count, and a
 * round that did not count takes all of its windows with it (a bench round has one per Lamina
 * run).
 */
class ProfileTest {
    @TempDir
    Path dir;

    @Test
    void samplesCountOnlyInsideTheWindowsKept() throws Exception {
        int kept = samples(0);
        assertTrue(kept >= 10, "two windows of 1 s of Java work, sampled every 10 ms (about 200 samples): " + kept);
        assertEquals(0, samples(2), "both windows of a discarded round are forgotten");
    }

    /** Samples reported after two 1 s windows of busy Java work, the last {@code discard} dropped. */
    private int samples(int discard) throws Exception {
        Profile p = new Profile(dir.resolve("p" + discard + ".jfr"));
        for (int w = 0; w < 2; w++) {
            p.resume();
            spin(1000);
            p.pause();
            spin(50); // between windows: not counted
        }
        p.discardLast(discard);
        StringWriter text = new StringWriter();
        p.stopAndReport(new PrintWriter(text, true));
        Matcher m = Pattern.compile("\\((\\d+) samples of 10 ms").matcher(text.toString());
        assertTrue(m.find(), text.toString());
        return Integer.parseInt(m.group(1));
    }

    private static double spin(long millis) {
        long end = System.nanoTime() + millis * 1_000_000L;
        double x = 0;
        while (System.nanoTime() < end) {
            x += Math.sqrt(x + 1);
        }
        return x;
    }
}
