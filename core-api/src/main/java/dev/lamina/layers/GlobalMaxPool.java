package dev.lamina.layers;

import dev.lamina.spec.SpecMap;

/**
 * The largest value of each channel over every spatial axis.
 *
 * <p>Input (channels, spatial...) with one or more spatial axes, such as (channels, length) or
 * (channels, height, width); output (channels).
 */
public record GlobalMaxPool(boolean channelsLast) implements GlobalPoolLayer {
    public static final String TYPE = "global_max_pool";

    /** Channels first, Lamina's default: input (channels, spatial...). */
    public GlobalMaxPool() {
        this(false);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public boolean max() {
        return true;
    }

    /** Reads {@code data_format} ({@code channels_first}, the default, or {@code channels_last}). */
    public static GlobalMaxPool fromMap(SpecMap m) {
        return new GlobalMaxPool(GlobalPoolLayer.channelsLast(m));
    }
}
