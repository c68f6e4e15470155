package dev.lamina.initializers;

import dev.lamina.spec.Catalog;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.SpecMap;

/**
 * The initializers by the names Keras users type, with Keras's setting names and defaults:
 * {@code zeros}, {@code ones}, {@code constant(value=0)}, {@code random_normal(mean=0,
 * stddev=0.05)}, {@code random_uniform(minval=-0.05, maxval=0.05)}, {@code truncated_normal(mean=0,
 * stddev=0.05)}, {@code variance_scaling(scale=1, mode=fan_in, distribution=truncated_normal)},
 * {@code glorot_normal}, {@code glorot_uniform}, {@code he_normal}, {@code he_uniform},
 * {@code lecun_normal}, {@code lecun_uniform}, {@code orthogonal(gain=1)} and Lamina's
 * {@code sparse(connections=15, stddev=1)}.
 */
public final class Initializers {
    /** Name to parser. */
    public static final Catalog<InitializerSpec> CATALOG = new Catalog<>("initializer");

    static {
        CATALOG.register("zeros", m -> Constant.ZEROS);
        CATALOG.register("ones", m -> Constant.ONES);
        CATALOG.register("constant", m -> Constant.of(m.getDouble("value", 0)))
                .shorthand("constant", "value");
        CATALOG.register(GlorotUniform.TYPE, m -> new GlorotUniform());
        CATALOG.register(RandomNormal.TYPE, m -> new RandomNormal(
                m.getDouble("mean", RandomNormal.DEFAULT_MEAN),
                m.getDouble("stddev", RandomNormal.DEFAULT_STDDEV)));
        CATALOG.register(RandomUniform.TYPE, m -> new RandomUniform(
                m.getDouble("minval", RandomUniform.DEFAULT_MINVAL),
                m.getDouble("maxval", RandomUniform.DEFAULT_MAXVAL)));
        CATALOG.register(TruncatedNormal.TYPE, m -> new TruncatedNormal(
                m.getDouble("mean", TruncatedNormal.DEFAULT_MEAN),
                m.getDouble("stddev", TruncatedNormal.DEFAULT_STDDEV)));
        CATALOG.register(VarianceScaling.TYPE, Initializers::varianceScaling);
        for (String preset : VarianceScaling.presetNames()) {
            CATALOG.register(preset, m -> VarianceScaling.preset(preset));
        }
        CATALOG.register(Orthogonal.TYPE, m -> new Orthogonal(
                m.getDouble("gain", Orthogonal.DEFAULT_GAIN)));
        CATALOG.register(Sparse.TYPE, m -> new Sparse(
                m.getInt("connections", Sparse.DEFAULT_CONNECTIONS),
                m.getDouble("stddev", Sparse.DEFAULT_STDDEV)));
    }

    private Initializers() {}

    private static VarianceScaling varianceScaling(SpecMap m) {
        return new VarianceScaling(
                m.getDouble("scale", 1.0),
                m.getString("mode", VarianceScaling.FAN_IN),
                m.getString("distribution", VarianceScaling.TRUNCATED_NORMAL));
    }

    /** Parses a name or {@code {name: {settings}}}; null gives {@code dflt}. */
    public static InitializerSpec parse(ConfigNode node, InitializerSpec dflt) {
        return node == null || node.isNull() ? dflt : CATALOG.parse(node);
    }

    /** Parses a plain name or map, as Java users write {@code "he_normal"}. */
    public static InitializerSpec of(Object nameOrMap) {
        return nameOrMap instanceof InitializerSpec s ? s : CATALOG.parse(nameOrMap);
    }

    /** All zeros. */
    public static Constant zeros() {
        return Constant.ZEROS;
    }

    /** All ones. */
    public static Constant ones() {
        return Constant.ONES;
    }

    /** Every weight {@code value}. */
    public static Constant constant(double value) {
        return Constant.of(value);
    }

    /** N(0, 0.05²). */
    public static RandomNormal randomNormal() {
        return new RandomNormal();
    }

    /** N(mean, stddev²). */
    public static RandomNormal randomNormal(double mean, double stddev) {
        return new RandomNormal(mean, stddev);
    }

    /** U[−0.05, 0.05). */
    public static RandomUniform randomUniform() {
        return new RandomUniform();
    }

    /** U[minval, maxval). */
    public static RandomUniform randomUniform(double minval, double maxval) {
        return new RandomUniform(minval, maxval);
    }

    /** N(0, 0.05²) truncated at two standard deviations. */
    public static TruncatedNormal truncatedNormal() {
        return new TruncatedNormal();
    }

    /** N(mean, stddev²) truncated at two standard deviations. */
    public static TruncatedNormal truncatedNormal(double mean, double stddev) {
        return new TruncatedNormal(mean, stddev);
    }

    /** Variance scale/n, n by {@code mode}, drawn from {@code distribution}. */
    public static VarianceScaling varianceScaling(double scale, String mode, String distribution) {
        return new VarianceScaling(scale, mode, distribution);
    }

    /** Glorot normal: truncated normal of variance 2/(fan_in + fan_out). */
    public static VarianceScaling glorotNormal() {
        return VarianceScaling.preset("glorot_normal");
    }

    /** Glorot uniform: U(−sqrt(6/(fan_in + fan_out)), +); Keras's default kernel initializer. */
    public static GlorotUniform glorotUniform() {
        return new GlorotUniform();
    }

    /** He normal: truncated normal of variance 2/fan_in. */
    public static VarianceScaling heNormal() {
        return VarianceScaling.preset("he_normal");
    }

    /** He uniform: U(−sqrt(6/fan_in), +). */
    public static VarianceScaling heUniform() {
        return VarianceScaling.preset("he_uniform");
    }

    /** LeCun normal: truncated normal of variance 1/fan_in. */
    public static VarianceScaling lecunNormal() {
        return VarianceScaling.preset("lecun_normal");
    }

    /** LeCun uniform: U(−sqrt(3/fan_in), +). */
    public static VarianceScaling lecunUniform() {
        return VarianceScaling.preset("lecun_uniform");
    }

    /** A random orthogonal matrix (gain 1). */
    public static Orthogonal orthogonal() {
        return new Orthogonal();
    }

    /** {@code gain} times a random orthogonal matrix. */
    public static Orthogonal orthogonal(double gain) {
        return new Orthogonal(gain);
    }

    /** Martens's sparse initialisation: 15 non-zero N(0, 1) incoming weights per unit. */
    public static Sparse sparse() {
        return new Sparse();
    }

    /** {@code connections} non-zero N(0, 1) incoming weights per unit. */
    public static Sparse sparse(int connections) {
        return new Sparse(connections, Sparse.DEFAULT_STDDEV);
    }

    /** {@code connections} non-zero N(0, stddev²) incoming weights per unit. */
    public static Sparse sparse(int connections, double stddev) {
        return new Sparse(connections, stddev);
    }
}
