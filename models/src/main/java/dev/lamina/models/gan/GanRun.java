package dev.lamina.models.gan;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lamina.Lamina;
import dev.lamina.Model;
import dev.lamina.ModelFormat;
import dev.lamina.data.DataSources;
import dev.lamina.data.Dataset;
import dev.lamina.data.Tensor;
import dev.lamina.engine.Backend;
import dev.lamina.io.AtomicFiles;
import dev.lamina.losses.Losses;
import dev.lamina.optimizers.OptimizerSpec;
import dev.lamina.optimizers.Optimizers;
import dev.lamina.run.Run;
import dev.lamina.run.RunConfig;
import dev.lamina.spec.ConfigException;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.Yaml;
import dev.lamina.train.Callback;
import dev.lamina.train.Callbacks;
import dev.lamina.train.CsvLogger;
import dev.lamina.train.FitOptions;
import dev.lamina.train.History;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A run file that declares a GAN, made runnable: {@code GanRun.load(path).train()} reads the real
 * samples, trains the generator against the discriminator and writes the run directory: {@code
 * model/} (the saved {@link Gan}: {@code generator/}, {@code discriminator/}, {@code gan.json}),
 * {@code history.csv}, {@code metrics.json}, and the samples of one fixed batch of noise after
 * each epoch ({@code samples/epoch-NNN.png}, the latest as {@code samples.png}).
 *
 * <pre>
 * name: gan-fashion
 * seed: 1
 * data: {train: fashion-mnist:train}
 * gan:
 *   noise: 100            # values per sample, drawn from N(0, 1)
 *   d_steps: 1            # discriminator updates per generator update
 *   label_smoothing: 0.9  # the label of real samples (one-sided smoothing; 1 = none)
 *   from_logits: false    # the discriminator gives a probability (sigmoid last)
 *   generator: {input: [100], layers: [...], optimizer: {adam: {learning_rate: 0.0002, beta_1: 0.5}}}
 *   discriminator: {input: [1, 28, 28], layers: [...]}
 * fit: {epochs: 5, batch_size: 64}
 * </pre>
 *
 * Each model is a model section as in any run file, plus an optional {@code optimizer} (default
 * {@link Gan#DEFAULT_OPTIMIZER}); the generator's {@code input} may be left out (it is {@code
 * [noise]}). Every setting, and whether the two models fit together, is checked when the file is
 * read; errors name the file, line and the fix.
 */
public final class GanRun {
    private static final List<String> KEYS =
            List.of("name", "engine", "device", "seed", "data", "gan", "fit");
    private static final List<String> GAN_KEYS = List.of("generator", "discriminator", "noise",
            "d_steps", "label_smoothing", "from_logits");
    /** How many samples the grid after each epoch shows. */
    public static final int GRID = 64;

    private final String name;
    private final String engine;
    private final String device;
    private final Long seed;
    private final RunConfig.DataConfig data;
    private final ConfigNode ganNode;
    private final ConfigNode generatorNode;
    private final ConfigNode discriminatorNode;
    private final OptimizerSpec generatorOptimizer;
    private final OptimizerSpec discriminatorOptimizer;
    private final Gan.Settings settings;
    private final RunConfig.FitConfig fit;
    private Backend backend;
    private Path dir;
    private Integer epochs;
    private final List<Callback> callbacks = new ArrayList<>();
    private Consumer<String> log = line -> { };

