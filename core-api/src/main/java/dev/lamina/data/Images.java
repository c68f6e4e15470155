package dev.lamina.data;

import ai.djl.ndarray.types.Shape;
import dev.lamina.spec.ConfigException;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Image files as data, read through {@code javax.imageio} (PNG, JPEG, BMP, GIF): the sources
 * {@code image:PATH} (one image, for predict) and {@code images:DIR} (one folder per class, as
 * Keras's {@code image_dataset_from_directory}).
 *
 * <p>An image becomes a channels-first float tensor (channels, height, width) with values in
 * [0, 1] (each 8-bit sample divided by 255; 16-bit ones by 65535), like Lamina's other image
 * sources; a model that wants Keras's [0, 255] or a mean and deviation rescales in its first
 * layers. Three channels are red, green, blue (alpha is dropped); one channel is a grey image's
 * own samples, or a colour image's luma {@code 0.2989 R + 0.5870 G + 0.1140 B} (as {@code
 * tf.image.rgb_to_grayscale}); a grey image asked for three channels repeats its one.
 *
 * <p>An image of another size is resized bilinearly with half-pixel centres and no antialiasing,
 * as {@code tf.image.resize(..., "bilinear")} (Keras's default interpolation): output pixel
 * {@code (y, x)} samples the input at {@code ((y + 0.5) * inH / outH - 0.5, (x + 0.5) * inW /
 * outW - 0.5)}, clamped to the edge, from its four neighbours.
 */
public final class Images {
    /** The file name endings read as images (in any case), as Keras's. */
    public static final List<String> EXTENSIONS = List.of("png", "jpg", "jpeg", "bmp", "gif");

    private Images() {}

    /** True when {@code file}'s name ends with one of {@link #EXTENSIONS}. */
    public static boolean isImageName(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return dot >= 0 && EXTENSIONS.contains(n.substring(dot + 1));
    }

    /**
     * Reads {@code file} as a (channels, height, width) tensor in [0, 1]; {@code height} and
     * {@code width} 0 keep the image's own size.
     */
    public static float[] read(Path file, int channels, int height, int width) throws IOException {
        return decode(file, channels, height, width).chw();
    }

    /** A decoded image: (channels, height, width) values in [0, 1]. */
    record Decoded(float[] chw, int height, int width) {}

    static Decoded decode(Path file, int channels, int height, int width) throws IOException {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + " is not an image that can be read (PNG, JPEG, BMP or"
                    + " GIF): " + e.getMessage(), e);
        }
        if (img == null) {
            throw new IOException(file + " is not an image: no PNG, JPEG, BMP or GIF reader"
                    + " recognises it");
        }
        int h = img.getHeight();
        int w = img.getWidth();
        float[] chw = pixels(img, channels);
        if (height == 0 || (height == h && width == w)) {
            return new Decoded(chw, h, w);
        }
        return new Decoded(resize(chw, channels, h, w, height, width), height, width);
    }

    private static float[] pixels(BufferedImage img, int channels) {
        int h = img.getHeight();
        int w = img.getWidth();
        int plane = h * w;
        float[] out = new float[channels * plane];
        Raster raster = img.getRaster();
        boolean grey = img.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && raster.getNumBands() <= 2;
        if (grey) {
            // the samples themselves: getRGB would treat them as linear grey and brighten them
            float max = (1 << img.getColorModel().getComponentSize(0)) - 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = raster.getSample(x, y, 0) / max;
                    for (int c = 0; c < channels; c++) {
                        out[c * plane + y * w + x] = v;
                    }
                }
            }
            return out;
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = img.getRGB(x, y);
                float r = ((argb >> 16) & 0xff) / 255f;
                float g = ((argb >> 8) & 0xff) / 255f;
                float b = (argb & 0xff) / 255f;
                int i = y * w + x;
                if (channels == 1) {
                    out[i] = 0.2989f * r + 0.5870f * g + 0.1140f * b;
                } else {
                    out[i] = r;
                    out[plane + i] = g;
                    out[2 * plane + i] = b;
                }
            }
        }
        return out;
    }

    /**
     * Resizes a (channels, inH, inW) tensor to (channels, outH, outW), bilinearly with half-pixel
     * centres and no antialiasing ({@code tf.image.resize}'s bilinear).
     */
    public static float[] resize(float[] chw, int channels, int inH, int inW, int outH, int outW) {
        float[] out = new float[channels * outH * outW];
        int[] y0 = new int[outH];
        int[] y1 = new int[outH];
        float[] fy = new float[outH];
        axis(inH, outH, y0, y1, fy);
        int[] x0 = new int[outW];
        int[] x1 = new int[outW];
        float[] fx = new float[outW];
        axis(inW, outW, x0, x1, fx);
        for (int c = 0; c < channels; c++) {
            int in = c * inH * inW;
            int o = c * outH * outW;
            for (int y = 0; y < outH; y++) {
                int r0 = in + y0[y] * inW;
                int r1 = in + y1[y] * inW;
                for (int x = 0; x < outW; x++) {
                    float top = chw[r0 + x0[x]] + (chw[r0 + x1[x]] - chw[r0 + x0[x]]) * fx[x];
                    float bottom = chw[r1 + x0[x]] + (chw[r1 + x1[x]] - chw[r1 + x0[x]]) * fx[x];
                    out[o + y * outW + x] = top + (bottom - top) * fy[y];
                }
            }
        }
        return out;
    }

    /** For each output index along one axis: the two input indices and the second's weight. */
    private static void axis(int in, int out, int[] lo, int[] hi, float[] frac) {
        double scale = (double) in / out;
        for (int i = 0; i < out; i++) {
            double src = Math.max(0, (i + 0.5) * scale - 0.5);
            int l = Math.min((int) Math.floor(src), in - 1);
            lo[i] = l;
            hi[i] = Math.min(l + 1, in - 1);
            frac[i] = (float) (src - l);
        }
    }

    /** How to read images: channels (1 or 3) and size (0, 0: the images' own). */
    record Options(int channels, int height, int width) {}

    /** {@code image:PATH}: one unlabelled sample. */
    static Dataset image(String source, Path file, Options o) {
        if (!Files.exists(file)) {
            throw error("the data source '" + source + "' names " + file + ", which does not"
                    + " exist");
        }
        if (!Files.isRegularFile(file)) {
            throw error("the data source '" + source + "' names " + file + ", which is not a file"
                    + (Files.isDirectory(file) ? " (for a folder of class folders, write images:"
                            + file + ")" : ""));
        }
        try {
            Decoded d = decode(file, o.channels(), o.height(), o.width());
            return Dataset.unlabelled(source,
                    new Tensor(d.chw(), new Shape(o.channels(), d.height(), d.width())));
        } catch (IOException e) {
            throw error("the data source '" + source + "': " + e.getMessage());
        }
    }

    /**
     * {@code images:DIR}: DIR's subfolders are the classes, sorted by name (class 0 first), as
     * Keras's {@code image_dataset_from_directory}; every image file in a class folder (its
     * subfolders too, in name order) is a sample labelled with the class's index, and other files
     * are passed over.
     */
    static Dataset directory(String source, Path dir, Options o) {
        if (!Files.exists(dir)) {
            throw error("the data source '" + source + "' names " + dir + ", which does not"
                    + " exist");
        }
        if (!Files.isDirectory(dir)) {
            throw error("the data source '" + source + "' names " + dir + ", which is not a folder"
                    + " (for one image, write image:" + dir + ")");
        }
        List<Path> classes;
        try (Stream<Path> s = Files.list(dir)) {
            classes = s.filter(Files::isDirectory)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted((a, b) -> a.getFileName().toString()
                            .compareTo(b.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw error("the data source '" + source + "': cannot list " + dir + ": " + e);
        }
        if (classes.isEmpty()) {
            throw error("the data source '" + source + "': " + dir + " has no class folders;"
                    + " images:DIR expects one folder per class, DIR/<class>/*.png|jpg");
        }
        List<String> names = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            Path cls = classes.get(c);
            List<Path> imgs;
            try (Stream<Path> s = Files.walk(cls)) {
                imgs = s.filter(Files::isRegularFile).filter(Images::isImageName).sorted().toList();
            } catch (IOException e) {
                throw error("the data source '" + source + "': cannot list " + cls + ": " + e);
            }
            if (imgs.isEmpty()) {
                throw error("the data source '" + source + "': the class folder " + cls
                        + " holds no images (files ending " + String.join(", ", EXTENSIONS.stream()
                                .map(e -> "." + e).toList()) + "): add some, or remove the folder");
            }
            names.add(cls.getFileName().toString());
            for (Path f : imgs) {
                files.add(f);
                labels.add(c);
            }
        }
        try {
            Decoded first = decode(files.get(0), o.channels(), o.height(), o.width());
            int h = first.height();
            int w = first.width();
            int per = o.channels() * h * w;
            float[] x = new float[files.size() * per];
            float[] y = new float[files.size()];
            for (int i = 0; i < files.size(); i++) {
                Path f = files.get(i);
                Decoded one = i == 0 ? first : decode(f, o.channels(), o.height(), o.width());
                if (one.height() != h || one.width() != w) {
                    throw error("the data source '" + source + "': the images differ in size ("
                            + files.get(0) + " is " + h + "x" + w + ", " + f + " is "
                            + one.height() + "x" + one.width() + "): add ?size=H,W to resize"
                            + " them all");
                }
                System.arraycopy(one.chw(), 0, x, i * per, per);
                y[i] = labels.get(i);
            }
            return new Dataset(source, new Tensor(x, new Shape(o.channels(), h, w)),
                    Tensor.scalars(y)).withClassNames(names);
        } catch (IOException e) {
            throw error("the data source '" + source + "': " + e.getMessage());
        }
    }

    private static ConfigException error(String detail) {
        return new ConfigException("", "", detail);
    }
}
