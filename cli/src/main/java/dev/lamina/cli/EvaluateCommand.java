package dev.lamina.cli;

import dev.lamina.Model;
import dev.lamina.data.Dataset;
import dev.lamina.engine.Backend;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lamina evaluate MODEL_DIR --data SOURCE}: loss and metrics of a saved model. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a saved model on a data set: prints its loss and metrics.")
final class EvaluateCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL_DIR", description = "a saved model (a run's model/ directory)")
    Path modelDir;

    @Option(names = "--data", required = true, paramLabel = "SOURCE",
            description = "data source, such as fashion-mnist:test or fashion-mnist-sample:test")
    String data;

    @Option(names = "--engine", paramLabel = "pytorch|mxnet", description = "engine (default pytorch)")
    String engine;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "256",
            description = "samples per batch (default ${DEFAULT-VALUE})")
    int batchSize;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Dataset d = Sources.load(data, null);
        Backend b = engine == null ? Backend.defaults() : Backend.of(engine);
        try (Model model = Model.load(modelDir, b)) {
            if (model.compiled() == null) {
                throw new IllegalArgumentException(modelDir + " was saved without compile settings:"
                        + " it has no loss to evaluate");
            }
            Map<String, Double> scores = model.evaluate(d, batchSize);
            var out = spec.commandLine().getOut();
            scores.forEach((k, v) -> out.printf(Locale.ROOT, "%s: %.4f%n", k, v));
        }
        return 0;
    }
}
