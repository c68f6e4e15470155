package dev.lamina.layers;

import dev.lamina.spec.SpecMap;

/**
 * The largest value of each channel over every spatial axis.
 *
 * <p>Input (channels, spatial...) with one or more spatial axes, such as (channels, length) or
 * (channels, height, width); output (channels).
 */
public record GlobalMaxPool() implements GlobalPoolLayer {
    public static final String TYPE = "global_max_pool";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public boolean max() {
        return true;
    }

    /** GlobalMaxPool has no settings. */
    public static GlobalMaxPool fromMap(SpecMap m) {
        return new GlobalMaxPool();
    }
}
