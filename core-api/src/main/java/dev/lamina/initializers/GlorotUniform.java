package dev.lamina.initializers;

import java.util.Map;
import java.util.Random;

/**
 * Glorot and Bengio's normalised initialisation: U(−limit, limit) with
 * limit = sqrt(6 / (fan_in + fan_out)). Keras's default kernel initializer.
 */
public record GlorotUniform() implements InitializerSpec {
    public static final String TYPE = "glorot_uniform";

    @Override
    public float[] sample(long[] shape, Random random) {
        Fans f = Fans.of(shape);
        double limit = Math.sqrt(6.0 / (f.in() + f.out()));
        float[] out = new float[Fans.size(shape)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
        }
        return out;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, Object> config() {
        return Map.of();
    }
}