    private GanRun(ConfigNode root, Path file) {
        Map<String, ConfigNode> m = root.asMap();
        root.allowKeys(null, KEYS, "A GAN's run file has: " + String.join(", ", KEYS));
        String fallback = file == null ? "gan" : file.getFileName().toString()
                .replaceFirst("\\.ya?ml$", "").replaceAll("[^A-Za-z0-9._-]", "-");
        this.name = m.containsKey("name") ? m.get("name").asString() : fallback;
        if (m.containsKey("name")) {
            RunConfig.checkName(name, m.get("name"));
        }
        this.engine = m.containsKey("engine") ? m.get("engine").asString() : null;
        if (engine != null) {
            try {
                Backend.djlName(engine);
            } catch (IllegalArgumentException e) {
                throw m.get("engine").error(e.getMessage());
            }
        }
        this.device = m.containsKey("device") ? m.get("device").asString() : null;
        this.seed = m.containsKey("seed") ? m.get("seed").asLong() : null;
        ConfigNode dataNode = m.get("data");
        if (dataNode == null || dataNode.isNull()) {
            throw root.error("the run file needs 'data', such as data: {train: fashion-mnist:train}");
        }
        this.data = RunConfig.data(dataNode);
        this.fit = RunConfig.fit(m.get("fit"));
        this.ganNode = m.get("gan");
        if (!ganNode.isMap()) {
            throw ganNode.error("gan is a section: {generator: {...}, discriminator: {...}, noise:"
                    + " 100, d_steps: 1}");
        }
        Map<String, ConfigNode> g = ganNode.asMap();
        ganNode.allowKeys("gan", GAN_KEYS, "Settings: " + String.join(", ", GAN_KEYS));
        if (!g.containsKey("noise")) {
            throw ganNode.error("gan needs 'noise', the number of noise values per sample, such as"
                    + " noise: 100");
        }
        int noise = g.get("noise").asInt();
        int dSteps = g.containsKey("d_steps") ? g.get("d_steps").asInt() : 1;
        double real = g.containsKey("label_smoothing") ? g.get("label_smoothing").asDouble() : 1.0;
        boolean logits = g.containsKey("from_logits") && g.get("from_logits").asBoolean();
        try {
            this.settings = new Gan.Settings(noise, dSteps, real, logits);
        } catch (IllegalArgumentException e) {
            String key = e.getMessage().startsWith("gan.d_steps") ? "d_steps"
                    : e.getMessage().startsWith("gan.label_smoothing") ? "label_smoothing" : "noise";
            throw g.get(key).error(e.getMessage());
        }
        ConfigNode gen = section(g, "generator");
        ConfigNode dis = section(g, "discriminator");
        this.generatorOptimizer = optimizer(gen);
        this.discriminatorOptimizer = optimizer(dis);
        this.generatorNode = withInput(withoutOptimizer(gen), noise);
        this.discriminatorNode = withoutOptimizer(dis);
        // the two models are built (shapes inferred, no engine touched) and checked together now
        try (Gan gan = models(null)) {
            gan.settings();
        }
    }

    private ConfigNode section(Map<String, ConfigNode> g, String key) {
        ConfigNode n = g.get(key);
        if (n == null || n.isNull() || !n.isMap()) {
            throw ganNode.error("gan needs '" + key + "', a model section such as " + key
                    + ": {input: [...], layers: [...]}");
        }
        return n;
    }

    private static OptimizerSpec optimizer(ConfigNode model) {
        ConfigNode o = model.asMap().get("optimizer");
        return o == null || o.isNull() ? null : Optimizers.parse(o);
    }

    private static ConfigNode withoutOptimizer(ConfigNode n) {
        Map<String, ConfigNode> m = new LinkedHashMap<>(n.asMap());
        m.remove("optimizer");
        return ConfigNode.map(m, n.file(), n.line(), n.path());
    }

    /** The generator's section with {@code input: [noise]} when it gives none. */
    private static ConfigNode withInput(ConfigNode n, int noise) {
        Map<String, ConfigNode> m = new LinkedHashMap<>(n.asMap());
        if (m.containsKey("input") || m.containsKey("inputs") || m.containsKey("load")) {
            return n;
        }
        m.put("input", ConfigNode.list(List.of(ConfigNode.scalar(noise, n.file(), n.line(),
                n.path() + ".input")), n.file(), n.line(), n.path() + ".input"));
        return ConfigNode.map(m, n.file(), n.line(), n.path());
    }

    /** True when the YAML file at {@code file} declares a GAN (a top-level {@code gan:}). */
    public static boolean declares(Path file) throws IOException {
        ConfigNode root = Yaml.read(file);
        return root.isMap() && root.asMap().containsKey("gan");
    }

    /** Reads and checks a GAN's run file (errors name its line). */
    public static GanRun load(Path file) throws IOException {
        return new GanRun(Yaml.read(file), file);
    }

    /** The run's name (its directory is {@code runs/NAME} unless set). */
    public String name() {
        return name;
    }

    /** The engine the file names, else the default's. */
    public String engineName() {
        return engine != null ? engine : Backend.defaults().userName();
    }

    /** The device the file names, else {@code auto}. */
    public String deviceName() {
        return device != null ? device : "auto";
    }

    /** The GAN's settings. */
    public Gan.Settings settings() {
        return settings;
    }

    /** Trains on this engine and device instead of the file's (or the defaults). */
    public GanRun backend(Backend b) {
        this.backend = b;
        return this;
    }

    /** The engine and device the run uses. */
    public Backend backend() {
        if (backend == null) {
            backend = Backend.of(engine != null ? engine : Backend.defaults().userName(),
                    device != null ? device : "auto");
        }
        return backend;
    }

    /** Writes the run directory here instead of {@code runs/NAME}. */
    public GanRun directory(Path d) {
        this.dir = d;
        return this;
    }

    /** The run directory. */
    public Path directory() {
        return dir != null ? dir : Path.of("runs", name);
    }

