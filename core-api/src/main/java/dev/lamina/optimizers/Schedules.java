package dev.lamina.optimizers;

import dev.lamina.spec.Catalog;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import dev.lamina.spec.SpecMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras 3's learning-rate schedules, each a {@link LearningRate} of the update number (from 0,
 * Keras's {@code optimizer.iterations}), written to files as Keras names them:
 *
 * <pre>
 * learning_rate: {exponential_decay: {initial_learning_rate: 0.1, decay_steps: 50, decay_rate: 0.9}}
 * learning_rate: {linear_warmup: {warmup_steps: 100, schedule: {cosine_decay: {...}}}}
 * </pre>
 *
 * The formulas are Keras's (keras.optimizers.schedules); {@link LinearWarmup} puts a linear
 * warm-up in front of any rate.
 */
public final class Schedules {
    private Schedules() {}

    private static final Catalog<LearningRate> CATALOG = new Catalog<LearningRate>(
            "learning-rate schedule")
            .register(ExponentialDecay.TYPE, ExponentialDecay::fromMap)
            .register(InverseTimeDecay.TYPE, InverseTimeDecay::fromMap)
            .register(PiecewiseConstantDecay.TYPE, PiecewiseConstantDecay::fromMap)
            .register(PolynomialDecay.TYPE, PolynomialDecay::fromMap)
            .register(CosineDecay.TYPE, CosineDecay::fromMap)
            .register(CosineDecayRestarts.TYPE, CosineDecayRestarts::fromMap)
            .register(LinearWarmup.TYPE, LinearWarmup::fromMap);

    /** The schedule names. */
    public static java.util.Set<String> names() {
        return CATALOG.names();
    }

    /** Reads a one-key map {@code {schedule_name: {settings}}}. */
    static LearningRate parse(ConfigNode node) {
        return CATALOG.parse(node);
    }

