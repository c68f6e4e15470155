package dev.lamina.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import dev.lamina.spec.ConfigException;
import dev.lamina.testing.SystemProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSourcesTest {
    @TempDir Path dir;

    private static void checkImages(Dataset d, int n) {
        assertEquals(n, d.size());
        Tensor x = d.inputs().get(0);
        assertEquals(new Shape(1, 28, 28), x.sampleShape());
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : x.data()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0f, min);
        assertTrue(max > 0.9f && max <= 1f, "max pixel " + max);
        int[] counts = new int[10];
        for (float v : d.labels().get(0).data()) {
            assertTrue(v >= 0 && v <= 9 && v == Math.rint(v), "label " + v);
            counts[(int) v]++;
        }
        for (int c = 0; c < 10; c++) {
            assertTrue(counts[c] > n / 20, "class " + c + " has only " + counts[c] + " samples");
        }
    }

    @Test
    void shippedSampleLoads() {
        Dataset train = DataSources.load("fashion-mnist-sample:train");
        checkImages(train, 6000);
        assertEquals("fashion-mnist-sample:train", train.name());
        Dataset test = Datasets.fashionMnistSample(false);
        checkImages(test, 1000);
        assertEquals("fashion-mnist-sample:test", test.name());
        // cached: the same arrays come back
        assertSame(train.inputs().get(0), Datasets.fashionMnistSample(true).inputs().get(0));
    }

    @Test
    void findsDataSetsInTheConfiguredDirectory() throws Exception {
        // the four files directly in the directory, raw for test and gzip for train
        IdxFiles.writePair(dir.resolve("train-images-idx3-ubyte.gz"),
                dir.resolve("train-labels-idx1-ubyte.gz"), 7, true);
        IdxFiles.writePair(dir.resolve("t10k-images-idx3-ubyte"),
                dir.resolve("t10k-labels-idx1-ubyte"), 3, false);
        Dataset train = SystemProperties.with(DataSources.DIR_PROPERTY, dir.toString(),
                () -> DataSources.load("mnist:train"));
        assertEquals(7, train.size());
        assertEquals("mnist:train", train.name());
        assertEquals(new Shape(1, 2, 3), train.inputs().get(0).sampleShape());
        Dataset test = SystemProperties.with(DataSources.DIR_PROPERTY, dir.toString(),
                () -> Datasets.load("mnist:test"));
        assertEquals(3, test.size());
        assertArrayEquals(new float[] {0, 1, 2}, test.labels().get(0).data());

        // a fashion-mnist/ subdirectory wins over files directly in the directory
        Path sub = dir.resolve("fashion-mnist");
        IdxFiles.writePair(sub.resolve("t10k-images-idx3-ubyte.gz"),
                sub.resolve("t10k-labels-idx1-ubyte.gz"), 5, true);
        Dataset fm = SystemProperties.with(DataSources.DIR_PROPERTY, dir.toString(),
                () -> DataSources.load("fashion-mnist:test"));
        assertEquals(5, fm.size());
        assertEquals("fashion-mnist:test", fm.name());
        assertEquals(List.of(sub, dir), SystemProperties.with(DataSources.DIR_PROPERTY, dir.toString(),
                () -> DataSources.searchPlaces("fashion-mnist").subList(0, 2)));
    }

    @Test
    void findsDataSetsInTheHomeDirectory() throws Exception {
        Path home = dir.resolve("home");
        Path mnist = home.resolve(".lamina/datasets/mnist");
        IdxFiles.writePair(mnist.resolve("train-images-idx3-ubyte.gz"),
                mnist.resolve("train-labels-idx1-ubyte.gz"), 4, true);
        Dataset d = SystemProperties.with(DataSources.DIR_PROPERTY, dir.resolve("empty").toString(),
                () -> SystemProperties.with("user.home", home.toString(),
                        () -> DataSources.load("mnist:train")));
        assertEquals(4, d.size());
    }

    @Test
    void missingDataSetListsThePlacesSearched() throws Exception {
        Path configured = dir.resolve("datasets");
        Files.createDirectories(configured);
        // half a pair: the message says what is there and what is missing
        IdxFiles.writePair(configured.resolve("train-images-idx3-ubyte.gz"),
                dir.resolve("elsewhere.gz"), 2, true);
        Path home = dir.resolve("home");
        ConfigException e = assertThrows(ConfigException.class,
                () -> SystemProperties.with(DataSources.DIR_PROPERTY, configured.toString(),
                        () -> SystemProperties.with("user.home", home.toString(),
                                () -> DataSources.load("mnist:train"))));
        String m = e.getMessage();
        assertTrue(m.contains("mnist:train was not found"), m);
        assertTrue(m.contains(configured.resolve("mnist") + " (no such directory)"), m);
        assertTrue(m.contains(configured + " (found train-images-idx3-ubyte.gz but no"
                + " train-labels-idx1-ubyte[.gz])"), m);
        assertTrue(m.contains(home.resolve(".lamina/datasets/mnist").toString()), m);
        assertTrue(m.contains("put the four IDX files"), m);
        assertTrue(m.contains("~/.lamina/datasets/mnist"), m);
    }

    @Test
    void missingFashionMnistPointsAtTheDebianPackage() throws Exception {
        Path home = dir.resolve("home");
        // Fashion-MNIST is also looked for where Debian installs it, and the message says so
        List<Path> places = DataSources.searchPlaces("fashion-mnist");
        assertEquals(DataSources.DEBIAN_FASHION_MNIST, places.get(places.size() - 1));
        Path system = dir.resolve("usr-share-datasets-fashion-mnist");
        DataSources.systemFashionMnist = system;
        ConfigException e;
        try {
            e = assertThrows(ConfigException.class,
                    () -> SystemProperties.with(DataSources.DIR_PROPERTY, dir.toString(),
                            () -> SystemProperties.with("user.home", home.toString(),
                                    () -> DataSources.load("fashion-mnist:test"))));
        } finally {
            DataSources.systemFashionMnist = DataSources.DEBIAN_FASHION_MNIST;
        }
        assertTrue(e.getMessage().contains(system + " (no such directory)"), e.getMessage());
        assertTrue(e.getMessage().contains("fashion-mnist-sample:test"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"),
                e.getMessage());
    }

    @Test
    void loadsTheInstalledFashionMnistTestSet() {
        Assumptions.assumeTrue(Files.isDirectory(DataSources.DEBIAN_FASHION_MNIST),
                "dataset-fashion-mnist is not installed");
        Assumptions.assumeTrue(System.getProperty(DataSources.DIR_PROPERTY) == null
                && System.getenv(DataSources.DIR_ENV) == null, "a data set directory is set");
        Dataset test = Datasets.fashionMnist(false);
        checkImages(test, 10000);
        // the sample is the head of the full set
        Dataset sample = Datasets.fashionMnistSample(false);
        assertArrayEquals(sample.inputs().get(0).data(),
                test.inputs().get(0).slice(0, 1000).data());
        assertArrayEquals(sample.labels().get(0).data(),
                test.labels().get(0).slice(0, 1000).data());
    }

    @Test
    void idxSource() throws IOException {
        Path x = dir.resolve("a/x.idx.gz");
        Path y = dir.resolve("a/y.idx");
        IdxFiles.writePair(x, y, 6, false);
        Dataset d = DataSources.load("idx:" + x + "," + y);
        assertEquals(6, d.size());
        // relative paths against a base directory
        Dataset rel = DataSources.load("idx:a/x.idx.gz, a/y.idx", dir);
        assertEquals(6, rel.size());
        assertSame(d.inputs().get(0), rel.inputs().get(0));

        ConfigException e = assertThrows(ConfigException.class,
                () -> DataSources.load("idx:" + x));
        assertTrue(e.getMessage().contains("idx:IMAGES_PATH,LABELS_PATH"), e.getMessage());
        e = assertThrows(ConfigException.class,
                () -> DataSources.load("idx:" + x + "," + dir.resolve("nope")));
        assertTrue(e.getMessage().contains(dir.resolve("nope") + ", which does not exist"),
                e.getMessage());

        Path bad = dir.resolve("bad.idx");
        Files.write(bad, IdxFiles.labels(new byte[] {1}));
        UncheckedIOException u = assertThrows(UncheckedIOException.class,
                () -> DataSources.load("idx:" + bad + "," + y));
        assertTrue(u.getMessage().contains(bad + ": not an IDX image file"), u.getMessage());
    }

    @Test
    void csvSource() throws IOException {
        Path csv = dir.resolve("iris.csv");
        Files.writeString(csv, "sepal,petal,class\n1.5,2,0\n\n3,-4.25,2\n5,6e-1,1\n");
        Dataset d = DataSources.load("csv:" + csv);
        assertEquals(3, d.size());
        assertEquals(new Shape(2), d.inputs().get(0).sampleShape());
        assertArrayEquals(new float[] {1.5f, 2, 3, -4.25f, 5, 0.6f}, d.inputs().get(0).data());
        assertArrayEquals(new float[] {0, 2, 1}, d.labels().get(0).data());

        Path first = dir.resolve("first.csv");
        Files.writeString(first, "1,0.5,0.25\n0,1,2\n");
        Dataset f = DataSources.load("csv:first.csv?label=first", dir);
        assertArrayEquals(new float[] {1, 0}, f.labels().get(0).data());
        assertArrayEquals(new float[] {0.5f, 0.25f, 1, 2}, f.inputs().get(0).data());

        ConfigException e = assertThrows(ConfigException.class,
                () -> DataSources.load("csv:" + csv + "?label=frist"));
        assertTrue(e.getMessage().contains("Did you mean 'first'?"), e.getMessage());
        e = assertThrows(ConfigException.class,
                () -> DataSources.load("csv:" + csv + "?lable=first"));
        assertTrue(e.getMessage().contains("Did you mean 'label'?"), e.getMessage());

        Path ragged = dir.resolve("ragged.csv");
        Files.writeString(ragged, "1,2,0\n3,1\n");
        UncheckedIOException u = assertThrows(UncheckedIOException.class,
                () -> DataSources.load("csv:" + ragged));
        assertTrue(u.getMessage().contains(ragged + ":2: expected 3 columns, found 2"),
                u.getMessage());
        Path word = dir.resolve("word.csv");
        Files.writeString(word, "a,b\n1,0\nx,1\n");
        u = assertThrows(UncheckedIOException.class, () -> DataSources.load("csv:" + word));
        assertTrue(u.getMessage().contains(word + ":3: column 1: 'x' is not a"), u.getMessage());
        Path label = dir.resolve("label.csv");
        Files.writeString(label, "1,0.5\n");
        u = assertThrows(UncheckedIOException.class, () -> DataSources.load("csv:" + label));
        assertTrue(u.getMessage().contains("holds '0.5', not a class id"), u.getMessage());
    }

    @Test
    void unknownSchemeSuggestsTheClosest() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> DataSources.load("fashon-mnist:train"));
        String m = e.getMessage();
        assertTrue(m.contains("unknown data source 'fashon-mnist:train'"), m);
        for (String s : DataSources.SCHEMES) {
            assertTrue(m.contains(s), m);
        }
        assertTrue(m.endsWith("Did you mean 'fashion-mnist'?"), m);

        e = assertThrows(ConfigException.class, () -> DataSources.load("fashion-mnist:tset"));
        assertTrue(e.getMessage().contains("Did you mean 'test'?"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> DataSources.load("mnist"));
        assertTrue(e.getMessage().contains("mnist:train or mnist:test"), e.getMessage());
        assertThrows(ConfigException.class, () -> DataSources.load(" "));
    }

    @Test
    void inMemoryArrays() {
        Dataset d = Datasets.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}},
                new int[] {0, 1, 1, 0});
        assertEquals(4, d.size());
        assertEquals(new Shape(2), d.inputs().get(0).sampleShape());
        assertArrayEquals(new float[] {0, 1, 1, 0}, d.labels().get(0).data());
        Dataset r = Datasets.of(new float[][] {{1}, {2}}, new float[][] {{2, 3}, {4, 5}});
        assertEquals(new Shape(2), r.labels().get(0).sampleShape());
        assertEquals(0, Datasets.unlabelled(new float[][] {{1, 2}}).labels().size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Datasets.of(new float[][] {{1}, {2}}, new int[] {0}));
        assertTrue(e.getMessage().contains("2 rows but there are 1 labels"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Datasets.of(new float[][] {{1}}, new int[] {-1}));
        assertEquals(10, Datasets.FASHION_MNIST_CLASSES.size());
    }
}
