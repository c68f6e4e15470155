package dev.lamina.data;

import dev.lamina.spec.ConfigException;
import dev.lamina.spec.Names;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a data source string, as written in a run file ({@code data: {train:
 * fashion-mnist-sample:train}}) or on the command line ({@code --data fashion-mnist:test}), into a
 * {@link Dataset}. The sources are:
 *
 * <ul>
 *   <li>{@code fashion-mnist-sample:train|test}: 6000 training and 1000 test images of
 *       Fashion-MNIST shipped in the jar;
 *   <li>{@code fashion-mnist:train|test} and {@code mnist:train|test}: the full data sets, found
 *       as the four standard IDX files ({@code train-images-idx3-ubyte[.gz]} and so on) in, in
 *       order: the directory named by the system property {@value #DIR_PROPERTY} or the
 *       environment variable {@value #DIR_ENV} (its {@code fashion-mnist/} or {@code mnist/}
 *       subdirectory, then the directory itself); {@code ~/.lamina/datasets/<name>/}; and, for
 *       Fashion-MNIST, {@code /usr/share/datasets/fashion-mnist} (Debian's
 *       {@code dataset-fashion-mnist} package);
 *   <li>{@code idx:IMAGES_PATH,LABELS_PATH}: any pair of IDX image and label files;
 *   <li>{@code csv:PATH} or {@code csv:PATH?label=last|first}: a numeric CSV file, one sample a
 *       line, the label column holding class ids (the last column unless told otherwise); a first
 *       line that is not all numbers is taken for a header and skipped;
 *   <li>{@code image:PATH}: one PNG, JPEG, BMP or GIF image, one unlabelled sample (for predict);
 *   <li>{@code images:DIR}: a folder of class folders, {@code DIR/<class>/*.png|jpg}, the classes
 *       sorted by name as Keras's {@code image_dataset_from_directory}, labels their indices and
 *       the data set carrying their names ({@link Dataset#classNames()}).
 * </ul>
 *
 * Both image sources take {@code ?size=H,W} (resize every image to H×W) and {@code
 * &channels=1|3}; what they leave out is taken from the image shape the caller passes (the
 * model's input), else the images' own size and 3 channels. See {@link Images} for how pixels
 * become values (channels first, in [0, 1]) and how images are resized (bilinear).
 *
 * <p>A source that is wrongly written or not found throws a {@link ConfigException} whose message
 * says what would be right (for a missing data set: every place searched and how to get it); a
 * file that is found but cannot be read throws an {@link UncheckedIOException} naming the file.
 * Data sets read from files are cached in memory for the life of the JVM, keyed by the resolved
 * files, so loading the same source again costs nothing; the returned data sets share their
 * (immutable by convention) arrays.
 */
public final class DataSources {
    /** System property naming a directory of data sets. */
    public static final String DIR_PROPERTY = "lamina.datasets";
    /** Environment variable naming a directory of data sets, used when the property is unset. */
    public static final String DIR_ENV = "LAMINA_DATASETS";
    /** Where Debian's {@code dataset-fashion-mnist} package installs Fashion-MNIST. */
    public static final Path DEBIAN_FASHION_MNIST = Paths.get("/usr/share/datasets/fashion-mnist");

    /** The schemes a source may start with. */
    public static final List<String> SCHEMES =
            List.of("fashion-mnist-sample", "fashion-mnist", "mnist", "idx", "csv", "adding",
                    "image", "images");

    private static final String SAMPLE_RESOURCE = "/dev/lamina/data/fashion-mnist-sample/";
    private static final List<String> SPLITS = List.of("train", "test");
    private static final Map<String, Dataset> CACHE = new ConcurrentHashMap<>();
    /** Where Fashion-MNIST's system-wide copy is looked for; tests point it elsewhere. */
    static volatile Path systemFashionMnist = DEBIAN_FASHION_MNIST;

    private DataSources() {}

    /** Loads {@code source}; relative paths in {@code idx:} and {@code csv:} start at the cwd. */
    public static Dataset load(String source) {
        return load(source, null);
    }

    /**
     * Loads {@code source}; relative paths in {@code idx:} and {@code csv:} sources are resolved
     * against {@code baseDir} (such as the directory of the run file), or the working directory
     * when it is null.
     */
    public static Dataset load(String source, Path baseDir) {
        return load(source, baseDir, null);
    }

    /**
     * Loads {@code source} as {@link #load(String, Path)} does; images ({@code image:} and {@code
     * images:}) are made to fit {@code imageShape}, a model's (channels, height, width) input,
     * in what the source does not say itself (null: the images' own size, 3 channels).
     */
    public static Dataset load(String source, Path baseDir, ai.djl.ndarray.types.Shape imageShape) {
        if (source == null || source.isBlank()) {
            throw error("a data source is empty; write one of " + examples());
        }
        String s = source.strip();
        int colon = s.indexOf(':');
        String scheme = colon < 0 ? s : s.substring(0, colon);
        String rest = colon < 0 ? null : s.substring(colon + 1);
        switch (scheme) {
            case "fashion-mnist-sample":
            case "fashion-mnist":
            case "mnist": {
                int q = rest == null ? -1 : rest.indexOf('?');
                String sp = split(s, scheme, q < 0 ? rest : rest.substring(0, q));
                Dataset d = scheme.equals("fashion-mnist-sample") ? sample(sp, s)
                        : named(scheme, sp, s);
                return q < 0 ? d : ClassSubset.parse(s, rest.substring(q + 1)).apply(d);
            }
            case "idx":
                return idx(s, rest, baseDir);
            case "csv":
                return csv(s, rest, baseDir);
            case "adding":
                return adding(s, rest);
            case "image":
            case "images":
                return images(s, scheme, rest, baseDir, imageShape);
            default:
                throw error("unknown data source '" + s + "': the scheme '" + scheme
                        + "' is not one of " + String.join(", ", SCHEMES) + " (write "
                        + examples() + ")." + Names.didYouMean(scheme, SCHEMES));
        }
    }

    /** The shipped Fashion-MNIST sample: 6000 training or 1000 test images. */
    public static Dataset fashionMnistSample(boolean train) {
        return load("fashion-mnist-sample:" + (train ? "train" : "test"));
    }

    /**
     * The places searched for the full data set {@code name} ({@code fashion-mnist} or
     * {@code mnist}), in order.
     */
    public static List<Path> searchPlaces(String name) {
        List<Path> places = new ArrayList<>();
        String configured = System.getProperty(DIR_PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(DIR_ENV);
        }
        if (configured != null && !configured.isBlank()) {
            Path dir = Paths.get(configured.strip());
            places.add(dir.resolve(name));
            places.add(dir);
        }
        places.add(Paths.get(System.getProperty("user.home"), ".lamina", "datasets", name));
        if (name.equals("fashion-mnist")) {
            places.add(systemFashionMnist);
        }
        return places;
    }

    /** Forgets every cached data set (for tests and long-lived processes short of memory). */
    public static void clearCache() {
        CACHE.clear();
    }

    private static String examples() {
        return "fashion-mnist-sample:train, fashion-mnist:test, mnist:train,"
                + " idx:IMAGES_PATH,LABELS_PATH, csv:PATH?label=last, image:PATH or images:DIR";
    }

    static ConfigException error(String detail) {
        return new ConfigException("", "", detail);
    }

    private static String split(String source, String scheme, String rest) {
        if (rest == null || rest.isBlank()) {
            throw error("the data source '" + source + "' needs a split: " + scheme + ":train or "
                    + scheme + ":test");
        }
        if (!SPLITS.contains(rest)) {
            throw error("the data source '" + source + "' names the split '" + rest + "'; "
                    + scheme + " has train and test." + Names.didYouMean(rest, SPLITS));
        }
        return rest;
    }

    /**
     * {@code adding:train} or {@code adding:test}, with {@code ?length=N&samples=M} (defaults 50 and
     * 10,000 for train, 1,000 for test) and {@code min_length=K} (sequences of K to N steps, padded
     * with zeros; default N): the adding problem, generated with a fixed seed per split.
     */
    private static Dataset adding(String source, String rest) {
        String r = rest == null ? "" : rest;
        int q = r.indexOf('?');
        String split = q < 0 ? r : r.substring(0, q);
        if (!SPLITS.contains(split)) {
            throw error("data source '" + source + "': write adding:train or adding:test,"
                    + " optionally with ?length=N&samples=M." + Names.didYouMean(split, SPLITS));
        }
        int length = 50;
        int samples = split.equals("train") ? 10_000 : 1_000;
        int minLength = -1;
        List<String> options = List.of("length", "min_length", "samples");
        if (q >= 0) {
            for (String kv : r.substring(q + 1).split("&")) {
                String[] p = kv.split("=", 2);
                if (p.length != 2 || !options.contains(p[0])) {
                    throw error("data source '" + source + "': unknown option '" + kv
                            + "'; adding takes length=N, min_length=K and samples=M."
                            + Names.didYouMean(p[0], options));
                }
                int v;
                try {
                    v = Integer.parseInt(p[1]);
                } catch (NumberFormatException e) {
                    throw error("data source '" + source + "': " + p[0] + " must be an integer,"
                            + " received '" + p[1] + "'");
                }
                switch (p[0]) {
                    case "length" -> length = v;
                    case "min_length" -> minLength = v;
                    default -> samples = v;
                }
            }
        }
        try {
            return renamed(AddingProblem.generate(length, minLength < 0 ? length : minLength,
                    samples, split.equals("train") ? 1 : 2), source);
        } catch (IllegalArgumentException e) {
            throw error("data source '" + source + "': " + e.getMessage());
        }
    }

    private static Dataset renamed(Dataset d, String name) {
        return d.name().equals(name) ? d : d.named(name);
    }

    private static Dataset sample(String split, String source) {
        String key = "resource:" + SAMPLE_RESOURCE + split;
        Dataset d = CACHE.get(key);
        if (d == null) {
            String prefix = split.equals("train") ? "train" : "t10k";
            String images = SAMPLE_RESOURCE + prefix + "-images-idx3-ubyte.gz";
            String labels = SAMPLE_RESOURCE + prefix + "-labels-idx1-ubyte.gz";
            try (InputStream xs = resource(images); InputStream ys = resource(labels)) {
                Tensor x = IdxReader.readImages(xs, "classpath:" + images);
                Tensor y = IdxReader.readLabels(ys, "classpath:" + labels);
                d = IdxReader.pair(source, x, "classpath:" + images, y, "classpath:" + labels);
            } catch (IOException e) {
                throw new UncheckedIOException(source + ": " + e.getMessage(), e);
            }
            Dataset prev = CACHE.putIfAbsent(key, d);
            d = prev == null ? d : prev;
        }
        return renamed(d, source);
    }

    private static InputStream resource(String path) throws IOException {
        InputStream in = DataSources.class.getResourceAsStream(path);
        if (in == null) {
            throw new IOException("classpath:" + path + " is missing from the lamina-core jar");
        }
        return in;
    }

    // ---- image, images ---------------------------------------------------------------------

    private static final List<String> IMAGE_OPTIONS = List.of("size", "channels");

    private static Dataset images(String source, String scheme, String rest, Path baseDir,
            ai.djl.ndarray.types.Shape fit) {
        String what = scheme.equals("image") ? "PATH" : "DIR";
        if (rest == null || rest.isBlank()) {
            throw error("the data source '" + source + "' should name a "
                    + (scheme.equals("image") ? "file" : "folder") + ": " + scheme + ":" + what
                    + " or " + scheme + ":" + what + "?size=H,W&channels=1|3");
        }
        String path = rest;
        int height = 0;
        int width = 0;
        int channels = 0;
        int q = rest.lastIndexOf('?');
        if (q >= 0) {
            path = rest.substring(0, q);
            for (String opt : rest.substring(q + 1).split("&")) {
                int eq = opt.indexOf('=');
                String k = eq < 0 ? opt : opt.substring(0, eq);
                String v = eq < 0 ? "" : opt.substring(eq + 1).strip();
                if (!IMAGE_OPTIONS.contains(k)) {
                    throw error("the data source '" + source + "' has the option '" + k + "'; "
                            + scheme + " knows size=H,W and channels=1|3."
                            + Names.didYouMean(k, IMAGE_OPTIONS));
                }
                if (k.equals("channels")) {
                    if (!v.equals("1") && !v.equals("3")) {
                        throw error("the data source '" + source + "' has channels=" + v
                                + "; write channels=1 (grey) or channels=3 (RGB)");
                    }
                    channels = Integer.parseInt(v);
                } else {
                    String[] hw = v.split(",");
                    try {
                        if (hw.length != 2) {
                            throw new NumberFormatException();
                        }
                        height = Integer.parseInt(hw[0].strip());
                        width = Integer.parseInt(hw[1].strip());
                        if (height <= 0 || width <= 0 || (long) height * width > 1 << 26) {
                            throw new NumberFormatException();
                        }
                    } catch (NumberFormatException e) {
                        throw error("the data source '" + source + "' has size=" + v
                                + "; write size=HEIGHT,WIDTH in pixels, such as size=224,224");
                    }
                }
            }
        }
        // what the source leaves out comes from the model's input, (channels, height, width)
        if (fit != null && fit.dimension() == 3 && (fit.get(0) == 1 || fit.get(0) == 3)) {
            channels = channels == 0 ? (int) fit.get(0) : channels;
            if (height == 0) {
                height = (int) fit.get(1);
                width = (int) fit.get(2);
            }
        }
        Images.Options o = new Images.Options(channels == 0 ? 3 : channels, height, width);
        Path file = resolve(baseDir, path.strip());
        return scheme.equals("image") ? Images.image(source, file, o)
                : Images.directory(source, file, o);
    }

    // ---- fashion-mnist, mnist -------------------------------------------------------------

    private static Dataset named(String name, String split, String source) {
        String prefix = split.equals("train") ? "train" : "t10k";
        String imagesFile = prefix + "-images-idx3-ubyte";
        String labelsFile = prefix + "-labels-idx1-ubyte";
        List<String> looked = new ArrayList<>();
        for (Path dir : searchPlaces(name)) {
            Path images = find(dir, imagesFile);
            Path labels = find(dir, labelsFile);
            if (images != null && labels != null) {
                return readIdx(source, images, labels);
            }
            String note;
            if (!Files.isDirectory(dir)) {
                note = "no such directory";
            } else if (images == null && labels == null) {
                note = "no " + imagesFile + "[.gz] nor " + labelsFile + "[.gz]";
            } else {
                note = "found " + (images != null ? images.getFileName() : labels.getFileName())
                        + " but no " + (images != null ? labelsFile : imagesFile) + "[.gz]";
            }
            looked.add(dir + " (" + note + ")");
        }
        StringBuilder sb = new StringBuilder();
        sb.append("the data set ").append(source).append(" was not found; looked for ")
                .append(imagesFile).append("[.gz] and ").append(labelsFile).append("[.gz] in:");
        for (String l : looked) {
            sb.append("\n  ").append(l);
        }
        sb.append("\nTo get it, ");
        if (name.equals("fashion-mnist")) {
            sb.append("apt-get install dataset-fashion-mnist (Debian/Ubuntu), or ");
        }
        sb.append("put the four IDX files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,"
                + " t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) in ~/.lamina/datasets/")
                .append(name).append(" or in a directory named by -D").append(DIR_PROPERTY)
                .append(" or ").append(DIR_ENV).append(" (the files may also sit in its ")
                .append(name).append("/ subdirectory).");
        if (name.equals("fashion-mnist")) {
            sb.append(" They are at https://github.com/zalandoresearch/fashion-mnist.");
            sb.append(" For a small sample that ships with Lamina, use fashion-mnist-sample:")
                    .append(split).append('.');
        }
        throw error(sb.toString());
    }

    private static Path find(Path dir, String file) {
        Path gz = dir.resolve(file + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path raw = dir.resolve(file);
        return Files.isRegularFile(raw) ? raw : null;
    }

    // ---- idx ------------------------------------------------------------------------------

    private static Dataset idx(String source, String rest, Path baseDir) {
        int comma = rest == null ? -1 : rest.indexOf(',');
        if (comma <= 0 || comma == rest.length() - 1 || rest.indexOf(',', comma + 1) >= 0) {
            throw error("the data source '" + source + "' should name two files:"
                    + " idx:IMAGES_PATH,LABELS_PATH (such as"
                    + " idx:data/train-images-idx3-ubyte.gz,data/train-labels-idx1-ubyte.gz)");
        }
        Path images = resolve(baseDir, rest.substring(0, comma).strip());
        Path labels = resolve(baseDir, rest.substring(comma + 1).strip());
        for (Path p : List.of(images, labels)) {
            if (!Files.isRegularFile(p)) {
                throw error("the data source '" + source + "' names " + p
                        + ", which does not exist or is not a file");
            }
        }
        return readIdx(source, images, labels);
    }

    private static Path resolve(Path baseDir, String path) {
        if (path.startsWith("~/")) {
            return Paths.get(System.getProperty("user.home"), path.substring(2));
        }
        Path p = Paths.get(path);
        return p.isAbsolute() || baseDir == null ? p.toAbsolutePath().normalize()
                : baseDir.resolve(p).toAbsolutePath().normalize();
    }

    private static String fileKey(Path p) throws IOException {
        Path real = p.toRealPath();
        BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class);
        return real + "@" + a.size() + "@" + a.lastModifiedTime().toMillis();
    }

    private static Dataset readIdx(String source, Path images, Path labels) {
        try {
            String key = "idx:" + fileKey(images) + "," + fileKey(labels);
            Dataset d = CACHE.get(key);
            if (d == null) {
                d = IdxReader.readPair(source, images, labels);
                Dataset prev = CACHE.putIfAbsent(key, d);
                d = prev == null ? d : prev;
            }
            return renamed(d, source);
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": " + e.getMessage(), e);
        }
    }

    // ---- csv ------------------------------------------------------------------------------

    private static Dataset csv(String source, String rest, Path baseDir) {
        if (rest == null || rest.isBlank()) {
            throw error("the data source '" + source + "' should name a file: csv:PATH or"
                    + " csv:PATH?label=last|first");
        }
        String path = rest;
        boolean labelFirst = false;
        int q = rest.lastIndexOf('?');
        if (q >= 0) {
            path = rest.substring(0, q);
            for (String opt : rest.substring(q + 1).split("&")) {
                int eq = opt.indexOf('=');
                String k = eq < 0 ? opt : opt.substring(0, eq);
                String v = eq < 0 ? "" : opt.substring(eq + 1);
                if (!k.equals("label")) {
                    throw error("the data source '" + source + "' has the option '" + k
                            + "'; csv knows only label=last|first."
                            + Names.didYouMean(k, List.of("label")));
                }
                if (v.equals("first") || v.equals("last")) {
                    labelFirst = v.equals("first");
                } else {
                    throw error("the data source '" + source + "' has label=" + v
                            + "; write label=last or label=first."
                            + Names.didYouMean(v, List.of("last", "first")));
                }
            }
        }
        Path file = resolve(baseDir, path.strip());
        if (!Files.isRegularFile(file)) {
            throw error("the data source '" + source + "' names " + file
                    + ", which does not exist or is not a file");
        }
        try {
            String key = "csv:" + fileKey(file) + "?label=" + (labelFirst ? "first" : "last");
            Dataset d = CACHE.get(key);
            if (d == null) {
                d = readCsv(source, file, labelFirst);
                Dataset prev = CACHE.putIfAbsent(key, d);
                d = prev == null ? d : prev;
            }
            return renamed(d, source);
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a numeric CSV file: comma-separated, one sample a line, blank lines skipped, a first
     * line that is not all numbers skipped as a header; one column (first or last) holds class
     * ids, the others are features.
     */
    static Dataset readCsv(String name, Path file, boolean labelFirst) throws IOException {
        List<float[]> rows = new ArrayList<>();
        List<Float> labels = new ArrayList<>();
        int width = -1;
        int lineNo = 0;
        boolean first = true;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (lineNo == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (first) {
                    first = false;
                    if (!allNumbers(cells)) {
                        continue; // a header
                    }
                }
                if (width < 0) {
                    width = cells.length;
                    if (width < 2) {
                        throw new IOException(file + ":" + lineNo + ": a line has " + width
                                + " column; a CSV data set needs at least one feature column"
                                + " and a label column");
                    }
                } else if (cells.length != width) {
                    throw new IOException(file + ":" + lineNo + ": expected " + width
                            + " columns, found " + cells.length);
                }
                int labelCol = labelFirst ? 0 : width - 1;
                float[] row = new float[width - 1];
                int j = 0;
                for (int c = 0; c < width; c++) {
                    String cell = cells[c].strip();
                    if (c == labelCol) {
                        labels.add(classId(file, lineNo, c, cell));
                    } else {
                        row[j++] = number(file, lineNo, c, cell);
                    }
                }
                rows.add(row);
            }
        }
        if (rows.isEmpty()) {
            throw new IOException(file + ": holds no data lines");
        }
        float[] y = new float[labels.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = labels.get(i);
        }
        return new Dataset(name, Tensor.rows(rows.toArray(new float[0][])), Tensor.scalars(y));
    }

    private static boolean allNumbers(String[] cells) {
        for (String c : cells) {
            try {
                Float.parseFloat(c.strip());
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    private static float number(Path file, int line, int col, String cell) throws IOException {
        try {
            float v = Float.parseFloat(cell);
            if (Float.isNaN(v) || Float.isInfinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IOException(file + ":" + line + ": column " + (col + 1) + ": '" + cell
                    + "' is not a (finite) number; a CSV data set holds numbers only");
        }
    }

    private static float classId(Path file, int line, int col, String cell) throws IOException {
        try {
            double v = Double.parseDouble(cell);
            if (v >= 0 && v == Math.rint(v) && v < (1 << 24)) {
                return (float) v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IOException(file + ":" + line + ": column " + (col + 1) + " is the label"
                + " column but holds '" + cell + "', not a class id (0, 1, 2, ...)");
    }
}
