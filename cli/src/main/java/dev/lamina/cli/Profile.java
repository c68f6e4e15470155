package dev.lamina.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * {@code lamina bench --profile FILE.jfr}: a Java Flight Recorder recording of the measured
 * rounds, and where the time went. JFR samples every running Java thread every 10 ms: a sample
 * in Java code ({@code jdk.ExecutionSample}) counts as <b>Java</b>; one in a native method
 * ({@code jdk.NativeMethodSample}) as <b>waiting</b> when the method reads an array back
 * (the engine finishes what was queued before it returns) and as <b>native</b> (the kernels
 * and DJL's calls into them) otherwise. Only the training thread is counted, and only while
 * Lamina's side of a round runs. The file opens in JDK Mission Control for more.
 */
final class Profile {
    /** Native methods that return an array's values to Java, so wait for the engine. */
    private static final List<String> READS = List.of("DataPtr", "ToFloat", "toByteBuffer",
            "SyncCopyToCPU", "WaitToRead", "WaitAll", "Item", "torchGetItem");

    private final Path file;
    private final Recording recording = new Recording();
    private final String thread = Thread.currentThread().getName();
    private final List<long[]> windows = new java.util.ArrayList<>();
    private boolean started;
    private long from;

    Profile(Path file) {
        this.file = file;
        recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
        recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(10));
    }

    /** Counts samples from now on (Lamina's side of a measured round begins). */
    void resume() {
        if (!started) {
            recording.start();
            started = true;
        }
        from = System.nanoTime();
    }

    /** Stops counting (the round's Lamina side ended). */
    void pause() {
        windows.add(new long[] {from, System.nanoTime()});
    }

    /**
     * Forgets the last {@code count} windows: their round was not counted after all (the JIT
     * still compiled).
     */
    void discardLast(int count) {
        for (int i = 0; i < count && !windows.isEmpty(); i++) {
            windows.remove(windows.size() - 1);
        }
    }

    /** Writes the recording and prints the breakdown. */
    void stopAndReport(PrintWriter out) throws IOException {
        if (!started) {
            return;
        }
        recording.stop();
        recording.dump(file);
        recording.close();
        // JFR stamps events with wall-clock instants; map our nanoTime windows onto them
        long nanoNow = System.nanoTime();
        long epochNow = java.time.Instant.now().toEpochMilli() * 1_000_000L;
        Map<String, Integer> counts = new HashMap<>();
        Map<String, Map<String, Integer>> top = new HashMap<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            String type = e.getEventType().getName();
            boolean java = type.equals("jdk.ExecutionSample");
            if (!java && !type.equals("jdk.NativeMethodSample")) {
                continue;
            }
            var t = e.getThread("sampledThread");
            if (t == null || !thread.equals(t.getJavaName())) {
                continue;
            }
            long at = e.getStartTime().getEpochSecond() * 1_000_000_000L + e.getStartTime().getNano()
                    - epochNow + nanoNow;
            if (windows.stream().noneMatch(w -> at >= w[0] && at <= w[1])) {
                continue;
            }
            RecordedStackTrace st = e.getStackTrace();
            String method = "?";
            if (st != null && !st.getFrames().isEmpty()) {
                RecordedFrame f = st.getFrames().get(0);
                method = f.getMethod().getType().getName() + "." + f.getMethod().getName();
            }
            String kind = java ? "Java" : READS.stream().anyMatch(method::contains) ? "waiting"
                    : "native";
            counts.merge(kind, 1, Integer::sum);
            top.computeIfAbsent(kind, k -> new HashMap<>()).merge(method, 1, Integer::sum);
        }
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        out.printf(Locale.ROOT, "%nwhere Lamina's training thread spent its time (%d samples of 10"
                + " ms, JFR; recording in %s):%n", total, file);
        for (String kind : List.of("native", "Java", "waiting")) {
            int n = counts.getOrDefault(kind, 0);
            out.printf(Locale.ROOT, "  %-8s %5.1f%%", kind, total == 0 ? 0 : 100.0 * n / total);
            top.getOrDefault(kind, Map.of()).entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(3)
                    .forEach(m -> out.printf(Locale.ROOT, "  %s %.0f%%", shortName(m.getKey()),
                            100.0 * m.getValue() / total));
            out.println();
        }
    }

    private static String shortName(String method) {
        int dot = method.lastIndexOf('.', method.lastIndexOf('.') - 1);
        return dot < 0 ? method : method.substring(dot + 1);
    }
}
