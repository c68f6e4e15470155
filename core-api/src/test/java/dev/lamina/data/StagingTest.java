package dev.lamina.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lamina.testing.TestEngines;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Values reach the engine through one reused buffer per thread: every array holds exactly the
 * samples asked for, in their order, and keeps them when the buffer is used again, whether the
 * engine copies from the buffer or first made its array in the buffer's memory; arrays larger
 * than the buffer are filled chunk by chunk. On PyTorch's CPU, which lends an array's own memory,
 * values are written straight into the array instead.
 */
class StagingTest {
    private static Tensor tensor(int n, int per, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n * per];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return new Tensor(v, new Shape(per));
    }

    private static float[] expected(Tensor t, int[] idx) {
        return t.values(idx);
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void arraysKeepTheirValuesWhenTheBufferIsUsedAgain(String engine) {
        Tensor t = tensor(300, 7, 1);
        int[] first = {5, 0, 299, 17};
        int[] second = {1, 2, 3, 4};
        try (NDManager m = TestEngines.manager(engine)) {
            NDArray a = t.gather(m, first);
            NDArray b = t.gather(m, second);
            assertEquals(new Shape(4, 7), a.getShape());
            assertArrayEquals(expected(t, first), a.toFloatArray());
            assertArrayEquals(expected(t, second), b.toFloatArray());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void anArrayLargerThanTheBufferIsFilledInChunks(String engine) {
        int per = 1000;
        int n = Staging.CHUNK_BYTES / 4 / per * 2 + 37; // two full chunks and a part
        Tensor t = tensor(n, per, 2);
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = n - 1 - i; // reversed, so every chunk gathers
        }
        try (NDManager m = TestEngines.manager(engine)) {
            NDArray a = t.gather(m, idx);
            assertEquals(new Shape(n, per), a.getShape());
            assertArrayEquals(expected(t, idx), a.toFloatArray());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void laidOutValuesKeepTheirShape(String engine) {
        float[] v = {1, 2, 3, 4, 5, 6};
        try (NDManager m = TestEngines.manager(engine)) {
            NDArray a = Staging.create(m, v, new Shape(3, 2));
            NDArray s = Staging.create(m, new float[] {9}, new Shape());
            assertEquals(new Shape(3, 2), a.getShape());
            assertArrayEquals(v, a.toFloatArray());
            assertEquals(new Shape(), s.getShape());
            assertEquals(9f, s.getFloat());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void onlyPytorchLendsAnArraysOwnMemory(String engine) {
        Tensor t = tensor(50, 3, 4);
        int[] idx = {49, 7, 7, 0};
        try (NDManager m = TestEngines.manager(engine)) {
            // PyTorch's toByteBuffer is a view of the array (written into directly); MXNet's a copy
            assertEquals(engine.equals("PyTorch"), Staging.lendsMemory(m));
            NDArray a = t.gather(m, idx);
            float[] before = a.toFloatArray();
            t.gather(m, new int[] {1, 2, 3, 4}); // the next batch leaves this one alone
            assertArrayEquals(expected(t, idx), before);
            assertArrayEquals(before, a.toFloatArray());
        }
    }
}
