package dev.lamina.cli;

import dev.lamina.spec.Names;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lamina plot RUN_DIR...}: one metric of several runs on one chart, to compare them. */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = "Draw one metric (default: the training loss) of several runs on one PNG.")
final class PlotCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN_DIR", arity = "1..*",
            description = "run directories written by 'lamina train' (each has history.csv)")
    List<Path> runs;

    @Option(names = "--metric", defaultValue = "loss",
            description = "a column of history.csv (default ${DEFAULT-VALUE})")
    String metric;

    @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "the PNG to write")
    Path out;

    @Option(names = "--log", description = "a logarithmic y axis")
    boolean log;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(metric)
                .xAxisTitle("epoch").yAxisTitle(metric).build();
        chart.getStyler().setYAxisLogarithmic(log);
        chart.getStyler().setMarkerSize(5);
        for (Path run : runs) {
            Path csv = run.resolve("history.csv");
            if (!Files.isRegularFile(csv)) {
                throw new NoSuchFileException(csv.toString(), null,
                        "no history here: is " + run + " a run directory of 'lamina train'?");
            }
            List<String> lines = Files.readAllLines(csv);
            if (lines.size() < 2) {
                throw new IllegalArgumentException(csv + ": has no epochs yet");
            }
            List<String> header = Arrays.asList(lines.get(0).split(","));
            int col = header.indexOf(metric);
            if (col < 0) {
                throw new IllegalArgumentException(csv + " has no column '" + metric + "'."
                        + Names.didYouMean(metric, header) + " Columns: " + header);
            }
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",", -1);
                try {
                    x.add(Double.parseDouble(cells[0]));
                    y.add(Double.parseDouble(cells[col]));
                } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                    throw new IllegalArgumentException(csv + ": cannot read the line '" + line + "'");
                }
            }
            chart.addSeries(run.getFileName().toString(), x, y);
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new IllegalArgumentException("--out " + out + ": the directory " + parent
                    + " does not exist: create it first, or write the PNG elsewhere");
        }
        Path tmp = out.toAbsolutePath().resolveSibling(".plot-" + System.nanoTime() + ".png");
        BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG);
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
        spec.commandLine().getOut().println("wrote " + out);
        return 0;
    }
}
