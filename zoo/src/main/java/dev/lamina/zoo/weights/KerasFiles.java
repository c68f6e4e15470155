package dev.lamina.zoo.weights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lamina.io.InvalidModelException;
import dev.lamina.zoo.weights.KerasWeights.Array;
import dev.lamina.zoo.weights.KerasWeights.Format;
import dev.lamina.zoo.weights.KerasWeights.LayerWeights;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Keras weights in pure Java: Keras 2's HDF5 ({@code model_weights/<layer>/<layer>/kernel:0}
 * with the {@code layer_names} and {@code weight_names} attributes, from {@code model.save("x.h5")}
 * or, at the root, from {@code save_weights("x.h5")}), Keras 3's {@code .weights.h5}
 * ({@code layers/<name>/vars/0, 1, ...}, and {@code layers/<name>/cell/vars/...} for recurrent
 * layers), and TF.js layers models ({@code model.json}: {@code modelTopology} and a
 * {@code weightsManifest} naming shards of little-endian float32, weights named
 * {@code layer/kernel}). Every error names the file and what in it is wrong.
 */
public final class KerasFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private KerasFiles() {}

    /**
     * Reads {@code file}: a TF.js {@code model.json} (or the folder holding one), else an HDF5 file
     * of Keras 2 or Keras 3, told apart by what it holds.
     */
    public static KerasWeights read(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            Path json = file.resolve("model.json");
            if (!Files.isRegularFile(json)) {
                throw new InvalidModelException(file, "is a folder without model.json: give a"
                        + " Keras .h5 or .weights.h5 file, or a TF.js model's model.json");
            }
            return readTfjs(json);
        }
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no Keras weights file here");
        }
        if (file.getFileName().toString().endsWith(".json")) {
            return readTfjs(file);
        }
        return readHdf5(file);
    }

    // ---- HDF5 ----

    private static KerasWeights readHdf5(Path file) throws IOException {
        byte[] magic = new byte[8];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(magic, 0, 8) < 8 || magic[1] != 'H' || magic[2] != 'D' || magic[3] != 'F') {
                throw new InvalidModelException(file, "is not an HDF5 file (Keras's .h5 or"
                        + " .weights.h5), nor a TF.js model.json");
            }
        }
        try (HdfFile h5 = new HdfFile(file)) {
            Group root = h5;
            Node mw = h5.getChildren().get("model_weights");
            if (mw instanceof Group g && g.getAttribute("layer_names") != null) {
                return keras2(file, g);
            }
            if (h5.getAttribute("layer_names") != null) {
                return keras2(file, root);
            }
            if (h5.getChildren().get("layers") instanceof Group layers) {
                return keras3(file, layers);
            }
            throw new InvalidModelException(file, "holds no Keras weights: neither Keras 2's"
                    + " layer_names attribute (at the root or in model_weights/) nor Keras 3's"
                    + " layers/ group; save the model with Keras's model.save(\"x.h5\") or"
                    + " model.save_weights(\"x.weights.h5\")");
        } catch (InvalidModelException e) {
            throw e;
        } catch (RuntimeException e) {
            // jhdf's own exceptions are unchecked: a damaged or truncated file
            throw new InvalidModelException(file, "cannot be read as HDF5 (damaged or truncated?): "
                    + e.getMessage());
        }
    }

    private static KerasWeights keras2(Path file, Group g) throws InvalidModelException {
        List<LayerWeights> layers = new ArrayList<>();
        for (String layer : strings(file, g, g.getAttribute("layer_names"), "layer_names")) {
            if (!(g.getChildren().get(layer) instanceof Group lg)) {
                throw new InvalidModelException(file, "layer_names lists '" + layer + "' but "
                        + g.getPath() + layer + " is not there (damaged file?)");
            }
            Attribute wn = lg.getAttribute("weight_names");
            List<String> names = wn == null ? List.of() : strings(file, lg, wn, "weight_names");
            List<KerasWeights.Array> arrays = new ArrayList<>();
            for (String n : names) {
                Dataset d;
                try {
                    d = lg.getDatasetByPath(n);
                } catch (RuntimeException e) {
                    d = null;
                }
                if (d == null) {
                    throw new InvalidModelException(file, "layer '" + layer + "' names weight '" + n
                            + "' but " + lg.getPath() + n + " is not there (damaged file?)");
                }
                arrays.add(array(file, shortName(n), d));
            }
            if (!arrays.isEmpty()) {
                layers.add(new LayerWeights(layer, arrays));
            }
        }
        return new KerasWeights(file, Format.KERAS2_H5, layers, true);
    }

    /** A string-array attribute; Keras 2 writes an empty one as an empty float array. */
    private static List<String> strings(Path file, Group g, Attribute a, String what)
            throws InvalidModelException {
        Object data = a.isEmpty() ? null : a.getData();
        if (data == null) {
            return List.of();
        }
        if (data instanceof String s) {
            return List.of(s);
        }
        if (data instanceof String[] ss) {
            return List.of(ss);
        }
        if (data.getClass().isArray() && java.lang.reflect.Array.getLength(data) == 0) {
            return List.of(); // np.asarray([]): a layer without weights
        }
        throw new InvalidModelException(file, "attribute " + what + " of " + g.getPath()
                + " is not a list of names (found " + data.getClass().getSimpleName() + ")");
    }

    private static KerasWeights keras3(Path file, Group layersGroup) throws InvalidModelException {
        List<LayerWeights> layers = new ArrayList<>();
        for (Map.Entry<String, Node> e : layersGroup.getChildren().entrySet()) {
            if (e.getValue() instanceof Group lg) {
                List<KerasWeights.Array> arrays = new ArrayList<>();
                collect(file, lg, "", arrays);
                if (!arrays.isEmpty()) {
                    layers.add(new LayerWeights(e.getKey(), arrays));
                }
            }
        }
        return new KerasWeights(file, Format.KERAS3_H5, layers, false);
    }

    /** A layer's own vars (by number), then those of its parts (a recurrent layer's cell). */
    private static void collect(Path file, Group g, String prefix, List<KerasWeights.Array> out)
            throws InvalidModelException {
        Map<String, Node> children = g.getChildren();
        if (children.get("vars") instanceof Group vars) {
            List<String> keys = new ArrayList<>(vars.getChildren().keySet());
            keys.sort(Comparator.comparingLong(KerasFiles::number));
            for (String k : keys) {
                if (vars.getChildren().get(k) instanceof Dataset d) {
                    out.add(array(file, prefix + "vars/" + k, d));
                }
            }
        }
        List<String> parts = new ArrayList<>(children.keySet());
        parts.sort(null);
        for (String k : parts) {
            if (!k.equals("vars") && children.get(k) instanceof Group sub) {
                collect(file, sub, prefix + k + "/", out);
            }
        }
    }

    private static long number(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static KerasWeights.Array array(Path file, String name, Dataset d)
            throws InvalidModelException {
        Object flat = d.isEmpty() ? new float[0] : d.getDataFlat();
        float[] values;
        if (flat instanceof float[] f) {
            values = f;
        } else if (flat instanceof double[] dd) {
            values = new float[dd.length];
            for (int i = 0; i < dd.length; i++) {
                values[i] = (float) dd[i];
            }
        } else {
            throw new InvalidModelException(file, "array " + d.getPath() + " holds "
                    + d.getJavaType().getSimpleName() + " values, not floats");
        }
        return new KerasWeights.Array(name, d.getPath(), d.getDimensionsAsLong(), values);
    }

    /** {@code conv2d/kernel:0} and {@code lstm/lstm_cell/kernel:0} → {@code kernel}. */
    static String shortName(String full) {
        String n = full.substring(full.lastIndexOf('/') + 1);
        int colon = n.lastIndexOf(':');
        return colon > 0 ? n.substring(0, colon) : n;
    }

    // ---- TF.js ----

    private static KerasWeights readTfjs(Path json) throws IOException {
        JsonNode doc;
        try {
            doc = JSON.readTree(json.toFile());
        } catch (JsonProcessingException e) {
            throw new InvalidModelException(json, "is not JSON (" + e.getOriginalMessage() + ")");
        }
        JsonNode manifest = doc == null ? null : doc.get("weightsManifest");
        if (manifest == null || !manifest.isArray()) {
            throw new InvalidModelException(json, "is not a TF.js layers model: it has no"
                    + " weightsManifest (convert the Keras model with tensorflowjs_converter"
                    + " --output_format tfjs_layers_model)");
        }
        Path dir = json.toAbsolutePath().getParent();
        Map<String, List<KerasWeights.Array>> byLayer = new LinkedHashMap<>();
        for (JsonNode group : manifest) {
            ByteBuffer bytes = shards(json, dir, group.get("paths"));
            for (JsonNode w : group.path("weights")) {
                String name = w.path("name").asText("");
                String dtype = w.path("dtype").asText("float32");
                if (name.isEmpty() || !w.path("shape").isArray()) {
                    throw new InvalidModelException(json, "weightsManifest has a weight without"
                            + " a name or shape: " + w);
                }
                if (w.has("quantization") || !dtype.equals("float32")) {
                    throw new InvalidModelException(json, "weight '" + name + "' is " + dtype
                            + (w.has("quantization") ? ", quantized" : "") + ": only float32"
                            + " weights are read (convert without --quantize_*)");
                }
                long[] shape = new long[w.get("shape").size()];
                long n = 1;
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = w.get("shape").get(i).asLong();
                    n *= shape[i];
                }
                if (n > bytes.remaining() / 4) {
                    throw new InvalidModelException(json, "weight '" + name + "' " + KerasWeights
                            .shapeText(shape) + " needs " + n * 4 + " bytes but its shards "
                            + group.get("paths") + " hold only " + bytes.remaining()
                            + " more (a shard is missing or truncated)");
                }
                float[] values = new float[(int) n];
                bytes.asFloatBuffer().get(values);
                bytes.position(bytes.position() + (int) n * 4);
                int slash = name.indexOf('/');
                String layer = slash > 0 ? name.substring(0, slash) : name;
                byLayer.computeIfAbsent(layer, k -> new ArrayList<>())
                        .add(new KerasWeights.Array(shortName(name), name, shape, values));
            }
            if (bytes.remaining() != 0) {
                throw new InvalidModelException(json, "the shards " + group.get("paths") + " hold "
                        + bytes.remaining() + " bytes more than the weights the manifest lists"
                        + " (a shard of another model?)");
            }
        }
        // the topology's order of layers (the manifest's order where it has none)
        List<String> order = topologyOrder(doc.get("modelTopology"));
        List<LayerWeights> layers = new ArrayList<>();
        byLayer.forEach((k, v) -> layers.add(new LayerWeights(k, v)));
        Map<String, Integer> rank = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            rank.putIfAbsent(order.get(i), i);
        }
        layers.sort(Comparator.comparingInt(l -> rank.getOrDefault(l.name(), Integer.MAX_VALUE)));
        return new KerasWeights(json, Format.TFJS, layers, true);
    }

    private static ByteBuffer shards(Path json, Path dir, JsonNode paths) throws IOException {
        if (paths == null || !paths.isArray()) {
            throw new InvalidModelException(json, "a weightsManifest group has no paths");
        }
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (JsonNode p : paths) {
            Path shard = dir.resolve(p.asText()).normalize();
            if (!shard.startsWith(dir)) {
                throw new InvalidModelException(json, "shard '" + p.asText() + "' is outside the"
                        + " model's folder; shards must lie beside model.json");
            }
            if (!Files.isRegularFile(shard)) {
                throw new InvalidModelException(shard, "missing: model.json names this weight"
                        + " shard; copy every file of the TF.js model into " + dir);
            }
            all.write(Files.readAllBytes(shard));
        }
        return ByteBuffer.wrap(all.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The layers' names in the Keras topology (Sequential or functional, either nesting). */
    private static List<String> topologyOrder(JsonNode topology) {
        List<String> out = new ArrayList<>();
        if (topology == null) {
            return out;
        }
        JsonNode model = topology.has("model_config") ? topology.get("model_config") : topology;
        JsonNode config = model.path("config");
        JsonNode layers = config.isArray() ? config : config.path("layers");
        for (JsonNode l : layers) {
            String n = l.path("config").path("name").asText(l.path("name").asText(""));
            if (!n.isEmpty()) {
                out.add(n);
            }
        }
        return out;
    }
}