    /** Trains for {@code n} epochs instead of the file's {@code fit.epochs}. */
    public GanRun epochs(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("epochs must be positive, received " + n);
        }
        this.epochs = n;
        return this;
    }

    /** The number of epochs the run trains. */
    public int epochs() {
        return epochs != null ? epochs : fit.epochs();
    }

    /** Adds a callback (a progress bar, say) to the file's own. */
    public GanRun callback(Callback c) {
        callbacks.add(c);
        return this;
    }

    /** Where the run reports what it is about to do. */
    public GanRun log(Consumer<String> l) {
        this.log = l;
        return this;
    }

    /** The two models of the file, on {@code b} (unbuilt when null), seeded, as one GAN. */
    private Gan models(Backend b) {
        Model g = ModelFormat.read(generatorNode, "generator");
        Model d;
        try {
            d = ModelFormat.read(discriminatorNode, "discriminator");
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
        try {
            if (seed != null) {
                g.seed(seed);
                d.seed(seed + 1);
            }
            if (b != null) {
                g.backend(b);
                d.backend(b);
            }
            if (generatorOptimizer != null) {
                g.compile(generatorOptimizer, Losses.binaryCrossentropy(settings.fromLogits()));
            }
            if (discriminatorOptimizer != null) {
                d.compile(discriminatorOptimizer, Losses.binaryCrossentropy(settings.fromLogits()));
            }
            return new Gan(g, d, settings);
        } catch (ConfigException e) {
            g.close();
            d.close();
            throw e;
        } catch (IllegalArgumentException e) {
            g.close();
            d.close();
            throw ganNode.error(e.getMessage());
        }
    }

    /** What a finished run gives: the trained GAN (close it), its directory and figures. */
    public record Result(Gan gan, Path directory, History history, Map<String, Object> metrics)
            implements AutoCloseable {
        /** Frees both models. */
        @Override
        public void close() {
            gan.close();
        }
    }

    /**
     * Loads the real samples, trains, saves the GAN and writes {@code history.csv}, {@code
     * metrics.json} and the sample grids. The caller closes the result.
     */
    public Result train() throws IOException {
        Gan gan = models(backend());
        try {
            Shape in = gan.discriminator().inputShapes().get(0);
            Dataset train;
            try {
                train = DataSources.load(data.train(), null, in);
            } catch (IllegalArgumentException | UncheckedIOException e) {
                throw data.trainNode().error(e.getMessage());
            }
            if (data.limit() != null) {
                train = train.limit(data.limit());
            }
            Shape got = train.inputs().get(0).sampleShape();
            if (train.inputs().size() != 1 || !got.equals(in)) {
                throw data.trainNode().error("the data's samples are " + got + " but the"
                        + " discriminator takes " + in + ": give the discriminator input "
                        + java.util.Arrays.toString(got.getShape()) + " (and the generator that"
                        + " output)");
            }
            float[] v = train.inputs().get(0).data();
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (float x : v) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
            if (hi > lo) {
                gan.dataRange(lo, hi);
            }
            Path out = Run.prepareDirectory(directory());
            Path partial = out.resolve("history.partial.csv");
            List<Callback> all = new ArrayList<>(callbacks);
            all.add(new CsvLogger(partial));
            fit.callbacks().stream().filter(c -> !(c instanceof Callbacks.BackupAndRestoreSpec))
                    .forEach(c -> all.add(c.create(out)));
            if (SampleGrid.drawable(in)) {
                all.add(SampleGrid.everyEpoch(gan, gan.noise(GRID, seed == null ? 0 : seed), out));
            }
            FitOptions options = FitOptions.defaults().epochs(epochs()).batchSize(fit.batchSize())
                    .shuffle(fit.shuffle()).terminateOnNan(fit.terminateOnNan())
                    .callbacks(all.toArray(new Callback[0]));
            log.accept(String.format(Locale.ROOT, "training GAN '%s' on %s: %d samples, %d epochs,"
                    + " batch %d, noise %d, d_steps %d", name, backend(), train.size(), epochs(),
                    fit.batchSize(), settings.noise(), settings.dSteps()));
            long t0 = System.nanoTime();
            History history = gan.fit(train, options);
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("name", name);
            metrics.put("procedure", "gan");
            metrics.put("engine", backend().userName());
            metrics.put("device", backend().device().toString());
            metrics.put("seed", gan.generator().seed());
            metrics.put("epochs", history.epochs());
            metrics.put("train_samples", train.size());
            metrics.put("train_seconds", Math.round(seconds * 1e3) / 1e3);
            history.names().forEach(n -> metrics.put("final_" + n,
                    Math.round(history.last(n) * 1e6) / 1e6));
            metrics.put("lamina_version", Lamina.VERSION);
            gan.save(out.resolve("model"));
            if (Files.exists(partial)) {
                Files.move(partial, out.resolve("history.csv"), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            }
            AtomicFiles.write(out.resolve("metrics.json"), new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(metrics));
            return new Result(gan, out, history, metrics);
        } catch (RuntimeException | IOException e) {
            gan.close();
            throw e;
        }
    }
}
