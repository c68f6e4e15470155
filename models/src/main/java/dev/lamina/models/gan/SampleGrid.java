package dev.lamina.models.gan;

import ai.djl.ndarray.types.Shape;
import dev.lamina.data.Tensor;
import dev.lamina.io.AtomicFiles;
import dev.lamina.train.Callback;
import dev.lamina.train.FitContext;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Draws generated images as one PNG: a square-ish grid of (channels, height, width) samples with
 * one or three channels, values mapped linearly from the data's range {@code [lo, hi]} to black
 * and white (clipped), small images enlarged so that a person can see them. Written atomically.
 */
public final class SampleGrid {
    private SampleGrid() {}

    /** True when samples of shape {@code s} can be drawn: (1 or 3, height, width). */
    public static boolean drawable(Shape s) {
        return s.dimension() == 3 && (s.get(0) == 1 || s.get(0) == 3);
    }

    /** Writes {@code samples} to {@code png} as a grid. */
    public static void write(Tensor samples, double lo, double hi, Path png) throws IOException {
        Shape s = samples.sampleShape();
        if (!drawable(s)) {
            throw new IllegalArgumentException("samples of shape " + s + " are not images: a grid"
                    + " needs (1 or 3 channels, height, width)");
        }
        int c = (int) s.get(0);
        int h = (int) s.get(1);
        int w = (int) s.get(2);
        int n = samples.size();
        int cols = (int) Math.ceil(Math.sqrt(n));
        int rows = (n + cols - 1) / cols;
        int zoom = Math.max(1, 64 / Math.max(h, w)); // 28x28 drawn at 56x56
        int gap = 2;
        int cw = w * zoom + gap;
        int ch = h * zoom + gap;
        BufferedImage img = new BufferedImage(cols * cw + gap, rows * ch + gap,
                BufferedImage.TYPE_INT_RGB);
        int background = 0x404040;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                img.setRGB(x, y, background);
            }
        }
        float[] v = samples.data();
        int per = c * h * w;
        for (int i = 0; i < n; i++) {
            int ox = gap + (i % cols) * cw;
            int oy = gap + (i / cols) * ch;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int rgb = 0;
                    for (int k = 0; k < 3; k++) {
                        int chan = c == 1 ? 0 : k;
                        double t = (v[i * per + chan * h * w + y * w + x] - lo) / (hi - lo);
                        int g = (int) Math.round(255 * Math.min(1, Math.max(0, t)));
                        rgb = (rgb << 8) | g;
                    }
                    for (int dy = 0; dy < zoom; dy++) {
                        for (int dx = 0; dx < zoom; dx++) {
                            img.setRGB(ox + x * zoom + dx, oy + y * zoom + dy, rgb);
                        }
                    }
                }
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bytes);
        AtomicFiles.write(png, bytes.toByteArray());
    }

    /**
     * A callback that draws the generator's samples for one fixed batch of {@code noise} after
     * every epoch: {@code dir/samples/epoch-NNN.png}, and the latest also as {@code
     * dir/samples.png}.
     */
    public static Callback everyEpoch(Gan gan, Tensor noise, Path dir) {
        return new Callback() {
            @Override
            public void onEpochEnd(int epoch, Map<String, Double> logs, FitContext run) {
                try {
                    Tensor samples = gan.generate(noise);
                    java.nio.file.Files.createDirectories(dir.resolve("samples"));
                    write(samples, gan.dataRange()[0], gan.dataRange()[1], dir.resolve("samples")
                            .resolve(String.format(Locale.ROOT, "epoch-%03d.png", epoch + 1)));
                    write(samples, gan.dataRange()[0], gan.dataRange()[1],
                            dir.resolve("samples.png"));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write the samples of epoch "
                            + (epoch + 1) + " to " + dir, e);
                }
            }
        };
    }
}
