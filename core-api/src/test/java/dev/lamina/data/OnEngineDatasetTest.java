package dev.lamina.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.lamina.engine.Backend;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OnEngineDatasetTest {
    private static Dataset data() {
        // 5 samples of (2, 3) inputs, a second input of 1 value, labels 0..4, weights
        float[] x = new float[30];
        for (int i = 0; i < x.length; i++) {
            x[i] = i * 0.5f - 3;
        }
        Tensor a = new Tensor(x, new ai.djl.ndarray.types.Shape(2, 3));
        Tensor b = new Tensor(new float[] {10, 11, 12, 13, 14}, new ai.djl.ndarray.types.Shape(1));
        Tensor y = new Tensor(new float[] {0, 1, 2, 3, 4}, new ai.djl.ndarray.types.Shape());
        return new Dataset("d", List.of(a, b), List.of(y)).withSampleWeights(1, 2, 3, 4, 5);
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void batchesGatheredOnTheEngineAreTheJavaBatches(String engine) {
        Dataset java = data();
        assertFalse(java.isOnEngine());
        assertEquals(4L * (30 + 5 + 5 + 5), java.bytes());
        try (NDManager m = Engine.getEngine(Backend.djlName(engine)).newBaseManager()) {
            Dataset resident = java.onEngine(m);
            assertTrue(resident.isOnEngine());
            for (int[] idx : List.of(new int[] {4, 0, 2}, new int[] {1}, new int[] {3, 3, 0, 1, 2})) {
                try (NDManager bm = m.newSubManager()) {
                    NDList want = java.inputs(bm, idx);
                    NDList got = resident.inputs(bm, idx);
                    for (int i = 0; i < want.size(); i++) {
                        assertEquals(want.get(i).getShape(), got.get(i).getShape());
                        assertEquals(want.get(i).getDataType(), got.get(i).getDataType());
                        assertArrayEquals(want.get(i).toFloatArray(), got.get(i).toFloatArray());
                        assertTrue(got.get(i).getManager() == bm, "made in the batch's manager");
                    }
                    NDArray wy = java.labels(bm, idx).head();
                    NDArray gy = resident.labels(bm, idx).head();
                    assertEquals(wy.getShape(), gy.getShape());
                    assertArrayEquals(wy.toFloatArray(), gy.toFloatArray());
                    assertArrayEquals(java.sampleWeights(bm, idx).toFloatArray(),
                            resident.sampleWeights(bm, idx).toFloatArray());
                }
            }
        }
    }
}
