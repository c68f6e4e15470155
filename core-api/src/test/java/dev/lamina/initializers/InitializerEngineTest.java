package dev.lamina.initializers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lamina.testing.TestEngines;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One seed gives the same floats on every engine: values come from Java, not the engine. */
class InitializerEngineTest {
    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void sameFloatsAsJavaOnEveryEngine(String engine) {
        try (NDManager manager = TestEngines.manager(engine)) {
            for (String name : Initializers.CATALOG.names()) {
                InitializerSpec init = Initializers.of(name);
                NDArray w = init.toDjl(new Random(7)).initialize(manager, new Shape(5, 4), DataType.FLOAT32);
                assertEquals(new Shape(5, 4), w.getShape(), name);
                assertEquals(DataType.FLOAT32, w.getDataType(), name);
                float[] expected = init.sample(new long[] {5, 4}, new Random(7));
                assertArrayEquals(expected, w.toFloatArray(), name + " on " + engine);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void successiveParametersContinueTheSameStream(String engine) {
        try (NDManager manager = TestEngines.manager(engine)) {
            InitializerSpec init = Initializers.heNormal();
            var djl = init.toDjl(new Random(7));
            float[] first = djl.initialize(manager, new Shape(3, 2), DataType.FLOAT32).toFloatArray();
            float[] second = djl.initialize(manager, new Shape(4), DataType.FLOAT32).toFloatArray();
            Random java = new Random(7);
            assertArrayEquals(init.sample(new long[] {3, 2}, java), first);
            assertArrayEquals(init.sample(new long[] {4}, java), second);
        }
    }
}
