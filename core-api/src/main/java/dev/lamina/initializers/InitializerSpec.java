package dev.lamina.initializers;

import ai.djl.training.initializer.Initializer;
import dev.lamina.spec.Spec;
import java.util.Random;

/**
 * How a layer's weights start. Values are drawn from a Java {@link Random} (never from an engine's
 * generator), so one seed gives the same initial weights on PyTorch and MXNet.
 *
 * <p>Fans follow Keras: for a weight of DJL shape (out, in, k1, k2, ...) fan_in = in·k1·k2·…,
 * fan_out = out·k1·k2·…; a 1-D weight (a bias) has fan_in = fan_out = its length.
 */
public interface InitializerSpec extends Spec {
    /** Fills an array of {@code shape} (DJL layout) with {@code n = product(shape)} values. */
    float[] sample(long[] shape, Random random);

    /** A DJL initializer that draws from {@code random} each time a parameter is created. */
    default Initializer toDjl(Random random) {
        return (manager, shape, dataType) ->
                manager.create(sample(shape.getShape(), random), shape).toType(dataType, false);
    }

    /**
     * A DJL initializer for a weight stored in Keras's layout (in, ..., out), such as an
     * attention kernel (features, heads, key_dim): the values are drawn as for the reversed shape,
     * so the fans are Keras's (for a kernel (a, b, c): fan_in = a·b, fan_out = a·c).
     */
    default Initializer toDjlKerasLayout(Random random) {
        return (manager, shape, dataType) -> {
            long[] dims = shape.getShape();
            long[] reversed = new long[dims.length];
            for (int i = 0; i < dims.length; i++) {
                reversed[i] = dims[dims.length - 1 - i];
            }
            return manager.create(sample(reversed, random), shape).toType(dataType, false);
        };
    }
}
