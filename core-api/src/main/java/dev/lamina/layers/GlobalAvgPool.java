package dev.lamina.layers;

import dev.lamina.spec.SpecMap;

/**
 * The mean of each channel over every spatial axis.
 *
 * <p>Input (channels, spatial...) with one or more spatial axes, such as (channels, length) or
 * (channels, height, width); output (channels).
 */
public record GlobalAvgPool() implements GlobalPoolLayer {
    public static final String TYPE = "global_avg_pool";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public boolean max() {
        return false;
    }

    /** GlobalAvgPool has no settings. */
    public static GlobalAvgPool fromMap(SpecMap m) {
        return new GlobalAvgPool();
    }
}
