package dev.lamina;

import ai.djl.MalformedModelException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lamina.engine.Backend;
import dev.lamina.io.AtomicFiles;
import dev.lamina.io.InvalidModelException;
import dev.lamina.spec.ConfigException;
import dev.lamina.spec.ConfigNode;
import dev.lamina.train.CompileSettings;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The saved-model format: a directory with {@code model.json} (format tag, Lamina version,
 * architecture in {@link ModelFormat}, compile settings, the name and SHA-256 of the weights file)
 * and the weights, {@code model-HEX.params} (DJL's parameter file, named by its content). A save
 * writes the weights under their new name, then replaces {@code model.json} in one atomic rename,
 * then removes the old weights: a save killed at any point leaves the old model or the new one,
 * whole. Loading checks the format tag and the checksum, and reads only data (no code, no class
 * names) from the files.
 */
final class ModelFiles {
    /** The architecture and settings file. */
    public static final String JSON = "model.json";
    /** The weights file of format version 1 (DJL's parameter format). */
    public static final String PARAMS = "model.params";
    /** Weight files: {@code model-<first 16 hex digits of the SHA-256>.params}, or version 1's. */
    /** What a killed save leaves: hidden temporary files (every write goes through one). */
    private static final Pattern LEFTOVER = Pattern.compile("\\..*\\.tmp");
    static final Pattern WEIGHTS = Pattern.compile("model(-[0-9a-f]{16})?\\.params");
    /** The value of {@code format} in model.json. */
    public static final String FORMAT = "lamina-model";
    /**
     * The newest format version this build reads and the one it writes: 2 writes the
     * architecture as the YAML {@code model:} section; 1 (Lamina 0.1.0) is still read.
     */
    public static final int FORMAT_VERSION = 2;

    /** model.json is small: its reader refuses deep nesting, long strings and big documents. */
    private static final ObjectMapper JSON_MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64)
                    .maxStringLength(1 << 16).maxDocumentLength(16L << 20).build())
            .build()).enable(SerializationFeature.INDENT_OUTPUT);

    private ModelFiles() {}

    /** Saves {@code model} into {@code dir} (created if needed; existing files replaced atomically). */
    public static void save(Model model, Path dir) throws IOException {
        model.build();
        Files.createDirectories(dir);
        removeLeftovers(dir);
        // the weights go to a file named by their content, then model.json (which names that
        // file) replaces the old one in one atomic rename: killed at any moment, the directory
        // holds the old model or the new one, whole
        Path staged = dir.resolve(".weights." + Long.toHexString(System.nanoTime()) + ".tmp");
        String sha;
        Path params;
        try {
            sha = AtomicFiles.write(staged, out -> {
                try (DataOutputStream dos = new DataOutputStream(out)) {
                    model.block().saveParameters(dos);
                }
            });
            params = dir.resolve("model-" + sha.substring(0, 16) + ".params");
            Files.move(staged, params, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(staged);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", FORMAT);
        doc.put("format_version", FORMAT_VERSION);
        doc.put("lamina_version", Lamina.VERSION);
        doc.put("name", model.name());
        doc.put("engine", model.backend().userName());
        doc.put("architecture", model.architecture());
        if (model.compiled() != null) {
            doc.put("compile", model.compiled().toMap());
        }
        if (!model.classNames().isEmpty()) {
            doc.put("class_names", model.classNames());
        }
        doc.put("params_file", params.getFileName().toString());
        doc.put("params_sha256", sha);
        AtomicFiles.write(dir.resolve(JSON), JSON_MAPPER.writeValueAsBytes(doc));
        // earlier weights, now unreferenced
        try (Stream<Path> old = Files.list(dir)) {
            for (Path p : old.toList()) {
                String n = p.getFileName().toString();
                if (WEIGHTS.matcher(n).matches() && !p.equals(params)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Removes what an earlier save killed half-way left: its temporary files. */
    private static void removeLeftovers(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                if (LEFTOVER.matcher(p.getFileName().toString()).matches()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Loads the model saved in {@code dir} onto {@code backend} (null: the default backend). */
    public static Model load(Path dir, Backend backend, Long seed) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null,
                    "no saved model here: the directory does not exist");
        }
        Path jsonPath = dir.resolve(JSON);
        if (!Files.isRegularFile(jsonPath)) {
            throw new InvalidModelException(jsonPath, "missing: " + dir
                    + " is not a saved Lamina model (save one with model.save(dir))");
        }
        Object plain;
        try {
            plain = JSON_MAPPER.readValue(jsonPath.toFile(), Object.class);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new InvalidModelException(jsonPath, "damaged or not JSON ("
                    + e.getOriginalMessage() + (at == null || at.getLineNr() < 1 ? ""
                            : " at line " + at.getLineNr()) + ")");
        }
        if (!(plain instanceof Map<?, ?> map) || !FORMAT.equals(map.get("format"))) {
            throw new InvalidModelException(jsonPath, "not a Lamina model file (it has no"
                    + " \"format\": \"" + FORMAT + "\")");
        }
        Object fv = map.get("format_version");
        if (!(fv instanceof Integer v) || v < 1) {
            throw new InvalidModelException(jsonPath, "has no valid format_version");
        }
        if (v > FORMAT_VERSION) {
            throw new InvalidModelException(jsonPath, "format_version " + v + " was written by a"
                    + " newer Lamina (" + map.get("lamina_version") + "); this is " + Lamina.VERSION
                    + ", which reads up to " + FORMAT_VERSION);
        }
        Object named = map.containsKey("params_file") ? map.get("params_file") : PARAMS;
        if (!(named instanceof String n) || !WEIGHTS.matcher(n).matches()) {
            throw new InvalidModelException(jsonPath, "names its weights '" + named + "', which"
                    + " is not a weights file name (model-HEX.params)");
        }
        Path paramsPath = dir.resolve((String) named);
        if (!Files.isRegularFile(paramsPath)) {
            throw new InvalidModelException(paramsPath, "missing: the weights of " + dir
                    + " are not there");
        }
        String want = String.valueOf(map.get("params_sha256"));
        String got = AtomicFiles.sha256(paramsPath);
        if (!want.equals(got)) {
            throw new InvalidModelException(paramsPath, "damaged: its SHA-256 is " + got
                    + " but model.json recorded " + want + " (truncated or replaced)");
        }
        ConfigNode root = ConfigNode.of(plain, jsonPath.toString(), "");
        Model model;
        try {
            ConfigNode arch = root.asMap().get("architecture");
            if (arch == null || !arch.isMap()) {
                throw root.error("has no architecture");
            }
            model = ModelFormat.read(arch, String.valueOf(map.get("name")));
        } catch (ConfigException e) {
            throw new InvalidModelException(jsonPath, e);
        }
        model.backend(backend == null ? Backend.defaults() : backend);
        if (seed != null) {
            model.seed(seed);
        }
        ConfigNode compile = root.asMap().get("compile");
        if (compile != null && !compile.isNull()) {
            try {
                model.compile(CompileSettings.parse(compile));
            } catch (ConfigException e) {
                throw new InvalidModelException(jsonPath, e);
            }
        }
        try {
            model.build();
        } catch (IllegalArgumentException e) {
            // a size the file asks for that cannot be built (a weight over the limit, say)
            throw new InvalidModelException(jsonPath, "architecture: " + e.getMessage());
        }
        ConfigNode names = root.asMap().get("class_names");
        if (names != null && !names.isNull()) {
            try {
                if (!names.isList()) {
                    throw names.error("class_names must be a list of names, such as [cat, dog]");
                }
                List<String> list = new ArrayList<>();
                names.asList().forEach(item -> list.add(item.asString()));
                try {
                    model.classNames(list);
                } catch (IllegalArgumentException e) {
                    throw names.error(e.getMessage());
                }
            } catch (ConfigException e) {
                model.close();
                throw new InvalidModelException(jsonPath, e);
            }
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(paramsPath));
                DataInputStream dis = new DataInputStream(in)) {
            model.block().loadParameters(model.djlModel().getNDManager(), dis);
        } catch (MalformedModelException | IOException | RuntimeException e) {
            model.close();
            throw new InvalidModelException(paramsPath, "cannot be read as the weights of this"
                    + " architecture: " + (e.getMessage() != null ? e.getMessage()
                            : e.getClass().getSimpleName()));
        }
        return model;
    }
}
