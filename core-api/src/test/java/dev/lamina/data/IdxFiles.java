package dev.lamina.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests. */
final class IdxFiles {
    private IdxFiles() {}

    static byte[] images(int n, int rows, int cols, byte[] pixels) {
        ByteBuffer b = ByteBuffer.allocate(16 + pixels.length);
        b.putInt(IdxReader.IMAGES_MAGIC).putInt(n).putInt(rows).putInt(cols).put(pixels);
        return b.array();
    }

    static byte[] labels(byte[] labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
        b.putInt(IdxReader.LABELS_MAGIC).putInt(labels.length).put(labels);
        return b.array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(raw);
        }
        return bytes.toByteArray();
    }

    /** Writes {@code n} images of 2x3 pixels (pixel j of image i = 10i + j) and labels i % 10. */
    static void writePair(Path images, Path labels, int n, boolean gzip) throws IOException {
        byte[] px = new byte[n * 6];
        byte[] lb = new byte[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 6; j++) {
                px[i * 6 + j] = (byte) (10 * i + j);
            }
            lb[i] = (byte) (i % 10);
        }
        byte[] xi = images(n, 2, 3, px);
        byte[] yi = labels(lb);
        Files.createDirectories(images.toAbsolutePath().getParent());
        Files.write(images, gzip ? gzip(xi) : xi);
        Files.write(labels, gzip ? gzip(yi) : yi);
    }
}
