package dev.lamina.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.ConfigException;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.LayerTypes;
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.Yaml;
import dev.lamina.testing.LayerRun;
import dev.lamina.testing.TestEngines;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The augmentation layers against hand computations, on both engines: each transform in training
 * for fixed draws, the identity (or random_crop's centre resize) in inference, the draws from the
 * Java generator (the same on both engines), and their errors.
 */
class AugmentationTest {
    /** A 3×3 image 1..9 (row by row). */
    static final float[] NINE = {1, 2, 3, 4, 5, 6, 7, 8, 9};

    static LayerSpec parse(String yaml) {
        return LayerTypes.catalog().parse(Yaml.read(yaml, "layer.yaml"));
    }

    static AugmentBlock aug(LayerRun r) {
        return (AugmentBlock) r.block();
    }

    static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] out = new float[n];
        int i = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, i, p.length);
            i += p.length;
        }
        return out;
    }

    // ---- random_flip ----

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void flipFlipsTheImagesWhoseDrawIsAtMostOneHalf(String engine) {
        float[] two = concat(NINE, NINE);
        // draws 0.5 (flip: Keras flips when u <= 0.5) and 0.7 (keep)
        try (LayerRun r =
                LayerRun.of(engine, new RandomFlip("horizontal"), new Shape(1, 3, 3), 2)) {
            aug(r).fixUniforms(0.5, 0.7);
            assertArrayEquals(concat(new float[] {3, 2, 1, 6, 5, 4, 9, 8, 7}, NINE),
                    r.forward(true, two), 0f);
            assertArrayEquals(two, r.forward(false, two), 0f);
        }
        try (LayerRun r = LayerRun.of(engine, new RandomFlip("vertical"), new Shape(1, 3, 3), 2)) {
            aug(r).fixUniforms(0.2, 0.9);
            assertArrayEquals(concat(new float[] {7, 8, 9, 4, 5, 6, 1, 2, 3}, NINE),
                    r.forward(true, two), 0f);
        }
        // Keras's default: both axes on one draw (a half turn), or neither
        try (LayerRun r = LayerRun.of(engine, new RandomFlip(), new Shape(1, 3, 3), 2)) {
            aug(r).fixUniforms(0.9, 0.1);
            assertArrayEquals(concat(NINE, new float[] {9, 8, 7, 6, 5, 4, 3, 2, 1}),
                    r.forward(true, two), 0f);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void flipFlipsEveryChannelOfAnImageAlike(String engine) {
        try (LayerRun r =
                LayerRun.of(engine, new RandomFlip("horizontal"), new Shape(2, 1, 3), 1)) {
            aug(r).fixUniforms(0.0);
            assertArrayEquals(new float[] {3, 2, 1, 30, 20, 10},
                    r.forward(true, 1, 2, 3, 10, 20, 30), 0f);
        }
    }

    // ---- random_rotation ----

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void rotationByAQuarterTurnIsCounterClockwise(String engine) {
        // factor [0.25, 0.25]: θ = 90°, cx = cy = 1; output (y, x) reads
        // x' = cx − (y − cy) = 2 − y, y' = (x − cx) + cy = x: out[y][x] = in[x][2 − y]
        LayerSpec spec = parse("random_rotation: {factor: [0.25, 0.25]}");
        try (LayerRun r = LayerRun.of(engine, spec, new Shape(1, 3, 3), 1)) {
            assertArrayEquals(new float[] {3, 6, 9, 2, 5, 8, 1, 4, 7}, r.forward(true, NINE),
                    1e-5f);
            assertArrayEquals(NINE, r.forward(false, NINE), 0f);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void rotationDrawsAnAnglePerImageAndFillsTheCorners(String engine) {
        // factor 0.5: θ = uniform(−180°, 180°); u = 0 gives −180°, u = 0.75 gives 90°.
        // A half turn of the 2×2 image [1 2; 3 4] about (0.5, 0.5) is [4 3; 2 1].
        // On 2×2 a quarter turn (x' = 1 − y, y' = x) is [2 4; 1 3].
        try (LayerRun r = LayerRun.of(engine, new RandomRotation(0.5), new Shape(1, 2, 2), 2)) {
            aug(r).fixUniforms(0.0, 0.75);
            assertArrayEquals(new float[] {4, 3, 2, 1, 2, 4, 1, 3},
                    r.forward(true, 1, 2, 3, 4, 1, 2, 3, 4), 1e-5f);
        }
        // 45° on 3×3, cx = cy = 1, c = s = √½, nearest (round half to even), constant fill 0:
        // x' = c·(x − 1) − s·(y − 1) + 1, y' = s·(x − 1) + c·(y − 1) + 1.
        // (0, 0): x' = 1, y' = 1 − √2 = −0.41 → row 0: in[0][1] = 2;
        // (0, 1): x' = 1.71 → 2, y' = 0.29 → 0: in[0][2] = 3;
        // (0, 2): x' = 2.41 → 2, y' = 1: in[1][2] = 6; the centre stays: 5
        LayerSpec spec = parse("random_rotation: {factor: [0.125, 0.125], fill_mode: constant,"
                + " interpolation: nearest}");
        try (LayerRun r = LayerRun.of(engine, spec, new Shape(1, 3, 3), 1)) {
            float[] y = r.forward(true, NINE);
            assertEquals(2, y[0], 0f);
            assertEquals(3, y[1], 0f);
            assertEquals(6, y[2], 0f);
            assertEquals(5, y[4], 0f);
        }
    }

    // ---- random_translation ----

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void translationShiftsWithEachFillMode(String engine) {
        // one row [1 2 3 4] shifted right by dx = 0.5 · 4 = 2: output x reads x − 2
        float[] row = {1, 2, 3, 4};
        Map<String, float[]> expected = Map.of(
                "reflect", new float[] {2, 1, 1, 2},   // ... b a | a b c d
                "wrap", new float[] {3, 4, 1, 2},      // ... c d | a b c d
                "nearest", new float[] {1, 1, 1, 2},   // ... a a | a b c d
                "constant", new float[] {9, 9, 1, 2}); // fill_value 9
        for (var e : expected.entrySet()) {
            LayerSpec spec = parse("random_translation: {height_factor: 0,"
                    + " width_factor: [0.5, 0.5], fill_mode: " + e.getKey() + ", fill_value: 9}");
            try (LayerRun r = LayerRun.of(engine, spec, new Shape(1, 1, 4), 1)) {
                assertArrayEquals(e.getValue(), r.forward(true, row), 1e-6f, e.getKey());
                assertArrayEquals(row, r.forward(false, row), 0f);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void translationInterpolatesFractionalShifts(String engine) {
        // dx = 0.125 · 4 = 0.5: output x reads x − 0.5, half of each neighbour;
        // reflect: x = 0 reads −0.5, half in[−1] = in[0] and half in[0]
        float[] row = {1, 2, 3, 5};
        LayerSpec reflect = parse("random_translation:"
                + " {height_factor: 0, width_factor: [0.125, 0.125]}");
        try (LayerRun r = LayerRun.of(engine, reflect, new Shape(1, 1, 4), 1)) {
            assertArrayEquals(new float[] {1, 1.5f, 2.5f, 4}, r.forward(true, row), 1e-6f);
        }
        // constant 10: x = 0 is half fill, half in[0]
        LayerSpec constant = parse("random_translation: {height_factor: 0,"
                + " width_factor: [0.125, 0.125], fill_mode: constant, fill_value: 10}");
        try (LayerRun r = LayerRun.of(engine, constant, new Shape(1, 1, 4), 1)) {
            assertArrayEquals(new float[] {5.5f, 1.5f, 2.5f, 4}, r.forward(true, row), 1e-6f);
        }
        // nearest interpolation rounds x − 0.5 half to even: 0 → −0.5 → −0 → 0; 1 → 0.5 → 0;
        // 2 → 1.5 → 2; 3 → 2.5 → 2
        LayerSpec nearest = parse("random_translation: {height_factor: 0,"
                + " width_factor: [0.125, 0.125], interpolation: nearest}");
        try (LayerRun r = LayerRun.of(engine, nearest, new Shape(1, 1, 4), 1)) {
            assertArrayEquals(new float[] {1, 1, 3, 3}, r.forward(true, row), 0f);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void translationDrawsHeightThenWidthPerImage(String engine) {
        // factors 1/3 on a 3×3 image: dy = uniform(−1/3, 1/3) · 3 ∈ [−1, 1]; u = 1 → +1,
        // u = 0 → −1, u = 0.5 → 0. Image 0: dy = +1 (down one row), dx = 0; image 1: dy = 0,
        // dx = −1 (left).
        // reflect: image 0 row 0 reads row −1 = row 0; image 1 column 2 reads column 3 = column 2
        try (LayerRun r = LayerRun.of(engine, new RandomTranslation(1 / 3.0, 1 / 3.0),
                new Shape(1, 3, 3), 2)) {
            aug(r).fixUniforms(1, 0.5, 0.5, 0);
            assertArrayEquals(concat(new float[] {1, 2, 3, 1, 2, 3, 4, 5, 6},
                    new float[] {2, 3, 3, 5, 6, 6, 8, 9, 9}),
                    r.forward(true, concat(NINE, NINE)), 1e-5f);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void translationPassesTheGradientBackToTheInput(String engine) {
        // y = [x0, (x0 + x1)/2, (x1 + x2)/2, (x2 + x3)/2] (dx = 0.5, reflect): d(sum y)/dx =
        // [1.5, 1, 1, 0.5]
        LayerSpec spec = parse("random_translation:"
                + " {height_factor: 0, width_factor: [0.125, 0.125]}");
        try (NDManager m = TestEngines.manager(engine)) {
            Block b = spec.toBlock(BuildContext.seeded(1), new Shape(1, 1, 4));
            b.initialize(m, DataType.FLOAT32, new Shape(1, 1, 1, 4));
            NDArray x = m.create(new float[] {1, 2, 3, 5}, new Shape(1, 1, 1, 4));
            x.setRequiresGradient(true);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray y = b.forward(new ParameterStore(m, false), new NDList(x), true)
                        .singletonOrThrow();
                gc.backward(y.sum());
            }
            assertArrayEquals(new float[] {1.5f, 1, 1, 0.5f}, x.getGradient().toFloatArray(),
                    1e-6f);
        }
    }

    // ---- random_zoom ----

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void zoomScalesAboutTheCentre(String engine) {
        // height_factor −0.5: z = 0.5 (zoom in); output (y, x) reads (0.5·(y − 1) + 1,
        // 0.5·(x − 1) + 1). The image is in(y, x) = 3y + x + 1, linear, so bilinear sampling gives
        // 3·(0.5y + 0.5) + (0.5x + 0.5) + 1 = 1.5y + 0.5x + 3
        LayerSpec spec = parse("random_zoom: {height_factor: [-0.5, -0.5]}");
        try (LayerRun r = LayerRun.of(engine, spec, new Shape(1, 3, 3), 1)) {
            assertArrayEquals(new float[] {3, 3.5f, 4, 4.5f, 5, 5.5f, 6, 6.5f, 7},
                    r.forward(true, NINE), 1e-5f);
            assertArrayEquals(NINE, r.forward(false, NINE), 0f);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void zoomOutWithAPositiveFactorAndASeparateWidth(String engine) {
        // height_factor [1, 1]: zy = 2 (zoom out), rows read 2·(y − 1) + 1 = −1, 1, 3 → with
        // constant fill 0 rows 0 and 2 are blank; width_factor [0, 0]: zx = 1 (columns unchanged)
        LayerSpec spec = parse("random_zoom: {height_factor: [1, 1], width_factor: [0, 0],"
                + " fill_mode: constant}");
        try (LayerRun r = LayerRun.of(engine, spec, new Shape(1, 3, 3), 1)) {
            assertArrayEquals(new float[] {0, 0, 0, 4, 5, 6, 0, 0, 0}, r.forward(true, NINE),
                    1e-6f);
        }
        // one factor draws one zoom for both axes: u = 0.25 of [1 − 0.8, 1 + 0.8] is z = 0.6;
        // the centre pixel stays, x' = 0.6·(x − 1) + 1: 0.4, 1, 1.6
        try (LayerRun r = LayerRun.of(engine, new RandomZoom(0.8), new Shape(1, 3, 3), 1)) {
            aug(r).fixUniforms(0.25);
            float[] y = r.forward(true, NINE);
            // in = 3y + x + 1 is linear:
            // out = 3·(0.6y + 0.4) + (0.6x + 0.4) + 1 = 1.8y + 0.6x + 2.6
            assertArrayEquals(new float[] {2.6f, 3.2f, 3.8f, 4.4f, 5, 5.6f, 6.2f, 6.8f, 7.4f}, y,
                    1e-5f);
        }
    }

    // ---- random_crop ----

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void cropCutsARandomWindowInTrainingAndResizesTheCentreInInference(String engine) {
        float[] img = new float[16]; // in(y, x) = 4y + x + 1
        for (int i = 0; i < 16; i++) {
            img[i] = i + 1;
        }
        try (LayerRun r = LayerRun.of(engine, new RandomCrop(2, 2), new Shape(1, 4, 4), 2)) {
            assertEquals(List.of(new Shape(2, 1, 2, 2)), r.outputShapes());
            // top = ⌊0.5 · 3⌋ = 1, left = ⌊0.9 · 3⌋ = 2: rows 1–2, columns 2–3; one window for the
            // whole batch (the second image is the first plus 100)
            aug(r).fixUniforms(0.5, 0.9);
            float[] plus = new float[16];
            for (int i = 0; i < 16; i++) {
                plus[i] = img[i] + 100;
            }
            assertArrayEquals(new float[] {7, 8, 11, 12, 107, 108, 111, 112},
                    r.forward(true, concat(img, plus)), 0f);
            // inference: the whole 4×4 (already the target's aspect ratio) resized to 2×2; output
            // (y, x) reads (2y + 0.5, 2x + 0.5), so 4·(2y + 0.5) + (2x + 0.5) + 1 = 8y + 2x + 3.5
            assertArrayEquals(new float[] {3.5f, 5.5f, 11.5f, 13.5f, 103.5f, 105.5f, 111.5f,
                113.5f}, r.forward(false, concat(img, plus)), 1e-5f);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void cropOfAWideImageTakesTheCentredSquareInInference(String engine) {
        // 2×4 to 2×2: crop height min(2, ⌊4·2/2⌋) = 2, width min(4, ⌊2·2/2⌋) = 2, left ⌊(4 − 2)/2⌋
        // = 1: columns 1–2 at their own size
        try (LayerRun r = LayerRun.of(engine, new RandomCrop(2, 2), new Shape(1, 2, 4), 1)) {
            assertArrayEquals(new float[] {2, 3, 6, 7}, r.forward(false, 1, 2, 3, 4, 5, 6, 7, 8),
                    1e-6f);
            // the width is larger but the height is not: training takes the same centre window
            aug(r).fixUniforms(0.99);
            assertArrayEquals(new float[] {2, 3, 6, 7}, r.forward(true, 1, 2, 3, 4, 5, 6, 7, 8),
                    1e-6f);
        }
    }

    // ---- random_contrast and random_brightness ----

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void contrastScalesEachChannelAboutItsMeanAndClips(String engine) {
        // factor [0.5, 0.5]: c = uniform(0.5, 1.5), u = 0.75 → 1.25. Channel 0 [0 1 2 3], mean 1.5:
        // (x − 1.5)·1.25 + 1.5 = −0.375, 0.875, 2.125, 3.375 → clip [0, 3]: 0, 0.875, 2.125, 3.
        // Channel 1 [1 1 1 3], mean 1.5: 0.875, 0.875, 0.875, 3 (3.375 clipped)
        LayerSpec spec = parse("random_contrast: {factor: [0.5, 0.5], value_range: [0, 3]}");
        try (LayerRun r = LayerRun.of(engine, spec, new Shape(2, 2, 2), 1)) {
            aug(r).fixUniforms(0.75);
            float[] x = {0, 1, 2, 3, 1, 1, 1, 3};
            assertArrayEquals(new float[] {0, 0.875f, 2.125f, 3, 0.875f, 0.875f, 0.875f, 3},
                    r.forward(true, x), 1e-6f);
            assertArrayEquals(x, r.forward(false, x), 0f);
        }
        // one number f: [1 − f, 1 + f] (Keras's documentation): f = 0.5, u = 0 gives c = 0.5
        try (LayerRun r = LayerRun.of(engine, new RandomContrast(0.5), new Shape(1, 1, 2), 1)) {
            aug(r).fixUniforms(0.0);
            assertArrayEquals(new float[] {1.5f, 2.5f}, r.forward(true, 1, 3), 1e-6f);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void brightnessAddsAShareOfTheRangePerImageAndClips(String engine) {
        // factor 0.5: δ = uniform(−0.5, 0.5) · (1 − 0); image 0 u = 0.75 → +0.25, image 1 u = 0
        // → −0.5
        LayerSpec spec = parse("random_brightness: {factor: 0.5, value_range: [0, 1]}");
        try (LayerRun r = LayerRun.of(engine, spec, new Shape(1, 1, 3), 2)) {
            aug(r).fixUniforms(0.75, 0.0);
            float[] x = {0, 0.5f, 0.8f, 0.2f, 0.6f, 1};
            assertArrayEquals(new float[] {0.25f, 0.75f, 1, 0, 0.1f, 0.5f}, r.forward(true, x),
                    1e-6f);
            assertArrayEquals(x, r.forward(false, x), 0f);
        }
        // Keras's default range [0, 255]: u = 1 of factor [0.1, 0.2] is δ = 0.2 · 255 = 51
        LayerSpec wide = parse("random_brightness: {factor: [0.2, 0.1]}");
        try (LayerRun r = LayerRun.of(engine, wide, new Shape(1, 1, 2), 1)) {
            aug(r).fixUniforms(1.0);
            assertArrayEquals(new float[] {61, 255}, r.forward(true, 10, 250), 1e-4f);
        }
    }

    // ---- gaussian_noise and gaussian_dropout ----

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void gaussianNoiseAddsStddevTimesTheDraws(String engine) {
        try (LayerRun r = LayerRun.of(engine, new GaussianNoise(0.1), new Shape(4), 1)) {
            aug(r).fixGaussians(1, -2, 0.5, 0);
            assertArrayEquals(new float[] {1.1f, 1.8f, 3.05f, 4}, r.forward(true, 1, 2, 3, 4),
                    1e-6f);
            assertArrayEquals(new float[] {1, 2, 3, 4}, r.forward(false, 1, 2, 3, 4), 0f);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void gaussianDropoutMultipliesByOnePlusSigmaTimesTheDraws(String engine) {
        // rate 0.2: σ = √(0.2 / 0.8) = 0.5; y = x · (1 + 0.5·n)
        try (LayerRun r = LayerRun.of(engine, new GaussianDropout(0.2), new Shape(4), 1)) {
            aug(r).fixGaussians(1, -2, 0.5, 0);
            assertArrayEquals(new float[] {1.5f, 0, 3.75f, 4}, r.forward(true, 1, 2, 3, 4), 1e-6f);
            assertArrayEquals(new float[] {1, 2, 3, 4}, r.forward(false, 1, 2, 3, 4), 0f);
        }
    }

    // ---- the draws ----

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void drawsComeFromTheJavaGeneratorSeededByTheBuild(String engine) {
        // LayerRun builds with BuildContext.seeded(1): the block's salt is the first long of that
        // generator, and a batch's draws come from the salt and the update's draw seed (here the
        // first of a stream no training loop has started)
        Random replay = new Random(AugmentBlock.seedFor(new Random(1).nextLong(),
                new dev.lamina.spec.StepSeeds().next()));
        float[] x = new float[6];
        float[] expected = new float[6];
        for (int i = 0; i < 6; i++) {
            x[i] = i;
            expected[i] = (float) (i + 0.3 * replay.nextGaussian());
        }
        try (LayerRun r = LayerRun.of(engine, new GaussianNoise(0.3), new Shape(6), 1)) {
            assertArrayEquals(expected, r.forward(true, x), 1e-6f);
            // the next batch draws on
            assertFalse(java.util.Arrays.equals(expected, r.forward(true, x)));
        }
    }

    @Test
    void theSameSeedDrawsTheSameTransformsOnBothEngines() {
        float[] img = new float[2 * 25];
        for (int i = 0; i < img.length; i++) {
            img[i] = (i * 7 % 11) / 10f;
        }
        for (LayerSpec spec : List.of(new RandomRotation(0.2), new RandomTranslation(0.2, 0.2),
                new RandomZoom(0.3), new RandomFlip(), new RandomCrop(3, 3),
                new RandomContrast(0.4).withValueRange(0, 1),
                new RandomBrightness(0.3).withValueRange(0, 1))) {
            float[][] out = new float[2][];
            int e = 0;
            for (String engine : List.of("PyTorch", "MXNet")) {
                try (LayerRun r = LayerRun.of(engine, spec, new Shape(1, 5, 5), 2)) {
                    r.forward(true, img); // a first batch, then compare the second
                    out[e++] = r.forward(true, img);
                }
            }
            assertArrayEquals(out[0], out[1], 1e-5f, spec.toString());
        }
    }

    /** A model with augmentation: flips, shifts and noise before a dense layer. */
    static dev.lamina.Sequential augmented(String engine) {
        dev.lamina.Sequential m = new dev.lamina.Sequential("aug").input(1, 4, 4);
        m.add(new RandomFlip()).add(new RandomTranslation(0.25, 0.25)).add(new GaussianNoise(0.1))
                .add(new Flatten()).add(new Dense(3));
        m.engine(engine).seed(7);
        m.compile(dev.lamina.optimizers.Optimizers.adam(0.01),
                dev.lamina.losses.Losses.softmaxCrossEntropy());
        return m;
    }

    static dev.lamina.data.Dataset images(int n) {
        Random r = new Random(5);
        float[] x = new float[n * 16];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int j = 0; j < 16; j++) {
                x[i * 16 + j] = (float) (r.nextDouble() + (j % 3 == i % 3 ? 1 : 0));
            }
        }
        return new dev.lamina.data.Dataset("images",
                new dev.lamina.data.Tensor(x, new Shape(1, 4, 4)),
                dev.lamina.data.Tensor.scalars(y));
    }

    @Test
    void aSeededModelAugmentsAlikeOnBothEnginesAndRepeats() {
        var fit = dev.lamina.train.FitOptions.defaults().epochs(3).batchSize(16);
        List<Double> torch;
        List<Double> again;
        List<Double> mxnet;
        try (dev.lamina.Sequential m = augmented("pytorch")) {
            torch = m.fit(images(96), fit).get("loss");
        }
        try (dev.lamina.Sequential m = augmented("pytorch")) {
            again = m.fit(images(96), fit).get("loss");
            // evaluating is the identity: twice the same loss
            assertEquals(m.evaluate(images(30)).get("loss"), m.evaluate(images(30)).get("loss"));
        }
        try (dev.lamina.Sequential m = augmented("mxnet")) {
            mxnet = m.fit(images(96), fit).get("loss");
        }
        assertEquals(torch, again);
        for (int i = 0; i < torch.size(); i++) {
            assertEquals(torch.get(i), mxnet.get(i), 1e-4, "epoch " + (i + 1) + ": " + torch
                    + " on PyTorch, " + mxnet + " on MXNet");
        }
    }

    // ---- errors ----

    @Test
    void settingsOutOfRangeAreRefusedNamingTheValue() {
        assertEquals("random_rotation.factor: expected a number or a list of two numbers in"
                + " [-1, 1], received factor=1.5",
                assertThrows(SpecException.class, () -> new RandomRotation(1.5)).getMessage());
        assertEquals("random_zoom.height_factor: expected a number or a list of two numbers in"
                + " (-1, 1], received height_factor=[-1.0, 0.5]",
                assertThrows(ConfigException.class,
                        () -> parse("random_zoom: {height_factor: [-1, 0.5]}")).getMessage()
                        .replaceFirst("^.*?height_factor: ", "random_zoom.height_factor: "));
        assertEquals("random_contrast.factor: expected a number or a list of two numbers in"
                + " [0, 1], received factor=-0.2",
                assertThrows(SpecException.class, () -> new RandomContrast(-0.2)).getMessage());
        assertEquals("random_crop.height: expected a positive integer, received height=0",
                assertThrows(SpecException.class, () -> new RandomCrop(0, 3)).getMessage());
        assertEquals("gaussian_noise.stddev: expected a number in [0, 1], received stddev=1.5",
                assertThrows(SpecException.class, () -> new GaussianNoise(1.5)).getMessage());
        assertEquals("gaussian_dropout.rate: expected a fraction in [0, 1), received rate=1.0",
                assertThrows(SpecException.class, () -> new GaussianDropout(1)).getMessage());
        assertEquals("random_brightness.value_range: expected two finite numbers [low, high] with"
                + " low < high, received value_range=[1, 1]",
                assertThrows(SpecException.class,
                        () -> new RandomBrightness(0.1).withValueRange(1, 1)).getMessage());
        assertEquals("random_flip.mode: expected one of horizontal_and_vertical, horizontal,"
                + " vertical, received mode='horizontl'. Did you mean 'horizontal'?",
                assertThrows(SpecException.class, () -> new RandomFlip("horizontl")).getMessage());
    }

    @Test
    void yamlErrorsNameTheFieldAndTheFix() {
        String msg = assertThrows(ConfigException.class,
                () -> parse("random_rotation: {factor: 0.1, fill_mode: reflct}")).getMessage();
        assertEquals(true, msg.endsWith("expected one of reflect, wrap, constant, nearest,"
                + " received fill_mode='reflct'. Did you mean 'reflect'?"), msg);
        msg = assertThrows(ConfigException.class,
                () -> parse("random_translation: {height_factor: 0.1}")).getMessage();
        assertEquals(true, msg.endsWith("'random_translation' needs the setting 'width_factor'"),
                msg);
        msg = assertThrows(ConfigException.class,
                () -> parse("random_crop: {height: 3, width: 3, seed: 1}")).getMessage();
        assertEquals(true, msg.contains("'random_crop' has no setting 'seed'"), msg);
    }

    @Test
    void imageLayersNeedImages() {
        assertEquals("expected images (channels, height, width), got (784)",
                assertThrows(ShapeException.class,
                        () -> new RandomFlip().outputShape(new Shape(784))).getMessage());
        assertEquals(new Shape(3, 24, 20),
                new RandomCrop(24, 20).outputShape(new Shape(3, 28, 28)));
    }

    @Test
    void oneMainSettingMayBeAPlainValue() {
        assertEquals(new RandomFlip("horizontal"), parse("random_flip: horizontal"));
        assertEquals(new RandomRotation(0.1), parse("random_rotation: 0.1"));
        assertEquals(new RandomZoom(0.2), parse("random_zoom: 0.2"));
        assertEquals(new GaussianNoise(0.1), parse("gaussian_noise: 0.1"));
        assertEquals(new GaussianDropout(0.3), parse("gaussian_dropout: 0.3"));
        assertEquals(new RandomFlip(), parse("random_flip"));
    }
}
