package dev.lamina.data;

import ai.djl.ndarray.types.Shape;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST: a big-endian magic number
 * ({@code 0x00000803} for images, {@code 0x00000801} for labels), one big-endian 32-bit size per
 * dimension, then the unsigned bytes. Files may be gzip-compressed or raw; gzip is recognised by
 * its magic bytes {@code 1f 8b}, not by the file name.
 *
 * <p>Images become a {@link Tensor} of shape (1, rows, cols) per sample, pixels scaled to [0, 1]
 * ({@code byte / 255}); labels become {@link Tensor#scalars} of class ids. A truncated file, a
 * file of the wrong kind, or an image file and a label file that disagree on the number of
 * samples are refused with an {@link IOException} whose message names the file and what was
 * wrong.
 */
public final class IdxReader {
    /** Magic number of an IDX file of unsigned-byte images (3 dimensions). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an IDX file of unsigned-byte labels (1 dimension). */
    public static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {}

    /** Reads an IDX image file: samples of shape (1, rows, cols), pixels in [0, 1]. */
    public static Tensor readImages(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readImages(in, file.toString());
        }
    }

    /** Reads an IDX label file: one class id per sample. */
    public static Tensor readLabels(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readLabels(in, file.toString());
        }
    }

    /**
     * Reads IDX images from {@code in} (gzip or raw); {@code name} names the source in messages.
     * The stream is read to its end but not closed.
     */
    public static Tensor readImages(InputStream in, String name) throws IOException {
        Raw raw = read(in, name, IMAGES_MAGIC, "image", "pixel");
        float[] out = new float[raw.bytes.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (raw.bytes[i] & 0xff) / 255f;
        }
        return new Tensor(out, new Shape(1, raw.dims[1], raw.dims[2]));
    }

    /**
     * Reads IDX labels from {@code in} (gzip or raw); {@code name} names the source in messages.
     * The stream is read to its end but not closed.
     */
    public static Tensor readLabels(InputStream in, String name) throws IOException {
        Raw raw = read(in, name, LABELS_MAGIC, "label", "label");
        float[] out = new float[raw.bytes.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = raw.bytes[i] & 0xff;
        }
        return Tensor.scalars(out);
    }

    /**
     * Reads an image file and its label file into a data set called {@code name}, refusing a
     * pair that disagrees on the number of samples.
     */
    public static Dataset readPair(String name, Path images, Path labels) throws IOException {
        Tensor x = readImages(images);
        Tensor y = readLabels(labels);
        return pair(name, x, images.toString(), y, labels.toString());
    }

    /** Joins images and labels read from {@code imagesName} and {@code labelsName}. */
    static Dataset pair(String name, Tensor x, String imagesName, Tensor y, String labelsName)
            throws IOException {
        if (x.size() != y.size()) {
            throw new IOException(imagesName + " holds " + x.size() + " images but " + labelsName
                    + " holds " + y.size() + " labels; the two files do not belong together");
        }
        return new Dataset(name, x, y);
    }

    private record Raw(int[] dims, byte[] bytes) {}

    private static Raw read(InputStream source, String name, int magic, String kind, String unit)
            throws IOException {
        InputStream in = new BufferedInputStream(source, 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 < 0) {
            throw new IOException(name + ": the file is empty, expected an IDX " + kind + " file");
        }
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        if (gzip) {
            try {
                in = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
            } catch (ZipException | EOFException e) {
                throw new IOException(name + ": starts like a gzip file but its gzip header is"
                        + " damaged (" + e.getMessage() + ")", e);
            }
        }
        Counter c = new Counter(in, name, gzip);
        byte[] head = c.readFully(4, "header bytes");
        int found = ((head[0] & 0xff) << 24) | ((head[1] & 0xff) << 16) | ((head[2] & 0xff) << 8)
                | (head[3] & 0xff);
        if (found != magic) {
            throw new IOException(name + ": not an IDX " + kind + " file: magic number "
                    + hex(found) + describe(found) + ", expected " + hex(magic) + " (IDX "
                    + kind + "s, unsigned bytes, " + (magic & 0xff) + " dimension"
                    + ((magic & 0xff) == 1 ? "" : "s") + ")");
        }
        int nd = magic & 0xff;
        byte[] dimBytes = c.readFully(4 * nd, "dimension bytes");
        int[] dims = new int[nd];
        long total = 1;
        for (int i = 0; i < nd; i++) {
            int d = ((dimBytes[4 * i] & 0xff) << 24) | ((dimBytes[4 * i + 1] & 0xff) << 16)
                    | ((dimBytes[4 * i + 2] & 0xff) << 8) | (dimBytes[4 * i + 3] & 0xff);
            if (d < 0 || (i > 0 && d == 0)) {
                throw new IOException(name + ": the header gives dimension " + i + " as " + d
                        + ", which is not a valid size");
            }
            dims[i] = d;
            total *= d;
        }
        if (total > Integer.MAX_VALUE - 16) {
            throw new IOException(name + ": the header announces " + total + " " + unit
                    + " bytes, more than one Java array can hold");
        }
        byte[] body = c.readFully((int) total, unit + " bytes");
        int more;
        try {
            more = in.read();
        } catch (EOFException | ZipException e) {
            throw new IOException(name + ": the gzip stream is cut short or damaged after the "
                    + total + " " + unit + " bytes (" + e.getMessage() + ")", e);
        }
        if (more >= 0) {
            throw new IOException(name + ": the header announces " + dims[0] + " " + kind + "s ("
                    + total + " " + unit + " bytes) but the file goes on after them");
        }
        return new Raw(dims, body);
    }

    private static String hex(int v) {
        return String.format(Locale.ROOT, "0x%08x", v);
    }

    private static String describe(int found) {
        if (found == IMAGES_MAGIC) {
            return " (an IDX image file)";
        }
        if (found == LABELS_MAGIC) {
            return " (an IDX label file)";
        }
        if ((found >>> 16) == 0 && ((found >>> 8) & 0xff) != 0x08) {
            return " (an IDX file of another element type)";
        }
        if ((found >>> 16) == 0) {
            return " (an IDX file of " + (found & 0xff) + " dimensions)";
        }
        return " (not IDX at all)";
    }

    /** Reads exact byte counts and knows how far it got, for messages about truncated files. */
    private static final class Counter {
        private final InputStream in;
        private final String name;
        private final boolean gzip;
        private long read;

        Counter(InputStream in, String name, boolean gzip) {
            this.in = in;
            this.name = name;
            this.gzip = gzip;
        }

        byte[] readFully(int n, String what) throws IOException {
            byte[] out = new byte[n];
            int off = 0;
            try {
                while (off < n) {
                    int r = in.read(out, off, n - off);
                    if (r < 0) {
                        throw truncated(n, off, what, null);
                    }
                    off += r;
                }
            } catch (EOFException | ZipException e) {
                // A gzip stream cut short ends with "Unexpected end of ZLIB input stream".
                throw truncated(n, off, what, e);
            }
            read += n;
            return out;
        }

        private IOException truncated(int n, int off, String what, Exception cause) {
            String why = cause == null ? ""
                    : " (the gzip stream is cut short or damaged: " + cause.getMessage() + ")";
            return new IOException(name + ": truncated: expected " + n + " " + what
                    + (read > 0 ? " after the first " + read + " bytes" : "")
                    + ", file ends after " + off + (gzip ? " (uncompressed)" : "") + why, cause);
        }
    }
}
