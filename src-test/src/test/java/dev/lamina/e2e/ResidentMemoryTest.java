package dev.lamina.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A long fit's resident memory (the process's RSS, native memory included, not only the count of
 * arrays) stays flat once warmed up: every batch's arrays, every validation's and every
 * checkpoint's are freed. The JVM's heap is fixed and touched at start, so what grows is native.
 */
class ResidentMemoryTest {
    @TempDir
    Path tmp;

    static final int EPOCHS = 60;

    @ParameterizedTest
    @ValueSource(strings = {"pytorch", "mxnet"})
    void residentMemoryStaysFlatOverSixtyEpochs(String engine) throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs Linux's /proc");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Dai.djl.offline=true", "-Xms256m", "-Xmx256m",
                "-XX:+AlwaysPreTouch", "-cp", System.getProperty("java.class.path"),
                MemoryLoop.class.getName(), engine, Integer.toString(EPOCHS),
                tmp.resolve("backup").toString()).redirectErrorStream(true).start();
        List<Long> rss = new ArrayList<>();
        StringBuilder all = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                all.append(line).append('\n');
                if (line.startsWith("rss ")) {
                    rss.add(Long.parseLong(line.split(" ")[2]));
                }
            }
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), all.toString());
        assertEquals(EPOCHS, rss.size(), all.toString());
        // after 30 epochs of warm-up (the native allocators and the JIT grow their pools for a
        // while), the growth from the mean of epochs 31-45 to that of epochs 46-60, per epoch:
        // a leak of one batch's activations (about 0.3 MiB) in each of the 16 batches of an
        // epoch would grow it by some 5 MiB an epoch; what is measured is a tenth of that
        double early = mean(rss.subList(EPOCHS - 30, EPOCHS - 15));
        double late = mean(rss.subList(EPOCHS - 15, EPOCHS));
        double perEpochMib = (late - early) / 1024 / 15;
        System.out.printf("%s: RSS %.0f MiB after warm-up, then %.2f MiB an epoch%n",
                engine, early / 1024, perEpochMib);
        assertTrue(perEpochMib < 1.5, engine + ": resident memory grew " + perEpochMib
                + " MiB an epoch: " + rss);
    }

    static double mean(List<Long> v) {
        return v.stream().mapToLong(Long::longValue).average().orElseThrow();
    }
}
