package dev.lamina.run.search;

import dev.lamina.io.AtomicFiles;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code trials.csv}: one row per finished trial, in trial order: {@code trial}, the value of each
 * path of the space, the objective's metric, {@code best_epoch}, {@code seconds}, {@code status}
 * and {@code message}. Written whole and atomically each time a trial ends; read back to resume.
 */
final class TrialsCsv {
    static final String FILE = "trials.csv";

    private TrialsCsv() {}

    /** A value as the table writes it: reals to six significant digits, the rest as they are. */
    static String format(Object v) {
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) {
                return Double.toString(d);
            }
            return new BigDecimal(d).round(new MathContext(6)).stripTrailingZeros()
                    .toPlainString();
        }
        return String.valueOf(v);
    }

    /** The header row's cells. */
    static List<String> header(Collection<String> paths, String metric) {
        List<String> h = new ArrayList<>();
        h.add("trial");
        h.addAll(paths);
        h.addAll(List.of(metric, "best_epoch", "seconds", "status", "message"));
        return h;
    }

    /** The row of {@code r}, whose values are {@code t}'s. */
    static List<String> row(Trial t, TrialResult r) {
        List<String> row = new ArrayList<>();
        row.add(Integer.toString(t.number()));
        t.values().values().forEach(v -> row.add(format(v)));
        row.add(Double.isNaN(r.metric()) ? "" : String.format(Locale.ROOT, "%.6f", r.metric()));
        row.add(r.bestEpoch() > 0 ? Integer.toString(r.bestEpoch()) : "");
        row.add(String.format(Locale.ROOT, "%.1f", r.seconds()));
        row.add(r.status());
        row.add(r.message());
        return row;
    }

    /** Writes the table of the finished trials atomically. */
    static void write(Path file, List<String> header, Map<Integer, List<String>> rows)
            throws IOException {
        StringBuilder sb = new StringBuilder(line(header));
        new TreeMap<>(rows).values().forEach(r -> sb.append(line(r)));
        AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The rows of an existing table by trial number; its header must be {@code header}. */
    static Map<Integer, List<String>> read(Path file, List<String> header) throws IOException {
        Map<Integer, List<String>> out = new TreeMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !cells(lines.get(0)).equals(header)) {
            throw new IllegalArgumentException(file + " was written by another search (its"
                    + " columns are " + (lines.isEmpty() ? "none" : cells(lines.get(0)))
                    + ", this search's are " + header + "): give another --out directory");
        }
        for (String l : lines.subList(1, lines.size())) {
            if (l.isBlank()) {
                continue;
            }
            List<String> c = cells(l);
            if (c.size() != header.size()) {
                throw new IllegalArgumentException(file + ": cannot read the row '" + l + "'");
            }
            out.put(Integer.parseInt(c.get(0)), c);
        }
        return out;
    }

    /** The result a row records. */
    static TrialResult result(List<String> row) {
        int n = row.size();
        String metric = row.get(n - 5);
        return new TrialResult(Integer.parseInt(row.get(0)), row.get(n - 2),
                metric.isEmpty() ? Double.NaN : Double.parseDouble(metric),
                row.get(n - 4).isEmpty() ? 0 : Integer.parseInt(row.get(n - 4)),
                Double.parseDouble(row.get(n - 3)), row.get(n - 1));
    }

    private static String line(List<String> cells) {
        List<String> out = new ArrayList<>();
        for (String c : cells) {
            String s = c.replaceAll("[\\r\\n]+", " ");
            out.add(s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s);
        }
        return String.join(",", out) + "\n";
    }

    /** The cells of one line, with RFC 4180 quotes. */
    static List<String> cells(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
