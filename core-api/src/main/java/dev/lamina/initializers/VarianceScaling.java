package dev.lamina.initializers;

import dev.lamina.spec.Names;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keras's {@code variance_scaling}: values whose variance is {@code scale / n}, where n is fan_in,
 * fan_out or their mean ({@code mode}). With {@code truncated_normal} the values are a normal
 * truncated at two standard deviations, its stddev sqrt(scale/n) / 0.8796… so the truncated values
 * keep the variance; with {@code untruncated_normal} a plain N(0, scale/n); with {@code uniform}
 * U(−limit, limit), limit = sqrt(3·scale/n).
 *
 * <p>The named schemes ({@code glorot_normal}, {@code he_normal}, {@code he_uniform},
 * {@code lecun_normal}, {@code lecun_uniform}) are presets of this record: their {@link #type()}
 * is their own name and their {@link #config()} is empty, as in Keras.
 */
public record VarianceScaling(String type, double scale, String mode, String distribution)
        implements InitializerSpec {
    public static final String TYPE = "variance_scaling";

    public static final String FAN_IN = "fan_in";
    public static final String FAN_OUT = "fan_out";
    public static final String FAN_AVG = "fan_avg";
    public static final String TRUNCATED_NORMAL = "truncated_normal";
    public static final String UNTRUNCATED_NORMAL = "untruncated_normal";
    public static final String UNIFORM = "uniform";

    /** The modes Keras knows. */
    public static final List<String> MODES = List.of(FAN_IN, FAN_OUT, FAN_AVG);
    /** The distributions Keras knows. */
    public static final List<String> DISTRIBUTIONS = List.of(TRUNCATED_NORMAL, UNTRUNCATED_NORMAL, UNIFORM);

    /** The named presets, with the settings each stands for. */
    private static final Map<String, VarianceScaling> PRESETS = Map.of(
            "glorot_normal", new VarianceScaling(TYPE, 1.0, FAN_AVG, TRUNCATED_NORMAL),
            "he_normal", new VarianceScaling(TYPE, 2.0, FAN_IN, TRUNCATED_NORMAL),
            "he_uniform", new VarianceScaling(TYPE, 2.0, FAN_IN, UNIFORM),
            "lecun_normal", new VarianceScaling(TYPE, 1.0, FAN_IN, TRUNCATED_NORMAL),
            "lecun_uniform", new VarianceScaling(TYPE, 1.0, FAN_IN, UNIFORM));

    public VarianceScaling {
        if (type == null) {
            type = TYPE;
        }
        Sampling.requirePositive(type, "scale", scale);
        mode = choose(type, "mode", mode, MODES);
        distribution = choose(type, "distribution", distribution, DISTRIBUTIONS);
        if (!type.equals(TYPE)) {
            VarianceScaling preset = PRESETS.get(type);
            if (preset == null) {
                throw new SpecException(type, "type", "expected '" + TYPE + "' or one of "
                        + PRESETS.keySet() + ", received type=" + type);
            }
            if (preset.scale != scale || !preset.mode.equals(mode)
                    || !preset.distribution.equals(distribution)) {
                throw new SpecException(type, "scale", "'" + type + "' stands for scale="
                        + preset.scale + ", mode=" + preset.mode + ", distribution="
                        + preset.distribution + "; received scale=" + scale + ", mode=" + mode
                        + ", distribution=" + distribution);
            }
        }
    }

    /** A {@code variance_scaling} with explicit settings. */
    public VarianceScaling(double scale, String mode, String distribution) {
        this(TYPE, scale, mode, distribution);
    }

    /** Keras's defaults: scale 1, fan_in, truncated normal. */
    public VarianceScaling() {
        this(TYPE, 1.0, FAN_IN, TRUNCATED_NORMAL);
    }

    /** A named preset ({@code he_normal}, ...), or an error listing them. */
    public static VarianceScaling preset(String name) {
        VarianceScaling p = PRESETS.get(name);
        if (p == null) {
            throw new SpecException(TYPE, "type", "expected one of " + PRESETS.keySet()
                    + ", received type=" + name + "." + Names.didYouMean(name, PRESETS.keySet()));
        }
        return new VarianceScaling(name, p.scale, p.mode, p.distribution);
    }

    /** The preset names: glorot_normal, he_normal, he_uniform, lecun_normal, lecun_uniform. */
    public static Set<String> presetNames() {
        return new TreeSet<>(PRESETS.keySet());
    }

    private static String choose(String type, String setting, String value, List<String> allowed) {
        String v = value == null ? null : value.toLowerCase(Locale.ROOT);
        if (v == null || !allowed.contains(v)) {
            throw new SpecException(type, setting, "expected one of " + String.join(", ", allowed)
                    + ", received " + setting + "=" + value + "." + Names.didYouMean(value, allowed));
        }
        return v;
    }

    /** The n of scale/n for a weight of {@code shape}. */
    public double fan(long[] shape) {
        Fans f = Fans.of(shape);
        switch (mode) {
            case FAN_IN:
                return f.in();
            case FAN_OUT:
                return f.out();
            default:
                return (f.in() + f.out()) / 2;
        }
    }

    /** The variance of the values drawn for a weight of {@code shape}: scale / n. */
    public double variance(long[] shape) {
        return scale / Math.max(1.0, fan(shape));
    }

    @Override
    public float[] sample(long[] shape, Random random) {
        double variance = variance(shape);
        int n = Fans.size(shape);
        switch (distribution) {
            case TRUNCATED_NORMAL:
                return Sampling.truncatedNormal(n, 0, Math.sqrt(variance) / Sampling.TRUNCATED_STDDEV, random);
            case UNTRUNCATED_NORMAL:
                return Sampling.normal(n, 0, Math.sqrt(variance), random);
            default:
                double limit = Math.sqrt(3 * variance);
                return Sampling.uniform(n, -limit, limit, random);
        }
    }

    @Override
    public Map<String, Object> config() {
        return type.equals(TYPE)
                ? Spec.ordered("scale", scale, "mode", mode, "distribution", distribution)
                : Map.of();
    }
}
