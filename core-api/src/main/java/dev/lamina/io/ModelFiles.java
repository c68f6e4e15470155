package dev.lamina.io;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lamina.Lamina;
import dev.lamina.Model;
import dev.lamina.Sequential;
import dev.lamina.engine.Backend;
import dev.lamina.spec.ConfigException;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.Layers;
import dev.lamina.train.CompileSettings;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The saved-model format: a directory with {@code model.json} (format tag, Lamina version,
 * architecture, compile settings, the SHA-256 of the weights) and {@code model.params} (DJL's
 * parameter file). Each file is written to a temporary name and renamed into place, the weights
 * first, so a crash never leaves a half-written model; loading checks the format tag and the
 * checksum, and reads only data (no code, no class names) from the files.
 */
public final class ModelFiles {
    /** The architecture and settings file. */
    public static final String JSON = "model.json";
    /** The weights file (DJL's parameter format). */
    public static final String PARAMS = "model.params";
    /** The value of {@code format} in model.json. */
    public static final String FORMAT = "lamina-model";
    /** The newest format version this build reads and the one it writes. */
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON_MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT);

    private ModelFiles() {}

    /** Saves {@code model} into {@code dir} (created if needed; existing files replaced atomically). */
    public static void save(Model model, Path dir) throws IOException {
        model.build();
        Files.createDirectories(dir);
        Path params = dir.resolve(PARAMS);
        String sha = writeAtomically(params, out -> {
            try (DataOutputStream dos = new DataOutputStream(out)) {
                model.block().saveParameters(dos);
            }
        });
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
        doc.put("params_sha256", sha);
        byte[] json = JSON_MAPPER.writeValueAsBytes(doc);
        writeAtomically(dir.resolve(JSON), out -> out.write(json));
    }

    /** Loads the model saved in {@code dir} onto {@code backend} (null: the default backend). */
    public static Model load(Path dir, Backend backend) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null,
                    "no saved model here: the directory does not exist");
        }
        Path jsonPath = dir.resolve(JSON);
        Path paramsPath = dir.resolve(PARAMS);
        if (!Files.isRegularFile(jsonPath)) {
            throw new InvalidModelException(jsonPath, "missing: " + dir
                    + " is not a saved Lamina model (save one with model.save(dir))");
        }
        Object plain;
        try {
            plain = JSON_MAPPER.readValue(jsonPath.toFile(), Object.class);
        } catch (JsonProcessingException e) {
            throw new InvalidModelException(jsonPath, "damaged or not JSON ("
                    + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr() + ")");
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
        if (!Files.isRegularFile(paramsPath)) {
            throw new InvalidModelException(paramsPath, "missing: the weights of " + dir
                    + " are not there");
        }
        String want = String.valueOf(map.get("params_sha256"));
        String got = sha256(paramsPath);
        if (!want.equals(got)) {
            throw new InvalidModelException(paramsPath, "damaged: its SHA-256 is " + got
                    + " but model.json recorded " + want + " (truncated or replaced)");
        }
        ConfigNode root = ConfigNode.of(plain, jsonPath.toString(), "");
        Model model;
        try {
            model = architecture(root.asMap().get("architecture"), String.valueOf(map.get("name")),
                    root);
        } catch (ConfigException e) {
            throw new InvalidModelException(jsonPath, e.getMessage());
        }
        model.backend(backend == null ? Backend.defaults() : backend);
        ConfigNode compile = root.asMap().get("compile");
        if (compile != null && !compile.isNull()) {
            try {
                model.compile(CompileSettings.parse(compile));
            } catch (ConfigException e) {
                throw new InvalidModelException(jsonPath, e.getMessage());
            }
        }
        model.build();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(paramsPath));
                DataInputStream dis = new DataInputStream(in)) {
            model.block().loadParameters(model.djlModel().getNDManager(), dis);
        } catch (MalformedModelException | IOException | RuntimeException e) {
            model.close();
            throw new InvalidModelException(paramsPath, "cannot be read as the weights of this"
                    + " architecture: " + e.getMessage());
        }
        return model;
    }

    /** Rebuilds a model (not yet built) from an architecture node. */
    public static Model architecture(ConfigNode arch, String name, ConfigNode at) {
        if (arch == null || !arch.isMap()) {
            throw at.error("has no architecture");
        }
        Map<String, ConfigNode> a = arch.asMap();
        String kind = a.containsKey("class") ? a.get("class").asString() : "";
        if (kind.equals("functional")) {
            Map<String, ConfigNode> rest = new LinkedHashMap<>(a);
            rest.remove("class");
            return dev.lamina.run.ModelConfig.graph(
                    ConfigNode.map(rest, arch.file(), arch.line(), arch.path()), name);
        }
        if (!kind.equals("sequential")) {
            throw arch.error("unknown model class '" + kind
                    + "' (this Lamina reads: sequential, functional)");
        }
        ConfigNode in = a.get("input");
        if (in == null) {
            throw arch.error("has no input shape");
        }
        List<ConfigNode> dims = in.asList();
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.get(i).asLong();
        }
        Sequential seq = new Sequential(name).input(new Shape(shape));
        ConfigNode layers = a.get("layers");
        if (layers == null) {
            throw arch.error("has no layers");
        }
        for (ConfigNode l : layers.asList()) {
            Map<String, ConfigNode> entry = l.asMap();
            seq.add(entry.containsKey("name") ? entry.get("name").asString() : null,
                    Layers.parse(entry.get("layer")));
        }
        return seq;
    }

    /** A writer of bytes to a stream. */
    @FunctionalInterface
    interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Writes to a temporary file beside {@code target}, then renames it; returns the SHA-256. */
    static String writeAtomically(Path target, Writer writer) throws IOException {
        // a hidden name in the same directory (so the rename is atomic), with the usual permissions
        Path tmp = target.resolveSibling("." + target.getFileName() + "."
                + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            MessageDigest md = digest();
            try (OutputStream raw = Files.newOutputStream(tmp, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE);
                    OutputStream out = new BufferedOutputStream(
                            new java.security.DigestOutputStream(raw, md))) {
                writer.write(out);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return HexFormat.of().formatHex(md.digest());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String sha256(Path p) throws IOException {
        MessageDigest md = digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(p), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
