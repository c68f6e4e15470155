package dev.lamina.cli;

import dev.lamina.Model;
import dev.lamina.data.Dataset;
import dev.lamina.data.Tensor;
import dev.lamina.engine.Backend;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lamina predict MODEL_DIR --data SOURCE}: one line per sample, as CSV. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Predict with a saved model. Prints CSV: index, predicted class, its score,",
            "and the true label when the data has one."})
final class PredictCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL_DIR", description = "a saved model (a run's model/ directory)")
    Path modelDir;

    @Option(names = "--data", required = true, paramLabel = "SOURCE",
            description = "data source, such as fashion-mnist-sample:test")
    String data;

    @Option(names = "--limit", paramLabel = "N", description = "only the first N samples")
    Integer limit;

    @Option(names = "--engine", paramLabel = "pytorch|mxnet", description = "engine (default pytorch)")
    String engine;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (limit != null && limit <= 0) {
            throw new IllegalArgumentException("--limit must be positive, received " + limit);
        }
        Dataset d = Sources.load(data, null);
        if (limit != null) {
            d = d.limit(limit);
        }
        Backend b = engine == null ? Backend.defaults() : Backend.of(engine);
        try (Model model = Model.load(modelDir, b)) {
            Tensor p = model.predict(Dataset.unlabelled(d.name(), d.inputs().get(0)), 256);
            var out = spec.commandLine().getOut();
            boolean labelled = !d.labels().isEmpty();
            out.println(labelled ? "index,predicted,score,label" : "index,predicted,score");
            for (int i = 0; i < p.size(); i++) {
                int k = p.argMax(i);
                float score = p.data()[i * p.sampleSize() + k];
                out.printf(Locale.ROOT, labelled ? "%d,%d,%.6f,%d%n" : "%d,%d,%.6f%n", i, k, score,
                        labelled ? (int) d.labels().get(0).data()[i] : 0);
            }
        }
        return 0;
    }
}