    private static void positive(String type, String field, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new SpecException(type, field, "expected a number > 0, received " + field + "="
                    + v);
        }
    }

    private static void atLeastZero(String type, String field, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new SpecException(type, field, "expected a number >= 0, received " + field + "="
                    + v);
        }
    }

    private static Map<String, Object> written(String type, Object... settings) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(type, Spec.ordered(settings));
        return m;
    }

    /**
     * {@code initial_learning_rate · decay_rate^(step / decay_steps)}, the exponent whole with
     * {@code staircase}.
     */
    public record ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate,
            boolean staircase) implements LearningRate {
        public static final String TYPE = "exponential_decay";

        public ExponentialDecay {
            positive(TYPE, "initial_learning_rate", initialLearningRate);
            positive(TYPE, "decay_steps", decaySteps);
            positive(TYPE, "decay_rate", decayRate);
        }

        @Override
        public double at(int step) {
            double p = (double) step / decaySteps;
            return initialLearningRate * Math.pow(decayRate, staircase ? Math.floor(p) : p);
        }

        @Override
        public Object toConfig() {
            return written(TYPE, "initial_learning_rate", initialLearningRate, "decay_steps",
                    decaySteps, "decay_rate", decayRate, "staircase", staircase);
        }

        static ExponentialDecay fromMap(SpecMap m) {
            return new ExponentialDecay(m.requireDouble("initial_learning_rate"),
                    m.requireInt("decay_steps"), m.requireDouble("decay_rate"),
                    m.getBoolean("staircase", false));
        }
    }

    /**
     * {@code initial_learning_rate / (1 + decay_rate · step / decay_steps)}, the fraction whole
     * with {@code staircase}.
     */
    public record InverseTimeDecay(double initialLearningRate, long decaySteps, double decayRate,
            boolean staircase) implements LearningRate {
        public static final String TYPE = "inverse_time_decay";

        public InverseTimeDecay {
            positive(TYPE, "initial_learning_rate", initialLearningRate);
            positive(TYPE, "decay_steps", decaySteps);
            atLeastZero(TYPE, "decay_rate", decayRate);
        }

        @Override
        public double at(int step) {
            double p = (double) step / decaySteps;
            return initialLearningRate / (1 + decayRate * (staircase ? Math.floor(p) : p));
        }

        @Override
        public Object toConfig() {
            return written(TYPE, "initial_learning_rate", initialLearningRate, "decay_steps",
                    decaySteps, "decay_rate", decayRate, "staircase", staircase);
        }

        static InverseTimeDecay fromMap(SpecMap m) {
            return new InverseTimeDecay(m.requireDouble("initial_learning_rate"),
                    m.requireInt("decay_steps"), m.requireDouble("decay_rate"),
                    m.getBoolean("staircase", false));
        }
    }

    /**
     * {@code values[0]} up to and including step {@code boundaries[0]}, {@code values[i]} for
     * steps in (boundaries[i−1], boundaries[i]], the last value after the last boundary.
     */
    public record PiecewiseConstantDecay(List<Long> boundaries, List<Double> values)
            implements LearningRate {
        public static final String TYPE = "piecewise_constant_decay";

        public PiecewiseConstantDecay {
            boundaries = List.copyOf(boundaries);
            values = List.copyOf(values);
            if (values.size() != boundaries.size() + 1) {
                throw new SpecException(TYPE, "values", "expected one value more than"
                        + " boundaries (" + (boundaries.size() + 1) + "), received "
                        + values.size());
            }
            for (int i = 1; i < boundaries.size(); i++) {
                if (boundaries.get(i) <= boundaries.get(i - 1)) {
                    throw new SpecException(TYPE, "boundaries", "expected increasing steps,"
                            + " received boundaries=" + boundaries);
                }
            }
            values.forEach(v -> positive(TYPE, "values", v));
        }

        @Override
        public double at(int step) {
            for (int i = 0; i < boundaries.size(); i++) {
                if (step <= boundaries.get(i)) {
                    return values.get(i);
                }
            }
            return values.get(values.size() - 1);
        }

        @Override
        public Object toConfig() {
            return written(TYPE, "boundaries", boundaries, "values", values);
        }

        static PiecewiseConstantDecay fromMap(SpecMap m) {
            List<Long> b = new java.util.ArrayList<>();
            m.require("boundaries").asList().forEach(n -> b.add(n.asLong()));
            List<Double> v = new java.util.ArrayList<>();
            m.require("values").asList().forEach(n -> v.add(n.asDouble()));
            return new PiecewiseConstantDecay(b, v);
        }
    }

    /**
     * {@code (initial − end)·(1 − s/decay_steps)^power + end} with {@code s = min(step,
     * decay_steps)}; with {@code cycle}, decay_steps grows to the next multiple of itself past the
     * step instead, as Keras's.
     */
    public record PolynomialDecay(double initialLearningRate, long decaySteps,
            double endLearningRate, double power, boolean cycle) implements LearningRate {
        public static final String TYPE = "polynomial_decay";
        public static final double END_LEARNING_RATE = 0.0001;

        public PolynomialDecay {
            positive(TYPE, "initial_learning_rate", initialLearningRate);
            positive(TYPE, "decay_steps", decaySteps);
            atLeastZero(TYPE, "end_learning_rate", endLearningRate);
            positive(TYPE, "power", power);
        }

        @Override
        public double at(int step) {
            double steps = decaySteps;
            double s = step;
            if (cycle) {
                steps = decaySteps * (step == 0 ? 1 : Math.ceil(s / decaySteps));
            } else {
                s = Math.min(s, steps);
            }
            return (initialLearningRate - endLearningRate) * Math.pow(1 - s / steps, power)
                    + endLearningRate;
        }

        @Override
        public Object toConfig() {
            return written(TYPE, "initial_learning_rate", initialLearningRate, "decay_steps",
                    decaySteps, "end_learning_rate", endLearningRate, "power", power, "cycle",
                    cycle);
        }

        static PolynomialDecay fromMap(SpecMap m) {
            return new PolynomialDecay(m.requireDouble("initial_learning_rate"),
                    m.requireInt("decay_steps"), m.getDouble("end_learning_rate",
                            END_LEARNING_RATE), m.getDouble("power", 1), m.getBoolean("cycle",
                                    false));
        }
    }

    /**
     * Keras 3's {@code CosineDecay}: over {@code decay_steps}, from the rate down to
     * {@code alpha} times it along half a cosine, {@code lr·((1 − alpha)·½(1 + cos(π·s/decay_steps))
     * + alpha)}, s capped at decay_steps. With {@code warmup_target}, the rate first rises linearly
     * from {@code initial_learning_rate} to {@code warmup_target} over {@code warmup_steps}, and the
     * decay then starts from {@code warmup_target}.
     */
    public record CosineDecay(double initialLearningRate, long decaySteps, double alpha,
            Double warmupTarget, long warmupSteps) implements LearningRate {
        public static final String TYPE = "cosine_decay";

        public CosineDecay {
            atLeastZero(TYPE, "initial_learning_rate", initialLearningRate);
            positive(TYPE, "decay_steps", decaySteps);
            if (!(alpha >= 0 && alpha <= 1)) {
                throw new SpecException(TYPE, "alpha", "expected a fraction in [0, 1], received"
                        + " alpha=" + alpha);
            }
            if (warmupTarget != null) {
                positive(TYPE, "warmup_target", warmupTarget);
            }
            atLeastZero(TYPE, "warmup_steps", warmupSteps);
            if (warmupTarget == null && initialLearningRate <= 0) {
                positive(TYPE, "initial_learning_rate", initialLearningRate);
            }
        }

        @Override
        public double at(int step) {
            if (warmupTarget == null) {
                return decayed(initialLearningRate, step);
            }
            if (step < warmupSteps) {
                return initialLearningRate + (warmupTarget - initialLearningRate) * step
                        / warmupSteps;
            }
            return decayed(warmupTarget, step - warmupSteps);
        }

        private double decayed(double from, long step) {
            double s = Math.min(step, decaySteps);
            double cosine = 0.5 * (1 + Math.cos(Math.PI * s / decaySteps));
            return from * ((1 - alpha) * cosine + alpha);
        }

        @Override
        public Object toConfig() {
            return warmupTarget == null
                    ? written(TYPE, "initial_learning_rate", initialLearningRate, "decay_steps",
                            decaySteps, "alpha", alpha)
                    : written(TYPE, "initial_learning_rate", initialLearningRate, "decay_steps",
                            decaySteps, "alpha", alpha, "warmup_target", warmupTarget,
                            "warmup_steps", warmupSteps);
        }

        static CosineDecay fromMap(SpecMap m) {
            return new CosineDecay(m.requireDouble("initial_learning_rate"),
                    m.requireInt("decay_steps"), m.getDouble("alpha", 0),
                    m.has("warmup_target") ? m.requireDouble("warmup_target") : null,
                    m.getInt("warmup_steps", 0));
        }
    }

    /**
     * Keras's {@code CosineDecayRestarts} (SGDR, Loshchilov &amp; Hutter): cosine decays from the
     * rate to {@code alpha} times it, the first over {@code first_decay_steps}, each next one
     * {@code t_mul} times longer and starting {@code m_mul} times lower.
     */
    public record CosineDecayRestarts(double initialLearningRate, long firstDecaySteps,
            double tMul, double mMul, double alpha) implements LearningRate {
        public static final String TYPE = "cosine_decay_restarts";

        public CosineDecayRestarts {
            positive(TYPE, "initial_learning_rate", initialLearningRate);
            positive(TYPE, "first_decay_steps", firstDecaySteps);
            positive(TYPE, "t_mul", tMul);
            positive(TYPE, "m_mul", mMul);
            if (!(alpha >= 0 && alpha <= 1)) {
                throw new SpecException(TYPE, "alpha", "expected a fraction in [0, 1], received"
                        + " alpha=" + alpha);
            }
        }

        @Override
        public double at(int step) {
            double fraction = (double) step / firstDecaySteps;
            double restart;
            if (tMul == 1) {
                restart = Math.floor(fraction);
                fraction -= restart;
            } else {
                restart = Math.floor(Math.log(1 - fraction * (1 - tMul)) / Math.log(tMul));
                double done = (1 - Math.pow(tMul, restart)) / (1 - tMul);
                fraction = (fraction - done) / Math.pow(tMul, restart);
            }
            double cosine = 0.5 * Math.pow(mMul, restart) * (1 + Math.cos(Math.PI * fraction));
            return initialLearningRate * ((1 - alpha) * cosine + alpha);
        }

        @Override
        public Object toConfig() {
            return written(TYPE, "initial_learning_rate", initialLearningRate,
                    "first_decay_steps", firstDecaySteps, "t_mul", tMul, "m_mul", mMul, "alpha",
                    alpha);
        }

        static CosineDecayRestarts fromMap(SpecMap m) {
            return new CosineDecayRestarts(m.requireDouble("initial_learning_rate"),
                    m.requireInt("first_decay_steps"), m.getDouble("t_mul", 2),
                    m.getDouble("m_mul", 1), m.getDouble("alpha", 0));
        }
    }

    /**
     * A linear warm-up in front of any rate: over {@code warmup_steps} updates the rate rises from
     * {@code initial_learning_rate} (default 0) to {@code schedule}'s first value; then
     * {@code schedule} runs from its own step 0. {@code schedule} is a number or a schedule.
     */
    public record LinearWarmup(long warmupSteps, double initialLearningRate, LearningRate schedule)
            implements LearningRate {
        public static final String TYPE = "linear_warmup";

        public LinearWarmup {
            positive(TYPE, "warmup_steps", warmupSteps);
            atLeastZero(TYPE, "initial_learning_rate", initialLearningRate);
            if (schedule == null) {
                throw new SpecException(TYPE, "schedule", "expected the rate after the warm-up,"
                        + " a number or a schedule such as {cosine_decay: {...}}");
            }
            if (schedule instanceof LearningRate.Constant c) {
                positive(TYPE, "schedule", c.value());
            }
        }

        @Override
        public double at(int step) {
            if (step < warmupSteps) {
                return initialLearningRate + (schedule.at(0) - initialLearningRate) * step
                        / warmupSteps;
            }
            return schedule.at((int) (step - warmupSteps));
        }

        @Override
        public Object toConfig() {
            return written(TYPE, "warmup_steps", warmupSteps, "initial_learning_rate",
                    initialLearningRate, "schedule", schedule.toConfig());
        }

        static LinearWarmup fromMap(SpecMap m) {
            return new LinearWarmup(m.requireInt("warmup_steps"),
                    m.getDouble("initial_learning_rate", 0), LearningRate.parse(
                            m.require("schedule")));
        }
    }
}
