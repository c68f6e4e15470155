package dev.lamina.cli;

import dev.lamina.Model;
import dev.lamina.engine.Backend;
import dev.lamina.run.RunConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lamina summary RUN.yaml|MODEL_DIR}: the table of layers, shapes and parameters. */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "Print a model's layers, output shapes and parameter counts.")
final class SummaryCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN.yaml|MODEL_DIR", description = "a run file or a saved model")
    Path target;

    @Option(names = "--engine", paramLabel = "pytorch|mxnet", description = "engine (default pytorch)")
    String engine;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Backend b = engine == null ? Backend.of("pytorch", "cpu") : Backend.of(engine, "cpu");
        Model model;
        if (Files.isDirectory(target)) {
            model = Model.load(target, b);
        } else {
            model = RunConfig.read(target).model();
            model.backend(b);
        }
        try (model) {
            spec.commandLine().getOut().print(model.summary());
        }
        return 0;
    }
}
