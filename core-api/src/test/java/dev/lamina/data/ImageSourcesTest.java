package dev.lamina.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import dev.lamina.spec.ConfigException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image:PATH and images:DIR sources, on tiny PNGs written here with ImageIO. */
class ImageSourcesTest {
    @TempDir Path dir;

    /** A w×h RGB image of one colour. */
    static Path png(Path file, int w, int h, int rgb) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        Files.createDirectories(file.getParent());
        String n = file.toString();
        String format = n.endsWith(".bmp") ? "bmp" : n.endsWith(".jpg") ? "jpeg" : "png";
        assertTrue(ImageIO.write(img, format, file.toFile()), () -> "no " + format + " writer among "
                + java.util.Arrays.toString(ImageIO.getWriterFormatNames()));
        return file;
    }

    @Test
    void aFolderOfClassFoldersGivesLabelsInNameOrderAndKeepsTheClassNames() throws IOException {
        png(dir.resolve("b_dog/1.png"), 3, 2, 0x0000ff);
        png(dir.resolve("a_cat/2.png"), 3, 2, 0xff0000);
        png(dir.resolve("a_cat/1.PNG"), 3, 2, 0x00ff00);
        Files.writeString(dir.resolve("a_cat/notes.txt"), "not an image, and passed over");
        Dataset d = DataSources.load("images:" + dir);
        assertEquals(List.of("a_cat", "b_dog"), d.classNames());
        assertEquals(3, d.size());
        assertEquals(new Shape(3, 2, 3), d.inputs().get(0).sampleShape());
        assertArrayEquals(new float[] {0, 0, 1}, d.labels().get(0).data());
        // a_cat/1.PNG (green) first: channels first, values in [0, 1]
        float[] green = d.inputs().get(0).sample(0);
        for (int i = 0; i < 6; i++) {
            assertEquals(0f, green[i]);
            assertEquals(1f, green[6 + i]);
            assertEquals(0f, green[12 + i]);
        }
        assertEquals(1f, d.inputs().get(0).sample(1)[0], "a_cat/2.png is red");
        assertEquals(1f, d.inputs().get(0).sample(2)[12], "b_dog/1.png is blue");
        // slices and validation splits keep the names
        assertEquals(d.classNames(), d.splitValidation(0.34)[1].classNames());
        assertEquals(d.classNames(), d.limit(1).classNames());
    }

    @Test
    void resizingIsBilinearWithHalfPixelCentresAsTfImageResize() {
        // one row [0, 1] made 4 wide samples the input at -0.25, 0.25, 0.75, 1.25 (clamped)
        float[] out = Images.resize(new float[] {0, 1}, 1, 1, 2, 1, 4);
        assertArrayEquals(new float[] {0, 0.25f, 0.75f, 1}, out, 1e-6f);
        // 4 to 2: each output sits between two inputs, at 0.5 and 2.5
        assertArrayEquals(new float[] {5, 25}, Images.resize(new float[] {0, 10, 20, 30}, 1, 1, 4,
                1, 2), 1e-5f);
    }

    @Test
    void sizeAndChannelsComeFromTheSourceElseFromTheModelInput() throws IOException {
        Path f = png(dir.resolve("x.png"), 5, 4, 0x336699);
        Dataset own = DataSources.load("image:" + f);
        assertEquals(new Shape(3, 4, 5), own.inputs().get(0).sampleShape());
        assertEquals(0, own.labels().size());
        Dataset fitted = DataSources.load("image:" + f, null, new Shape(1, 8, 8));
        assertEquals(new Shape(1, 8, 8), fitted.inputs().get(0).sampleShape());
        // a colour image made grey is its luma, as tf.image.rgb_to_grayscale
        float luma = 0.2989f * 0x33 / 255f + 0.5870f * 0x66 / 255f + 0.1140f * 0x99 / 255f;
        assertEquals(luma, fitted.inputs().get(0).data()[0], 1e-6f);
        Dataset told = DataSources.load("image:" + f + "?size=2,3&channels=3", null,
                new Shape(1, 8, 8));
        assertEquals(new Shape(3, 2, 3), told.inputs().get(0).sampleShape());
        assertEquals(0x99 / 255f, told.inputs().get(0).data()[2 * 6], 1e-6f);
    }

    @Test
    void aGreyImageKeepsItsOwnSamples() throws IOException {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSample(0, 0, 0, 128);
        img.getRaster().setSample(1, 0, 0, 7);
        Path f = dir.resolve("grey.png");
        ImageIO.write(img, "png", f.toFile());
        Dataset g = DataSources.load("image:" + f + "?channels=1");
        assertArrayEquals(new float[] {128 / 255f, 7 / 255f}, g.inputs().get(0).data());
        Dataset rgb = DataSources.load("image:" + f);
        assertArrayEquals(new float[] {128 / 255f, 7 / 255f, 128 / 255f, 7 / 255f, 128 / 255f,
            7 / 255f}, rgb.inputs().get(0).data());
    }

    @Test
    void aJpegIsReadToo() throws IOException {
        Path f = png(dir.resolve("white.jpg"), 8, 8, 0xffffff);
        float[] x = DataSources.load("image:" + f).inputs().get(0).data();
        for (float v : x) {
            assertEquals(1f, v, 2 / 255f, "white, give or take JPEG's rounding");
        }
    }

    @Test
    void imagesOfDifferentSizesNeedASize() throws IOException {
        png(dir.resolve("a/1.png"), 4, 4, 0);
        png(dir.resolve("a/2.bmp"), 6, 2, 0xffffff);
        String m = assertThrows(ConfigException.class,
                () -> DataSources.load("images:" + dir)).getMessage();
        assertTrue(m.contains("differ in size") && m.contains("?size=H,W"), m);
        Dataset d = DataSources.load("images:" + dir + "?size=3,3");
        assertEquals(new Shape(3, 3, 3), d.inputs().get(0).sampleShape());
        assertEquals(1f, d.inputs().get(0).sample(1)[0], "white stays white when resized");
    }

    @Test
    void errorsNameThePathAndTheFix() throws IOException {
        String missing = message("image:" + dir.resolve("cat.png"));
        assertTrue(missing.contains("cat.png") && missing.contains("does not exist"), missing);
        Path fake = dir.resolve("fake.png");
        Files.writeString(fake, "hello");
        String fakeMsg = message("image:" + fake);
        assertTrue(fakeMsg.contains(fake.toString()) && fakeMsg.contains("is not an image"),
                fakeMsg);
        Path empty = Files.createDirectories(dir.resolve("empty"));
        String emptyMsg = message("images:" + empty);
        assertTrue(emptyMsg.contains("no class folders") && emptyMsg.contains("DIR/<class>/"),
                emptyMsg);
        Files.createDirectories(empty.resolve("cats"));
        Files.writeString(empty.resolve("cats/readme.txt"), "no pictures");
        String noImages = message("images:" + empty);
        assertTrue(noImages.contains(empty.resolve("cats").toString())
                && noImages.contains("holds no images"), noImages);
        assertTrue(message("image:" + dir).contains("for a folder of class folders, write images:"));
        String option = message("images:" + dir + "?sise=3,3");
        assertTrue(option.contains("'sise'") && option.contains("Did you mean 'size'"), option);
        assertTrue(message("image:" + fake + "?size=3").contains("write size=HEIGHT,WIDTH"));
        assertTrue(message("image:" + fake + "?channels=4").contains("channels=1 (grey)"));
        assertTrue(message("imag:" + fake).contains("Did you mean 'image'"));
    }

    private static String message(String source) {
        return assertThrows(ConfigException.class, () -> DataSources.load(source)).getMessage();
    }
}
