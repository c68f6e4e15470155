package dev.lamina.run;

import dev.lamina.Model;
import dev.lamina.ModelFormat;
import dev.lamina.engine.Backend;
import dev.lamina.spec.ConfigException;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.Yaml;
import dev.lamina.spec.SpecMap;
import dev.lamina.train.CallbackSpec;
import dev.lamina.train.Callbacks;
import dev.lamina.train.CompileSettings;
import dev.lamina.train.Compiled;
import dev.lamina.train.EarlyStopping;
import dev.lamina.train.FitOptions;
import dev.lamina.train.TerminateOnNaN;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run file: what {@code lamina train RUN.yaml} trains, on what data, and how.
 *
 * <pre>
 * name: lenet
 * engine: pytorch
 * seed: 42
 * data: {train: fashion-mnist-sample:train, test: fashion-mnist-sample:test, validation_split: 0.1}
 * model: {input: [1, 28, 28], layers: [...]}
 * compile: {optimizer: {adam: {learning_rate: 0.001}}, loss: softmax_cross_entropy, metrics: [accuracy]}
 * fit: {epochs: 3, batch_size: 128, callbacks: [{early_stopping: {patience: 2}}]}
 * </pre>
 *
 * For transfer learning, {@code model:} may start from a saved model and freeze layers or replace
 * the classifier head (see {@link TransferConfig}):
 *
 * <pre>
 * model: {load: runs/base/model, head: {classes: 5}, freeze: [conv, batch_norm]}
 * </pre>
 *
 * Every setting is checked when the file is read; an error names the file, line and field.
 */
