package dev.lamina.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir Path dir;

    private void checkPair(Path images, Path labels) throws IOException {
        Tensor x = IdxReader.readImages(images);
        assertEquals(new Shape(1, 2, 3), x.sampleShape());
        assertEquals(4, x.size());
        float[] s2 = x.sample(2);
        for (int j = 0; j < 6; j++) {
            assertEquals((20 + j) / 255f, s2[j], 1e-7);
        }
        Tensor y = IdxReader.readLabels(labels);
        assertEquals(new Shape(), y.sampleShape());
        assertArrayEquals(new float[] {0, 1, 2, 3}, y.data());
        Dataset d = IdxReader.readPair("pair", images, labels);
        assertEquals(4, d.size());
        assertEquals("pair", d.name());
    }

    @Test
    void readsRawFiles() throws IOException {
        Path x = dir.resolve("x.idx");
        Path y = dir.resolve("y.idx");
        IdxFiles.writePair(x, y, 4, false);
        checkPair(x, y);
    }

    @Test
    void readsGzipByMagicNotName() throws IOException {
        // gzip content under a name without .gz, and raw content under a .gz name
        Path x = dir.resolve("images-no-suffix");
        Path y = dir.resolve("labels-no-suffix");
        IdxFiles.writePair(x, y, 4, true);
        checkPair(x, y);
        Path rx = dir.resolve("raw-images.gz");
        Path ry = dir.resolve("raw-labels.gz");
        IdxFiles.writePair(rx, ry, 4, false);
        checkPair(rx, ry);
    }

    @Test
    void scalesFullByteRange() throws IOException {
        Path x = dir.resolve("range.idx");
        Files.write(x, IdxFiles.images(1, 1, 3, new byte[] {0, (byte) 128, (byte) 255}));
        assertArrayEquals(new float[] {0f, 128 / 255f, 1f}, IdxReader.readImages(x).data());
        Path y = dir.resolve("labels.idx");
        Files.write(y, IdxFiles.labels(new byte[] {9, (byte) 200}));
        assertArrayEquals(new float[] {9, 200}, IdxReader.readLabels(y).data());
    }

    @Test
    void truncatedRawFileIsRefused() throws IOException {
        Path x = dir.resolve("short-images.idx");
        byte[] full = IdxFiles.images(60000, 28, 28, new byte[1000]);
        Files.write(x, full); // header announces 47040000 pixels, 1000 follow
        IOException e = assertThrows(IOException.class, () -> IdxReader.readImages(x));
        assertTrue(e.getMessage().contains(x.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("expected 47040000 pixel bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("file ends after 1000"), e.getMessage());
    }

    @Test
    void truncatedGzipFileIsRefused() throws IOException {
        Path x = dir.resolve("cut.gz");
        byte[] px = new byte[5000];
        new java.util.Random(1).nextBytes(px);
        byte[] gz = IdxFiles.gzip(IdxFiles.images(50, 10, 10, px));
        Files.write(x, Arrays.copyOf(gz, gz.length / 2));
        IOException e = assertThrows(IOException.class, () -> IdxReader.readImages(x));
        assertTrue(e.getMessage().contains(x.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("expected 5000 pixel bytes"), e.getMessage());
    }

    @Test
    void truncatedHeaderIsRefused() throws IOException {
        Path x = dir.resolve("tiny.idx");
        Files.write(x, new byte[] {0, 0, 8, 3, 0, 0});
        IOException e = assertThrows(IOException.class, () -> IdxReader.readImages(x));
        assertTrue(e.getMessage().contains(x.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        Path empty = dir.resolve("empty.idx");
        Files.write(empty, new byte[0]);
        e = assertThrows(IOException.class, () -> IdxReader.readLabels(empty));
        assertTrue(e.getMessage().contains(empty + ": the file is empty"), e.getMessage());
    }

    @Test
    void wrongMagicIsRefused() throws IOException {
        Path y = dir.resolve("labels.idx");
        Files.write(y, IdxFiles.labels(new byte[] {1, 2, 3}));
        IOException e = assertThrows(IOException.class, () -> IdxReader.readImages(y));
        assertTrue(e.getMessage().contains(y.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("magic number 0x00000801 (an IDX label file)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("expected 0x00000803"), e.getMessage());

        Path png = dir.resolve("picture.png");
        Files.write(png, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        e = assertThrows(IOException.class, () -> IdxReader.readLabels(png));
        assertTrue(e.getMessage().contains(png + ": not an IDX label file"), e.getMessage());
        assertTrue(e.getMessage().contains("not IDX at all"), e.getMessage());
    }

    @Test
    void trailingBytesAreRefused() throws IOException {
        Path y = dir.resolve("long-labels.idx");
        byte[] raw = IdxFiles.labels(new byte[] {1, 2, 3});
        Files.write(y, Arrays.copyOf(raw, raw.length + 4));
        IOException e = assertThrows(IOException.class, () -> IdxReader.readLabels(y));
        assertTrue(e.getMessage().contains(y.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("goes on after them"), e.getMessage());
    }

    @Test
    void mismatchedPairIsRefused() throws IOException {
        Path x = dir.resolve("x.idx");
        Path y = dir.resolve("y.idx");
        IdxFiles.writePair(x, y, 4, false);
        Path y3 = dir.resolve("y3.idx");
        Files.write(y3, IdxFiles.labels(new byte[] {1, 2, 3}));
        IOException e = assertThrows(IOException.class, () -> IdxReader.readPair("p", x, y3));
        assertTrue(e.getMessage().contains(x + " holds 4 images but " + y3 + " holds 3 labels"),
                e.getMessage());
    }
}
