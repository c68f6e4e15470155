package dev.lamina.models.pretrain;

import dev.lamina.data.Tensor;
import dev.lamina.io.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Writes samples of grey images as one PNG grid: sample i at row {@code i / columns}, column
 * {@code i % columns}, one pixel of border between them. Values in [0, 1] are drawn as they are
 * (0 black, 1 white); when any lies outside, each image is scaled from its own minimum to its
 * maximum. Written atomically.
 */
public final class SampleGrid {
    private SampleGrid() {}

    /** The samples (each {@code height × width} values) as a grid {@code columns} wide. */
    public static void write(Tensor samples, int height, int width, int columns, Path png)
            throws IOException {
        int n = samples.size();
        int per = samples.sampleSize();
        if (per != height * width) {
            throw new IllegalArgumentException("samples of " + per + " values are not " + height
                    + "x" + width + " images");
        }
        if (columns <= 0) {
            throw new IllegalArgumentException("columns must be positive, received " + columns);
        }
        int rows = (n + columns - 1) / columns;
        BufferedImage img = new BufferedImage(columns * (width + 1) + 1, rows * (height + 1) + 1,
                BufferedImage.TYPE_BYTE_GRAY);
        float[] d = samples.data();
        for (int s = 0; s < n; s++) {
            float lo = 0;
            float hi = 1;
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < per; j++) {
                min = Math.min(min, d[s * per + j]);
                max = Math.max(max, d[s * per + j]);
            }
            if (min < 0 || max > 1) {
                lo = min;
                hi = max > min ? max : min + 1;
            }
            int x0 = 1 + (s % columns) * (width + 1);
            int y0 = 1 + (s / columns) * (height + 1);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    float v = (d[s * per + y * width + x] - lo) / (hi - lo);
                    int grey = Math.round(Math.max(0, Math.min(1, v)) * 255);
                    img.getRaster().setSample(x0 + x, y0 + y, 0, grey);
                }
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bytes);
        AtomicFiles.write(png, bytes.toByteArray());
    }
}
