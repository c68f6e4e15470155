package dev.lamina.cli;

import dev.lamina.Model;
import dev.lamina.data.Dataset;
import dev.lamina.data.Tensor;
import dev.lamina.engine.Backend;
import ai.djl.ndarray.types.Shape;
import dev.lamina.train.Predictions;
import dev.lamina.zoo.Zoo;
import dev.lamina.zoo.ZooOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lamina predict MODEL --data SOURCE}: one line per sample, as CSV; for one image
 * ({@code image:PATH}) the most probable classes, named by the model's class names. MODEL is a
 * saved model's folder, or {@code zoo:NAME} for a zoo model with its pretrained weights.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Predict with a saved model. Prints CSV: index, predicted class, its score,",
            "and the true label when the data has one. For one image (image:PATH, resized to the",
            "model's input) it prints the --top most probable classes: rank, class, name and",
            "probability (a softmax of the output when the model's loss takes logits)."})
final class PredictCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = {"a saved model (a run's model/ directory), or",
        "zoo:NAME for a zoo model with its pretrained weights (zoo:resnet50)"})
    Path modelDir;

    @Option(names = "--data", required = true, paramLabel = "SOURCE",
            description = "data source, such as fashion-mnist-sample:test")
    String data;

    @Option(names = "--limit", paramLabel = "N", description = "only the first N samples")
    Integer limit;

    @Option(names = "--top", paramLabel = "N", defaultValue = "5",
            description = "for image:PATH, how many classes to print (default ${DEFAULT-VALUE})")
    int top;

    @Option(names = "--engine", paramLabel = "pytorch|mxnet", description = "engine (default pytorch)")
    String engine;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (limit != null && limit <= 0) {
            throw new IllegalArgumentException("--limit must be positive, received " + limit);
        }
        if (top <= 0) {
            throw new IllegalArgumentException("--top must be positive, received " + top);
        }
        Backend b = engine == null ? Backend.defaults() : Backend.of(engine);
        try (Model model = open(modelDir, b)) {
            // images are resized to the model's input, unless the source says otherwise
            List<Shape> in = model.inputShapes();
            Dataset d = Sources.load(data, null, in.size() == 1 ? in.get(0) : null);
            if (limit != null) {
                d = d.limit(limit);
            }
            if (data.strip().startsWith("image:")) {
                printTop(model, model.predict(d, 1));
                return 0;
            }
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

    /** A saved model, or {@code zoo:NAME}: the zoo's model with its pretrained weights. */
    static Model open(Path model, Backend b) throws java.io.IOException {
        String s = model.toString();
        if (s.startsWith("zoo:")) {
            String name = s.substring(4);
            boolean has = Zoo.pretrained().stream().anyMatch(w -> w.model().equals(name));
            if (Zoo.names().contains(name) && !has) {
                throw new IllegalArgumentException("zoo:" + name + " has no pretrained weights in"
                        + " this build, and a model with random weights predicts nothing; 'lamina"
                        + " zoo list' shows the models with weights (PRETRAINED column)");
            }
            return Zoo.load(name, ZooOptions.defaults().withPretrained(true)).backend(b);
        }
        return Model.load(model, b);
    }

    private void printTop(Model model, Tensor scores) {
        var out = spec.commandLine().getOut();
        out.println("rank,class,name,probability");
        List<Predictions.Label> best = model.decodePredictions(scores, top).get(0);
        for (int r = 0; r < best.size(); r++) {
            Predictions.Label l = best.get(r);
            out.printf(Locale.ROOT, "%d,%d,%s,%.6f%n", r + 1, l.index(), csv(l.name()),
                    l.probability());
        }
    }

    /** A CSV field: quoted when it holds a comma, a quote or a line break. */
    static String csv(String s) {
        return s.matches(".*[,\"\r\n].*") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
