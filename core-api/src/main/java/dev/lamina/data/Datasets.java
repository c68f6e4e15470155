package dev.lamina.data;

import dev.lamina.spec.ConfigException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Ready-made data sets for Java users, the counterpart of {@code keras.datasets}:
 *
 * <pre>{@code
 * Dataset train = Datasets.fashionMnistSample(true);     // 6000 images, shipped in the jar
 * Dataset test = Datasets.load("fashion-mnist:test");     // the full 10000 test images
 * Dataset xor = Datasets.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}},
 *         new int[] {0, 1, 1, 0});
 * }</pre>
 *
 * <p>See {@link DataSources} for the source strings {@link #load} understands and where the full
 * data sets are looked for.
 */
public final class Datasets {
    /** The class names of Fashion-MNIST, by class id. */
    public static final List<String> FASHION_MNIST_CLASSES = List.of("T-shirt/top", "Trouser",
            "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private Datasets() {}

    /**
     * Loads a data source such as {@code fashion-mnist:train}, {@code mnist:test},
     * {@code fashion-mnist-sample:train}, {@code idx:IMAGES,LABELS} or {@code csv:PATH}.
     *
     * @throws ConfigException when the source is wrongly written or not found
     * @throws UncheckedIOException when a file is found but cannot be read
     */
    public static Dataset load(String source) {
        return DataSources.load(source);
    }

    /** As {@link #load(String)}, relative paths taken from {@code baseDir}. */
    public static Dataset load(String source, Path baseDir) {
        return DataSources.load(source, baseDir);
    }

    /**
     * The Fashion-MNIST sample shipped with Lamina: the first 6000 training images
     * ({@code train}) or the first 1000 test images, each (1, 28, 28) with pixels in [0, 1].
     */
    public static Dataset fashionMnistSample(boolean train) {
        return DataSources.fashionMnistSample(train);
    }

    /** The full Fashion-MNIST: 60000 training or 10000 test images (must be installed). */
    public static Dataset fashionMnist(boolean train) {
        return load(train ? "fashion-mnist:train" : "fashion-mnist:test");
    }

    /** The full MNIST: 60000 training or 10000 test images (must be installed). */
    public static Dataset mnist(boolean train) {
        return load(train ? "mnist:train" : "mnist:test");
    }

    /** Rows of features with one class id each, copied. */
    public static Dataset of(float[][] x, int[] labels) {
        return of("in-memory", x, labels);
    }

    /** Rows of features with one class id each, copied, under {@code name}. */
    public static Dataset of(String name, float[][] x, int[] labels) {
        if (x.length != labels.length) {
            throw new IllegalArgumentException("x has " + x.length + " rows but there are "
                    + labels.length + " labels; every sample needs one label");
        }
        float[] y = new float[labels.length];
        for (int i = 0; i < y.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException("label " + i + " is " + labels[i]
                        + "; class ids are 0, 1, 2, ...");
            }
            y[i] = labels[i];
        }
        return new Dataset(name, rows(x), Tensor.scalars(y));
    }

    /** Rows of features with a row of targets each (for regression or one-hot labels), copied. */
    public static Dataset of(float[][] x, float[][] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x has " + x.length + " rows but y has " + y.length
                    + "; every sample needs one row of targets");
        }
        return new Dataset("in-memory", rows(x), Tensor.rows(y));
    }

    /** Rows of features without labels, for {@code predict}. */
    public static Dataset unlabelled(float[][] x) {
        return Dataset.unlabelled("in-memory", rows(x));
    }

    private static Tensor rows(float[][] x) {
        if (x.length == 0) {
            throw new IllegalArgumentException("x holds no samples");
        }
        return Tensor.rows(x);
    }
}
