package dev.lamina.layers;

import dev.lamina.spec.SpecMap;

/**
 * The mean of each channel over every spatial axis.
 *
 * <p>Input (channels, spatial...) with one or more spatial axes, such as (channels, length) or
 * (channels, height, width); output (channels).
 */
public record GlobalAvgPool(boolean channelsLast) implements GlobalPoolLayer {
    public static final String TYPE = "global_avg_pool";

    /** Channels first, Lamina's default: input (channels, spatial...). */
    public GlobalAvgPool() {
        this(false);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public boolean max() {
        return false;
    }

    /** Reads {@code data_format} ({@code channels_first}, the default, or {@code channels_last}). */
    public static GlobalAvgPool fromMap(SpecMap m) {
        return new GlobalAvgPool(GlobalPoolLayer.channelsLast(m));
    }
}
