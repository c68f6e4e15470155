package dev.lamina.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lamina.io.AtomicFiles;
import dev.lamina.io.InvalidModelException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Keras's {@code BackupAndRestore}, with nothing lost: a checkpoint in {@code backup_dir} after
 * every epoch (or every {@code save_freq} batches) that holds the weights, the optimizer's state
 * (moments and update counts), the epoch and batch reached, the History, the running means of the
 * epoch, what callbacks carry (early stopping's best weights and patience), what callbacks did to
 * the learning rate, and the fit's seed, from which the data order and every random draw of the
 * run follow. A {@code fit} that finds a checkpoint there goes on from it, so a run killed at any
 * moment and started again ends with the weights an uninterrupted run ends with. When the fit
 * completes the checkpoint is deleted ({@code delete_checkpoint}, default true), as Keras does.
 *
 * <p>Keras's own callback restores the weights and the epoch only (keras-team/keras#19389,
 * #19179); here the optimizer's state and the position within the epoch come back too.
 *
 * <p>Give it to {@code fit} as a callback ({@code callbacks(new BackupAndRestore(dir))}), as in
 * Keras, or with {@code FitOptions.backupAndRestore}; the training loop does the work.
 *
 * <p>Writes are atomic: the arrays go to files named by their checksum, and {@code
 * checkpoint.json}, which names them, replaces the previous one in one rename; a run killed while
 * writing leaves the previous checkpoint whole.
 */
public final class BackupAndRestore implements Callback {
    /** The checkpoint's index file. */
    public static final String JSON = "checkpoint.json";
    /** The value of {@code format} in checkpoint.json. */
    public static final String FORMAT = "lamina-checkpoint";
    /** The format version this build writes and reads. */
    public static final int FORMAT_VERSION = 1;
    private static final Pattern DATA = Pattern.compile("(weights|state)-[0-9a-f]{16}\\.bin");
    private static final ObjectMapper JSON_MAPPER = new ObjectMapper(JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64)
                    .maxDocumentLength(256L << 20).build())
            .build()).enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final int saveFreq;
    private final boolean deleteCheckpoint;

    /**
     * Checkpoints in {@code dir} every {@code saveFreq} batches (0: after every epoch, Keras's
     * {@code "epoch"}); {@code deleteCheckpoint}: remove it when the fit completes.
     */
    public BackupAndRestore(Path dir, int saveFreq, boolean deleteCheckpoint) {
        if (dir == null) {
            throw new IllegalArgumentException("backup_and_restore needs a backup_dir");
        }
        if (saveFreq < 0) {
            throw new IllegalArgumentException("save_freq must be 'epoch' or a positive number of"
                    + " batches, received save_freq=" + saveFreq);
        }
        this.dir = dir;
        this.saveFreq = saveFreq;
        this.deleteCheckpoint = deleteCheckpoint;
    }

    /** After every epoch, deleted when the fit completes: Keras's defaults. */
    public BackupAndRestore(Path dir) {
        this(dir, 0, true);
    }

    /** The directory the checkpoint lives in. */
    public Path dir() {
        return dir;
    }

    /** Batches between checkpoints; 0 for one after every epoch. */
    public int saveFreq() {
        return saveFreq;
    }

    /** Whether the checkpoint is deleted when the fit completes. */
    public boolean deleteCheckpoint() {
        return deleteCheckpoint;
    }

    /** True when {@code dir} holds a checkpoint. */
    public boolean exists() {
        return Files.isRegularFile(dir.resolve(JSON));
    }

    /**
     * Where the checkpoint stands, for a message: "after epoch 3" or "in epoch 4, after batch
     * 20"; null when there is none or it cannot be read (reading it for real says why).
     */
    @SuppressWarnings("unchecked")
    public String describe() {
        try {
            Map<String, Object> doc = JSON_MAPPER.readValue(dir.resolve(JSON).toFile(), Map.class);
            int epoch = ((Number) doc.get("epoch")).intValue();
            int batch = ((Number) doc.get("batch")).intValue();
            return batch == 0 ? "after epoch " + epoch
                    : "in epoch " + (epoch + 1) + ", after batch " + batch;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Where a fit stands: what a checkpoint records besides the arrays. */
    record Position(long fitSeed, int epoch, int batch, long updates, List<Map<String, Double>> history) {}

    /** A checkpoint read back: its position, and the snapshots of the step and each callback. */
    record Restored(Position position, Snapshot step, List<Snapshot> callbacks, NDManager arrays)
            implements AutoCloseable {
        @Override
        public void close() {
            arrays.close();
        }
    }

    /** Writes a checkpoint of {@code model} at {@code at}. */
    void save(Trainable model, Position at, TrainingStep step, List<Callback> callbacks) {
        try (NDManager m = model.djlModel().getNDManager().newSubManager()) {
            Files.createDirectories(dir);
            Snapshot stepState = step.snapshot(m);
            List<Snapshot> cbs = new ArrayList<>();
            callbacks.forEach(c -> cbs.add(c.snapshot(m)));
            NDList arrays = new NDList();
            List<String> stepNames = add(arrays, "step/", stepState);
            List<Object> cbDocs = new ArrayList<>();
            for (int i = 0; i < cbs.size(); i++) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("values", cbs.get(i).values());
                d.put("arrays", add(arrays, "callback" + i + "/", cbs.get(i)));
                cbDocs.add(d);
            }
            String weights = stage("weights", out -> {
                try (DataOutputStream dos = new DataOutputStream(out)) {
                    model.block().saveParameters(dos);
                }
            });
            String state = stage("state", out -> out.write(arrays.encode()));
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("format", FORMAT);
            doc.put("format_version", FORMAT_VERSION);
            doc.put("model", model.name());
            doc.put("fit_seed", at.fitSeed());
            doc.put("epoch", at.epoch());
            doc.put("batch", at.batch());
            doc.put("updates", at.updates());
            doc.put("history", at.history());
            doc.put("step", Map.of("values", stepState.values(), "arrays", stepNames));
            doc.put("callbacks", cbDocs);
            doc.put("weights_file", weights);
            doc.put("state_file", state);
            AtomicFiles.write(dir.resolve(JSON), JSON_MAPPER.writeValueAsBytes(doc));
            removeUnnamed(weights, state);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the checkpoint in " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    private static List<String> add(NDList all, String prefix, Snapshot s) {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : new java.util.TreeMap<>(s.arrays()).entrySet()) {
            NDArray a = e.getValue();
            a.setName(prefix + e.getKey());
            all.add(a);
            names.add(e.getKey());
        }
        return names;
    }

    /** Writes one data file under a name made of its checksum; returns the name. */
    private String stage(String kind, AtomicFiles.Writer writer) throws IOException {
        Path staged = dir.resolve("." + kind + "." + Long.toHexString(System.nanoTime()) + ".tmp");
        try {
            String sha = AtomicFiles.write(staged, writer);
            String name = kind + "-" + sha.substring(0, 16) + ".bin";
            Files.move(staged, dir.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return name;
        } finally {
            Files.deleteIfExists(staged);
        }
    }

    /** Deletes data files the current checkpoint.json does not name, and leftover temporaries. */
    private void removeUnnamed(String weights, String state) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String n = p.getFileName().toString();
                boolean old = DATA.matcher(n).matches() && !n.equals(weights) && !n.equals(state);
                if (old || n.startsWith(".") && n.endsWith(".tmp")) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * Reads the checkpoint into {@code model}'s weights and returns the rest, or null when there is
     * none. A damaged, foreign or mismatched checkpoint is refused by name.
     */
    @SuppressWarnings("unchecked")
    Restored restore(Trainable model) throws IOException {
        Path json = dir.resolve(JSON);
        if (!Files.isRegularFile(json)) {
            return null;
        }
        Map<String, Object> doc;
        try {
            doc = JSON_MAPPER.readValue(json.toFile(), Map.class);
        } catch (JsonProcessingException e) {
            throw new InvalidModelException(json, "damaged or not JSON (" + e.getOriginalMessage()
                    + "): delete the backup directory to start the run afresh");
        }
        if (!FORMAT.equals(doc.get("format"))) {
            throw new InvalidModelException(json, "not a Lamina checkpoint (format "
                    + doc.get("format") + ")");
        }
        if (!(doc.get("format_version") instanceof Integer v) || v > FORMAT_VERSION) {
            throw new InvalidModelException(json, "format version " + doc.get("format_version")
                    + " is newer than this Lamina reads (" + FORMAT_VERSION + ")");
        }
        if (!model.name().equals(doc.get("model"))) {
            throw new InvalidModelException(json, "the checkpoint is of model '" + doc.get("model")
                    + "', not '" + model.name() + "': resume it with the run that wrote it");
        }
        Path weights = dataFile(json, doc, "weights_file");
        Path state = dataFile(json, doc, "state_file");
        try (InputStream in = new BufferedInputStream(Files.newInputStream(weights))) {
            model.block().loadParameters(model.djlModel().getNDManager(), new DataInputStream(in));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw new InvalidModelException(weights, "its weights do not fit model '"
                    + model.name() + "' (" + e.getMessage() + "): the run file changed since the"
                    + " checkpoint, or the file is damaged");
        }
        NDManager m = model.djlModel().getNDManager().newSubManager();
        try {
            NDList arrays = NDList.decode(m, Files.readAllBytes(state));
            Map<String, NDArray> byName = new LinkedHashMap<>();
            arrays.forEach(a -> byName.put(a.getName(), a));
            Map<String, Object> step = (Map<String, Object>) doc.get("step");
            Snapshot stepState = snapshot(step, "step/", byName);
            List<Snapshot> cbs = new ArrayList<>();
            List<Object> cbDocs = (List<Object>) doc.get("callbacks");
            for (int i = 0; i < cbDocs.size(); i++) {
                cbs.add(snapshot((Map<String, Object>) cbDocs.get(i), "callback" + i + "/", byName));
            }
            List<Map<String, Double>> history = new ArrayList<>();
            for (Object e : (List<Object>) doc.get("history")) {
                Map<String, Double> logs = new LinkedHashMap<>();
                ((Map<String, Object>) e).forEach((k, x) -> logs.put(k, number(x)));
                history.add(logs);
            }
            Position at = new Position(((Number) doc.get("fit_seed")).longValue(),
                    ((Number) doc.get("epoch")).intValue(), ((Number) doc.get("batch")).intValue(),
                    ((Number) doc.get("updates")).longValue(), history);
            return new Restored(at, stepState, cbs, m);
        } catch (IOException | RuntimeException e) {
            m.close();
            throw new InvalidModelException(state, "damaged (" + e.getMessage() + "): delete the"
                    + " backup directory to start the run afresh");
        }
    }

    @SuppressWarnings("unchecked")
    private static Snapshot snapshot(Map<String, Object> d, String prefix,
            Map<String, NDArray> byName) {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        for (Object n : (List<Object>) d.get("arrays")) {
            NDArray a = byName.get(prefix + n);
            if (a == null) {
                throw new IllegalArgumentException("array '" + prefix + n + "' is missing");
            }
            arrays.put((String) n, a);
        }
        return new Snapshot(arrays, (Map<String, Object>) d.get("values"));
    }

    private static double number(Object v) {
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private Path dataFile(Path json, Map<String, Object> doc, String key) throws IOException {
        Object name = doc.get(key);
        if (!(name instanceof String s) || !DATA.matcher(s).matches()) {
            throw new InvalidModelException(json, key + " is missing or not a checkpoint file");
        }
        Path p = dir.resolve(s);
        if (!Files.isRegularFile(p)) {
            throw new InvalidModelException(json, "names " + s + ", which is missing: delete the"
                    + " backup directory to start the run afresh");
        }
        String sha = AtomicFiles.sha256(p);
        if (!s.equals(s.substring(0, s.indexOf('-') + 1) + sha.substring(0, 16) + ".bin")) {
            throw new InvalidModelException(p, "damaged: its checksum does not match its name");
        }
        return p;
    }

    /** Removes the checkpoint (a completed fit). */
    void delete() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String n = p.getFileName().toString();
                if (n.equals(JSON) || DATA.matcher(n).matches() || n.startsWith(".")
                        && n.endsWith(".tmp")) {
                    Files.deleteIfExists(p);
                }
            }
            try (Stream<Path> rest = Files.list(dir)) {
                if (rest.findAny().isEmpty()) {
                    Files.delete(dir);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the checkpoint in " + dir, e);
        }
    }
}
