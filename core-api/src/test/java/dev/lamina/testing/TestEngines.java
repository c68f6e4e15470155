package dev.lamina.testing;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.util.stream.Stream;

/**
 * The engines every engine-dependent test runs on. Use with
 * {@code @ParameterizedTest @MethodSource("dev.lamina.testing.TestEngines#names")}.
 */
public final class TestEngines {
    private TestEngines() {}

    /** DJL engine names: PyTorch and MXNet. */
    public static Stream<String> names() {
        return Stream.of("PyTorch", "MXNet");
    }

    /** A fresh CPU manager on {@code engine}; close it (try-with-resources). */
    public static NDManager manager(String engine) {
        return Engine.getEngine(engine).newBaseManager(Device.cpu());
    }
}
