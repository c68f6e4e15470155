package dev.lamina.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The share of CPU time the host took from this virtual machine (Linux's "steal", the eighth
 * figure of the {@code cpu} line of {@code /proc/stat}), added up over chosen stretches: the
 * bench prints it beside each row, since on a shared host it is the largest cause of a round
 * running slow, and a ratio measured while a third of the time was taken says little.
 */
final class HostSteal {
    private static final Path STAT = Path.of("/proc/stat");
    private long stolen;
    private long total;
    private long[] start;
    private long lastStolen;
    private long lastTotal;

    /** A stretch begins (nothing happens where {@code /proc/stat} cannot be read). */
    void begin() {
        start = read();
    }

    /** The stretch begun last ends; {@code count}: whether it is added up. */
    void end(boolean count) {
        long[] now = read();
        lastStolen = 0;
        lastTotal = 0;
        if (start != null && now != null) {
            lastStolen = now[0] - start[0];
            lastTotal = now[1] - start[1];
        }
        if (count) {
            stolen += lastStolen;
            total += lastTotal;
        }
        start = null;
    }

    /** The counted stretches' stolen share, as "12%"; "-" where it could not be read. */
    String share() {
        return percent(stolen, total);
    }

    /** The last stretch's stolen share, counted or not, as {@link #share}. */
    String lastShare() {
        return percent(lastStolen, lastTotal);
    }

    private static String percent(long part, long whole) {
        return whole <= 0 ? "-" : Math.round(100.0 * part / whole) + "%";
    }

    /** {stolen, total} jiffies from {@code /proc/stat}, or null. */
    private static long[] read() {
        try {
            List<String> lines = Files.readAllLines(STAT);
            return lines.isEmpty() ? null : parse(lines.get(0));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * {stolen, total} from the {@code cpu} line: user, nice, system, idle, iowait, irq, softirq,
     * steal (the guest figures that may follow are already in user and nice); null if the line is
     * not one, or has no steal figure (kernels before 2.6.11).
     */
    static long[] parse(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        if (!f[0].equals("cpu") || f.length < 9) {
            return null;
        }
        long total = 0;
        for (int i = 1; i <= 8; i++) {
            total += Long.parseLong(f[i]);
        }
        return new long[] {Long.parseLong(f[8]), total};
    }
}
