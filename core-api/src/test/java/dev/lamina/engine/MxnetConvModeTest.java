package dev.lamina.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.mxnet.jna.JnaUtils;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.lamina.testing.TestEngines;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * MXNet's convolutions at inference give the scoring mode's numbers bit for bit, whether this
 * CPU's oneDNN lets them run in the training mode or not, and leave MXNet's training flag as
 * they found it.
 */
class MxnetConvModeTest {
    /**
     * Input channels, filters, window, stride, batch: the bench's (1→16 and 16→16, 3×3), LeNet's,
     * and shapes whose two modes differed in the last bits on the machine this was written on
     * (1×1 over 16 channels, 3×3 over 64, 5×5 over 32 with stride 2).
     */
    private static final int[][] CONFIGURATIONS = {
        {1, 16, 3, 1, 8}, {16, 16, 3, 1, 8}, {1, 6, 5, 1, 8}, {6, 16, 5, 1, 8},
        {16, 16, 1, 1, 7}, {64, 64, 3, 1, 3}, {32, 16, 5, 2, 7}};

    private static NDArray normal(NDManager m, Shape shape, long seed) {
        Random r = new Random(seed);
        float[] v = new float[(int) shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return m.create(v, shape);
    }

    private static NDArray plain(NDArray x, NDArray w, NDArray b, Shape stride, Shape pad) {
        return x.getNDArrayInternal().convolution(x, w, b, stride, pad, new Shape(1, 1), 1).head();
    }

    @Test
    void inferenceGivesTheScoringModesNumbersBitForBit() {
        try (NDManager m = TestEngines.manager("MXNet")) {
            for (int[] c : CONFIGURATIONS) {
                String what = c[0] + "→" + c[1] + " channels, " + c[2] + "×" + c[2] + ", stride " + c[3];
                NDArray x = normal(m, new Shape(c[4], c[0], 12, 12), c[0] * 31L + c[2]);
                NDArray w = normal(m, new Shape(c[1], c[0], c[2], c[2]), c[1] * 17L + c[3]);
                NDArray b = normal(m, new Shape(c[1]), c[2]);
                Shape stride = new Shape(c[3], c[3]);
                Shape pad = new Shape(c[2] / 2, c[2] / 2);
                assertFalse(MxnetConvMode.training());
                float[] want = plain(x, w, b, stride, pad).toFloatArray();
                float[] got = ConvKernel.checked(x, w, b, stride, pad, new Shape(1, 1), 1).toFloatArray();
                assertArrayEquals(want, got, what);
                assertFalse(MxnetConvMode.training(), "the flag is restored after " + what);

                // the verdict is what the two modes give on other data
                Boolean verdict = MxnetConvMode.verdict(new MxnetConvMode.Key(x.getShape(),
                        w.getShape(), true, stride, pad, new Shape(1, 1), 1, DataType.FLOAT32));
                assertNotNull(verdict, what + " was tried");
                NDArray scoring = plain(x, w, b, stride, pad);
                boolean before = JnaUtils.autogradSetTraining(true);
                NDArray training = plain(x, w, b, stride, pad);
                JnaUtils.autogradSetTraining(before);
                assertEquals(scoring.contentEquals(training), verdict, what);
            }
        }
    }

    @Test
    void aGradientCollectorsConvolutionIsLeftAlone() {
        try (NDManager m = TestEngines.manager("MXNet")) {
            // a shape no other test uses, so that no verdict is cached for it
            NDArray x = normal(m, new Shape(5, 3, 11, 9), 1);
            NDArray w = normal(m, new Shape(4, 3, 2, 3), 2);
            Shape one = new Shape(1, 1);
            Shape none = new Shape(0, 0);
            try (GradientCollector gc = Engine.getEngine("MXNet").newGradientCollector()) {
                assertTrue(MxnetConvMode.training());
                ConvKernel.checked(x, w, null, one, none, one, 1);
                assertTrue(MxnetConvMode.training(), "the collector's flag is kept");
            }
            assertNull(MxnetConvMode.verdict(new MxnetConvMode.Key(x.getShape(), w.getShape(),
                    false, one, none, one, 1, DataType.FLOAT32)), "no probe under a collector");
            assertFalse(MxnetConvMode.training());
        }
    }
}