public record RunConfig(Path file, String name, String engine, String device, Long seed,
        DataConfig data, ConfigNode modelNode, Compiled compile, FitConfig fit,
        TransferConfig transfer) {

    /**
     * What {@code model:} says beside the architecture, for transfer learning, all optional:
     * {@code load: DIR}, a saved model (its architecture and weights; relative to the working
     * directory) instead of {@code input}/{@code layers} or a graph; {@code head: {classes: N}}, a
     * new classifier head of N classes in place of the last dense layer and what follows it
     * ({@link dev.lamina.Sequential#withHead(int)}; a Sequential only); {@code freeze: [NAME or
     * PREFIX, ...]}, the layers whose weights (and batch-norm statistics) do not train ({@link
     * Model#freeze(String...)}). The head is replaced first, then the layers frozen; the file's
     * {@code compile:} compiles the result.
     */
    public record TransferConfig(Path load, ConfigNode loadNode, List<String> freeze,
            ConfigNode freezeNode, Integer headClasses, ConfigNode headNode) {
        /** Nothing: the model as its architecture makes it. */
        static final TransferConfig NONE = new TransferConfig(null, null, List.of(), null, null,
                null);
    }

    private static final List<String> TRANSFER_KEYS = List.of("load", "freeze", "head");

    private static final List<String> KEYS =
            List.of("name", "engine", "device", "seed", "data", "model", "compile", "fit");

    /**
     * Where the data comes from: source names such as {@code fashion-mnist:train}. {@code
     * pretrain}, when given, is what layers with unsupervised pretraining ({@code dbn}, ...)
     * pretrain on, labels unused (all 60,000 images while {@code train} has 1,000, say); else
     * they pretrain on {@code train}.
     */
    public record DataConfig(String train, ConfigNode trainNode, String test, ConfigNode testNode,
            String validation, ConfigNode validationNode, double validationSplit, Integer limit,
            String pretrain, ConfigNode pretrainNode) {}

    /**
     * The {@code fit:} settings (Keras's defaults: 1 epoch, batch size 32, shuffled, no class
     * weights, no callbacks). {@code classWeightNode} is where {@code class_weight} was written
     * (null when not), for a class the model turns out not to have. {@code callbacks} are those
     * of {@code callbacks: [...]}, in order, then the older {@code early_stopping:} if given.
     */
    public record FitConfig(int epochs, int batchSize, boolean shuffle, boolean terminateOnNan,
            Map<Integer, Double> classWeight, ConfigNode classWeightNode,
            List<CallbackSpec> callbacks) {
        public FitConfig {
            callbacks = List.copyOf(callbacks);
        }
    }

    /** Reads and checks a run file. */
    public static RunConfig read(Path file) throws IOException {
        return parse(Yaml.read(file), file);
    }

    /** Checks a parsed run file. */
    public static RunConfig parse(ConfigNode root, Path file) {
        Map<String, ConfigNode> m = root.asMap();
        if (m.containsKey("gan")) {
            throw m.get("gan").error("this run file declares a GAN: train it with lamina train, or"
                    + " from Java with dev.lamina.models.gan.GanRun.load(file) (lamina-models)");
        }
        root.allowKeys(null, KEYS, "A run file has: " + String.join(", ", KEYS));
        String fallback = file == null ? "model" : file.getFileName().toString()
                .replaceFirst("\\.ya?ml$", "");
        String name = m.containsKey("name") ? m.get("name").asString() : fallback;
        if (m.containsKey("name")) {
            checkName(name, m.get("name"));
        } else {
            // the file's own name, made a plain one (a file is rarely called "../x.yaml")
            name = name.replaceAll("[^A-Za-z0-9._-]", "-").replaceFirst("^[^A-Za-z0-9]+", "");
            name = name.isEmpty() ? "run" : name;
        }
        String engine = m.containsKey("engine") ? m.get("engine").asString() : null;
        if (engine != null) {
            try {
                Backend.djlName(engine);
            } catch (IllegalArgumentException e) {
                throw m.get("engine").error(e.getMessage());
            }
        }
        String device = m.containsKey("device") ? m.get("device").asString() : null;
        Long seed = m.containsKey("seed") ? m.get("seed").asLong() : null;
        ConfigNode dataNode = require(root, m, "data",
                "{train: fashion-mnist-sample:train, test: fashion-mnist-sample:test}");
        ConfigNode modelNode = require(root, m, "model", "{input: [784], layers: [...]}");
        TransferConfig transfer = transfer(modelNode);
        if (transfer != TransferConfig.NONE) {
            // the architecture is the rest of the section
            Map<String, ConfigNode> arch = new java.util.LinkedHashMap<>(modelNode.asMap());
            TRANSFER_KEYS.forEach(arch::remove);
            modelNode = ConfigNode.map(arch, modelNode.file(), modelNode.line(), modelNode.path());
        }
        ConfigNode compileNode = require(root, m, "compile",
                "{optimizer: adam, loss: softmax_cross_entropy, metrics: [accuracy]}");
        DataConfig data = data(dataNode);
        Compiled compile = CompileSettings.parse(compileNode);
        FitConfig fit = fit(m.get("fit"));
        RunConfig run = new RunConfig(file, name, engine, device, seed, data, modelNode, compile,
                fit, transfer);
        if (transfer.load() == null) {
            // check the model (shapes included) now, so a bad layer is reported before any data
            // loads; a saved model is checked when it is loaded
            run.model().close();
        }
        return run;
    }

    /**
     * A run's name names its directory, {@code runs/NAME}: it must be one plain path element, so
     * that no name writes outside {@code runs/}.
     */
    public static void checkName(String name, ConfigNode at) {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*") || name.length() > 120) {
            throw at.error("expected a plain name for the run (letters, digits, '.', '_' and '-',"
                    + " starting with a letter or digit; it names the directory runs/NAME),"
                    + " received name='" + name.replaceAll("\\p{Cntrl}", "?") + "'");
        }
    }

    /**
     * A new model as the file describes it, compiled, with the file's seed: unbuilt, with its
     * head replaced and the layers to freeze checked (they are frozen when it is built, by {@link
     * #model(Backend)}). A model that the file loads ({@code model: {load: DIR}}) is loaded on the
     * default backend, frozen as the file says.
     */
    public Model model() {
        if (transfer.load() != null) {
            return model(Backend.defaults());
        }
        Model model = ModelFormat.read(modelNode, name);
        if (seed != null) {
            model.seed(seed);
        }
        model = withHead(model);
        try {
            model.matchLayers(transfer.freeze());
        } catch (IllegalArgumentException e) {
            model.close();
            throw transfer.freezeNode().error(e.getMessage());
        }
        model.compile(compile);
        return model;
    }

    /**
     * The model as the file describes it, built on {@code backend}: loaded or made, its head
     * replaced, its layers frozen, compiled with the file's settings and seeded with its seed.
     */
    public Model model(Backend backend) {
        Model model;
        if (transfer.load() != null) {
            try {
                model = seed == null ? Model.load(transfer.load(), backend)
                        : Model.load(transfer.load(), backend, seed);
            } catch (IOException | RuntimeException e) {
                throw transfer.loadNode().error("cannot load the model to start from: "
                        + (e instanceof java.nio.file.NoSuchFileException n ? n.getFile() + ": "
                                + n.getReason() : e.getMessage()));
            }
            model = withHead(model);
        } else {
            model = model();
            model.backend(backend);
            try {
                model.build();
            } catch (ConfigException e) {
                model.close();
                throw e;
            } catch (IllegalArgumentException e) {
                model.close();
                throw modelNode.error(e.getMessage());
            }
        }
        try {
            if (!transfer.freeze().isEmpty()) {
                try {
                    model.freeze(transfer.freeze().toArray(new String[0]));
                } catch (IllegalArgumentException e) {
                    throw transfer.freezeNode().error(e.getMessage());
                }
            }
            model.compile(compile);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    /** {@code model} with the file's new head, if it asks for one (the old model closed). */
    private Model withHead(Model model) {
        if (transfer.headClasses() == null) {
            return model;
        }
        try {
            if (!(model instanceof dev.lamina.Sequential seq)) {
                throw transfer.headNode().error("head replaces the last dense layer of a"
                        + " sequential model; model '" + model.name() + "' is a graph: make its"
                        + " new output layer in the graph instead");
            }
            try {
                return seq.withHead(transfer.headClasses());
            } catch (IllegalArgumentException e) {
                throw transfer.headNode().error(e.getMessage());
            }
        } finally {
            model.close();
        }
    }

    private static TransferConfig transfer(ConfigNode modelNode) {
        if (!modelNode.isMap()) {
            return TransferConfig.NONE;
        }
        Map<String, ConfigNode> m = modelNode.asMap();
        if (TRANSFER_KEYS.stream().noneMatch(m::containsKey)) {
            return TransferConfig.NONE;
        }
        Path load = null;
        ConfigNode loadNode = m.get("load");
        if (loadNode != null) {
            String dir = loadNode.asString();
            if (dir.isBlank()) {
                throw loadNode.error("load names the directory of a saved model, such as"
                        + " load: runs/base/model");
            }
            load = Path.of(dir);
            for (String k : m.keySet()) {
                if (!TRANSFER_KEYS.contains(k)) {
                    throw m.get(k).error("model: load takes the architecture from the saved model;"
                            + " remove '" + k + "', or remove load");
                }
            }
        }
        List<String> freeze = new ArrayList<>();
        ConfigNode freezeNode = m.get("freeze");
        if (freezeNode != null && !freezeNode.isNull()) {
            for (ConfigNode n : freezeNode.isList() ? freezeNode.asList() : List.of(freezeNode)) {
                if (!n.isScalar()) {
                    throw n.error("freeze lists layer names or name prefixes, such as"
                            + " freeze: [conv2d, batch_norm]");
                }
                freeze.add(n.asString());
            }
        }
        Integer classes = null;
        ConfigNode headNode = m.get("head");
        if (headNode != null && !headNode.isNull()) {
            if (!headNode.isMap()) {
                throw headNode.error("head is {classes: N}, the number of classes of the new head");
            }
            headNode.allowKeys("head", List.of("classes"), "Settings: classes");
            ConfigNode c = headNode.asMap().get("classes");
            if (c == null) {
                throw headNode.error("head needs 'classes', such as head: {classes: 5}");
            }
            classes = c.asInt();
            if (classes <= 0) {
                throw c.error("expected a positive number of classes, received classes=" + classes);
            }
        }
        return new TransferConfig(load, loadNode, List.copyOf(freeze), freezeNode, classes,
                headNode);
    }

    private static ConfigNode require(ConfigNode root, Map<String, ConfigNode> m, String key,
            String example) {
        ConfigNode n = m.get(key);
        if (n == null || n.isNull()) {
            throw root.error("the run file needs '" + key + "', such as " + key + ": " + example);
        }
        return n;
    }

    private static final List<String> DATA_KEYS =
            List.of("train", "test", "validation", "validation_split", "limit", "pretrain");

    /** Reads a {@code data:} section (also for run files of other procedures, such as GANs). */
    public static DataConfig data(ConfigNode node) {
        Map<String, ConfigNode> m = node.asMap();
        node.allowKeys("data", DATA_KEYS, "Settings: " + String.join(", ", DATA_KEYS));
        ConfigNode train = m.get("train");
        if (train == null || train.isNull()) {
            throw node.error("data needs 'train', a source such as fashion-mnist-sample:train");
        }
        double split = 0;
        if (m.containsKey("validation_split")) {
            split = m.get("validation_split").asDouble();
            if (!(split >= 0 && split < 1)) {
                throw m.get("validation_split").error(
                        "expected a fraction in [0, 1), received validation_split=" + split);
            }
        }
        Integer limit = null;
        if (m.containsKey("limit")) {
            limit = m.get("limit").asInt();
            if (limit <= 0) {
                throw m.get("limit").error("expected a positive number of samples, received limit="
                        + limit);
            }
        }
        ConfigNode test = m.get("test");
        ConfigNode val = m.get("validation");
        ConfigNode pre = m.get("pretrain");
        return new DataConfig(train.asString(), train, test == null ? null : test.asString(), test,
                val == null ? null : val.asString(), val, split, limit,
                pre == null || pre.isNull() ? null : pre.asString(), pre);
    }

    private static final List<String> FIT_KEYS =
            List.of("epochs", "batch_size", "shuffle", "callbacks", "early_stopping", "terminate_on_nan",
                    "class_weight");

    /** Reads a {@code fit:} section; null gives Keras's defaults. */
    public static FitConfig fit(ConfigNode node) {
        if (node == null || node.isNull()) {
            return new FitConfig(1, 32, true, true, null, null, List.of());
        }
        Map<String, ConfigNode> m = node.asMap();
        node.allowKeys("fit", FIT_KEYS, "Settings: " + String.join(", ", FIT_KEYS));
        int epochs = m.containsKey("epochs") ? m.get("epochs").asInt() : 1;
        if (epochs <= 0) {
            throw m.get("epochs").error("expected a positive integer, received epochs=" + epochs);
        }
        int batch = m.containsKey("batch_size") ? m.get("batch_size").asInt() : 32;
        if (batch <= 0) {
            throw m.get("batch_size").error("expected a positive integer, received batch_size="
                    + batch);
        }
        boolean shuffle = !m.containsKey("shuffle") || m.get("shuffle").asBoolean();
        boolean terminateOnNan = !m.containsKey("terminate_on_nan")
                || m.get("terminate_on_nan").asBoolean();
        List<CallbackSpec> callbacks = new ArrayList<>();
        ConfigNode cbs = m.get("callbacks");
        if (cbs != null && !cbs.isNull()) {
            callbacks.addAll(Callbacks.parseList(cbs));
        }
        ConfigNode es = m.get("early_stopping");
        if (es != null && !es.isNull()) {
            // the older form, kept working: the same settings, patience 3 unless given
            if (callbacks.stream().anyMatch(c -> c.type().equals(EarlyStopping.TYPE))) {
                throw es.error("early_stopping is given twice, here and in fit.callbacks: keep the"
                        + " one in callbacks");
            }
            SpecMap sm = new SpecMap(EarlyStopping.TYPE, es);
            callbacks.add(sm.build(() -> Callbacks.EarlyStoppingSpec.fromMap(sm, 3)));
        }
        if (!terminateOnNan
                && callbacks.stream().anyMatch(c -> c.type().equals(TerminateOnNaN.TYPE))) {
            throw m.get("terminate_on_nan").error("terminate_on_nan is false here but fit.callbacks"
                    + " names terminate_on_nan: remove one of them");
        }
        ConfigNode cw = m.get("class_weight");
        Map<Integer, Double> classWeight = cw == null || cw.isNull() ? null : classWeight(cw);
        return new FitConfig(epochs, batch, shuffle, terminateOnNan, classWeight,
                classWeight == null ? null : cw, callbacks);
    }

    /** {@code class_weight: {0: 1.0, 1: 5.0}}: class ids to weights, checked as FitOptions does. */
    private static Map<Integer, Double> classWeight(ConfigNode node) {
        Map<Integer, Double> out = new TreeMap<>();
        for (Map.Entry<String, ConfigNode> e : node.asMap().entrySet()) {
            int c;
            try {
                c = Integer.parseInt(e.getKey().trim());
            } catch (NumberFormatException bad) {
                throw node.error("class_weight maps class ids (0, 1, ...) to weights, received the key '"
                        + e.getKey() + "'");
            }
            out.put(c, e.getValue().asDouble());
        }
        try {
            FitOptions.defaults().classWeight(out);
        } catch (IllegalArgumentException bad) {
            throw node.error(bad.getMessage());
        }
        return out;
    }

    /** Wraps a problem found later (a data source that does not exist) at its node. */
    public static ConfigException at(ConfigNode node, String message) {
        return node.error(message);
    }
}
