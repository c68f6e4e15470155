package dev.lamina.cli;

import dev.lamina.train.History;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Draws a run's learning curves (loss, and each metric; training and validation) to a PNG, with a
 * panel for the learning rate when it changed during the run (a schedule, or a callback).
 */
final class Plots {
    private Plots() {}

    static final String LEARNING_RATE = "learning_rate";

    /** True when the values are not all the same. */
    static boolean changes(List<Double> values) {
        return values.stream().distinct().count() > 1;
    }

    /** The panels drawn for {@code h}: one per quantity, training and validation together. */
    static List<String> panels(History h) {
        List<String> bases = new ArrayList<>();
        for (String n : h.names()) {
            String base = n.startsWith("val_") ? n.substring(4) : n;
            if (n.equals(LEARNING_RATE) && !changes(h.get(n))) {
                continue;
            }
            if (!bases.contains(base)) {
                bases.add(base);
            }
        }
        return bases;
    }

    static void learningCurves(History h, String title, Path png) throws IOException {
        List<String> bases = panels(h);
        List<Chart<?, ?>> charts = new ArrayList<>();
        double[] x = new double[h.epochs()];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        for (String base : bases) {
            XYChart c = new XYChartBuilder().width(560).height(400).title(title + ": " + base)
                    .xAxisTitle("epoch").yAxisTitle(base).build();
            c.getStyler().setMarkerSize(6);
            for (String n : List.of(base, "val_" + base)) {
                if (h.names().contains(n)) {
                    double[] y = h.get(n).stream().mapToDouble(Double::doubleValue).toArray();
                    c.addSeries(base.equals(LEARNING_RATE) ? "learning rate"
                            : n.startsWith("val_") ? "validation" : "training", x, y);
                }
            }
            charts.add(c);
        }
        Path tmp = png.toAbsolutePath().resolveSibling(".curves-"
                + Long.toHexString(System.nanoTime()) + ".png");
        BitmapEncoder.saveBitmap(charts, 1, charts.size(), tmp.toString(),
                BitmapEncoder.BitmapFormat.PNG);
        Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING);
    }
}
