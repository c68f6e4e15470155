package dev.lamina.cli;

import ai.djl.ndarray.types.Shape;
import dev.lamina.Model;
import dev.lamina.engine.Backend;
import dev.lamina.io.AtomicFiles;
import dev.lamina.spec.Yaml;
import dev.lamina.zoo.Zoo;
import dev.lamina.zoo.ZooOptions;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lamina zoo list|show|export}: the named architectures of the zoo. */
@Command(name = "zoo", mixinStandardHelpOptions = true,
        description = "Named architectures: list them, show one's summary, export its YAML model.",
        subcommands = {ZooCommand.ListCommand.class, ZooCommand.ShowCommand.class,
            ZooCommand.ExportCommand.class})
final class ZooCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The options a model of the zoo is made with: {@code --classes N --input C,H,W}. */
    static final class Settings {
        @Parameters(index = "0", paramLabel = "NAME", description = "a model of the zoo (see"
                + " 'lamina zoo list')")
        String name;

        @Option(names = "--classes", paramLabel = "N",
                description = "classes of the classifier (default: the model's, 1000 for ImageNet)")
        Integer classes;

        @Option(names = "--input", paramLabel = "C,H,W",
                description = "per-sample input, channels first (default: the model's, 3,224,224)")
        String input;

        ZooOptions options(CommandLine cl) {
            ZooOptions o = ZooOptions.defaults();
            if (classes != null) {
                o = o.withClasses(classes);
            }
            if (input != null) {
                o = o.withInput(shape(cl, input));
            }
            return o;
        }

        Model model(CommandLine cl) {
            return Zoo.load(name, options(cl));
        }
    }

    /** {@code 3,32,32} as a shape, or a one-line error (exit 2). */
    static Shape shape(CommandLine cl, String text) {
        String[] parts = text.split(",", -1);
        long[] dims = new long[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                dims[i] = Long.parseLong(parts[i].trim());
                if (dims[i] <= 0) {
                    throw new NumberFormatException();
                }
            }
        } catch (NumberFormatException e) {
            throw new CommandLine.ParameterException(cl, "--input expects positive sizes"
                    + " C,H,W (channels first), such as 3,224,224; received '" + text + "'");
        }
        return new Shape(dims);
    }

    /** {@code lamina zoo list}: each name, what it is and its parameters at the defaults. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the zoo's models: name, parameters at the default input and"
                    + " classes, the pretrained weights there are, and what each is.")
    static final class ListCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            int width = 4;
            for (String n : Zoo.names()) {
                width = Math.max(width, n.length());
            }
            String row = "%-" + width + "s  %12s  %-11s  %-13s  %s%n";
            out.printf(Locale.ROOT, row, "NAME", "PARAMETERS", "INPUT", "PRETRAINED",
                    "DESCRIPTION");
            for (String n : Zoo.names()) {
                Zoo.Entry e = Zoo.entry(n);
                List<String> weights = new ArrayList<>();
                Zoo.pretrained().stream().filter(w -> w.model().equals(n))
                        .forEach(w -> weights.add(w.weights()));
                out.printf(Locale.ROOT, row, n, String.format(Locale.ROOT, "%,d", e.parameters()),
                        dims(e.input()), weights.isEmpty() ? "-" : String.join(",", weights),
                        e.description());
            }
            return 0;
        }
    }

    /** {@code 3×224×224}. */
    static String dims(Shape s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.dimension(); i++) {
            sb.append(i == 0 ? "" : "×").append(s.get(i));
        }
        return sb.toString();
    }

    /** {@code lamina zoo show NAME}: the summary of one model, with its total parameters. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print a zoo model's layers, output shapes and parameter counts.")
    static final class ShowCommand implements Callable<Integer> {
        @CommandLine.Mixin
        Settings settings = new Settings();

        @Option(names = "--engine", paramLabel = "pytorch|mxnet",
                description = "engine (default pytorch)")
        String engine;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Backend b = engine == null ? Backend.of("pytorch", "cpu") : Backend.of(engine, "cpu");
            try (Model model = settings.model(spec.commandLine())) {
                model.backend(b);
                spec.commandLine().getOut().print(model.summary());
            }
            return 0;
        }
    }

    /** {@code lamina zoo export NAME --yaml [--out FILE]}: the {@code model:} section of a run file. */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Write a zoo model as the model: section of a run file (to standard",
                "output, or --out FILE), for 'lamina train' to start from and change."})
    static final class ExportCommand implements Callable<Integer> {
        @CommandLine.Mixin
        Settings settings = new Settings();

        /** The format: YAML is the one in this build (a flag, so that others can join it). */
        @Option(names = "--yaml", description = "as YAML, the model: section of a run file")
        boolean yaml;

        @Option(names = "--out", paramLabel = "FILE", description = "write to FILE (atomically)"
                + " instead of standard output")
        Path out;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (!yaml) {
                throw new CommandLine.ParameterException(spec.commandLine(), "choose the format:"
                        + " --yaml (the one this build writes)");
            }
            String text;
            try (Model model = settings.model(spec.commandLine())) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("model", model.architecture());
                text = "# " + settings.name + " from Lamina's zoo (lamina zoo export "
                        + settings.name + " --yaml)\n" + Yaml.write(doc);
            }
            if (out == null) {
                spec.commandLine().getOut().print(text);
            } else {
                AtomicFiles.write(out, text.getBytes(StandardCharsets.UTF_8));
                spec.commandLine().getOut().println("wrote " + out);
            }
            return 0;
        }
    }
}
