package dev.lamina.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.spec.ConfigException;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.Yaml;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keras's learning-rate schedules: values against their formulas, YAML, round trips, errors. */
class ScheduleTest {
    static LearningRate yaml(String text) {
        return LearningRate.parse(Yaml.read(text, "s.yaml"));
    }

    static void assertRates(LearningRate lr, double[][] stepAndRate) {
        for (double[] p : stepAndRate) {
            assertEquals(p[1], lr.at((int) p[0]), 1e-12, "at step " + (int) p[0] + " of " + lr);
        }
        assertEquals(lr, LearningRate.parse(ConfigNode.of(lr.toConfig())), "round trip");
    }

    @Test
    void exponentialDecay() {
        // 0.1 · 0.9^(step/50); staircase: the exponent whole
        assertRates(yaml("exponential_decay: {initial_learning_rate: 0.1, decay_steps: 50,"
                + " decay_rate: 0.9}"), new double[][] {{0, 0.1}, {25, 0.1 * Math.sqrt(0.9)},
                        {100, 0.1 * 0.81}, {75, 0.1 * Math.pow(0.9, 1.5)}});
        assertRates(new Schedules.ExponentialDecay(0.1, 50, 0.9, true),
                new double[][] {{49, 0.1}, {50, 0.09}, {75, 0.09}, {100, 0.081}});
    }

    @Test
    void inverseTimeDecay() {
        assertRates(new Schedules.InverseTimeDecay(0.1, 10, 0.5, false),
                new double[][] {{0, 0.1}, {5, 0.08}, {10, 0.1 / 1.5}, {15, 0.1 / 1.75}});
        assertRates(new Schedules.InverseTimeDecay(0.1, 10, 0.5, true),
                new double[][] {{9, 0.1}, {15, 0.1 / 1.5}, {20, 0.05}});
    }

    @Test
    void piecewiseConstantDecay() {
        assertRates(yaml("piecewise_constant_decay: {boundaries: [100, 200], values: [1.0, 0.5,"
                + " 0.1]}"), new double[][] {{0, 1}, {100, 1}, {101, 0.5}, {200, 0.5},
                        {201, 0.1}, {10_000, 0.1}});
    }

    @Test
    void polynomialDecay() {
        // (0.1 − 0.01)·(1 − s/100)^2 + 0.01
        assertRates(new Schedules.PolynomialDecay(0.1, 100, 0.01, 2, false),
                new double[][] {{0, 0.1}, {50, 0.09 * 0.25 + 0.01}, {100, 0.01}, {150, 0.01}});
        // cycle: decay_steps becomes 100·ceil(s/100), so at 150 it is 200
        assertRates(new Schedules.PolynomialDecay(0.1, 100, 0.01, 1, true),
                new double[][] {{0, 0.1}, {50, 0.055}, {150, 0.09 * 0.25 + 0.01},
                        {200, 0.01}});
        assertEquals(0.0001, ((Schedules.PolynomialDecay) yaml("polynomial_decay:"
                + " {initial_learning_rate: 0.1, decay_steps: 10}")).endLearningRate());
    }

    @Test
    void cosineDecayWithAndWithoutWarmup() {
        // 0.1·((1 − 0.1)·½(1 + cos(π·s/100)) + 0.1)
        assertRates(new Schedules.CosineDecay(0.1, 100, 0.1, null, 0),
                new double[][] {{0, 0.1}, {50, 0.1 * (0.9 * 0.5 + 0.1)},
                        {25, 0.1 * (0.9 * 0.5 * (1 + Math.cos(Math.PI / 4)) + 0.1)},
                        {100, 0.01}, {300, 0.01}});
        // Keras 3's warm-up: linear from 0 to 0.1 over 10 steps, then the decay from 0.1
        assertRates(yaml("cosine_decay: {initial_learning_rate: 0.0, decay_steps: 100,"
                + " warmup_target: 0.1, warmup_steps: 10}"), new double[][] {{0, 0}, {5, 0.05},
                        {10, 0.1}, {60, 0.05}, {110, 0}});
    }

    @Test
    void cosineDecayRestarts() {
        // first period 10 steps, each next twice as long (t_mul 2) and half as high (m_mul 0.5)
        LearningRate lr = new Schedules.CosineDecayRestarts(1.0, 10, 2, 0.5, 0);
        assertRates(lr, new double[][] {{0, 1}, {5, 0.5}, {10, 0.5}, {20, 0.25},
                {35, 0.125 * (1 + Math.cos(Math.PI * 0.125))}});
        // t_mul 1: every period 10 steps
        assertRates(new Schedules.CosineDecayRestarts(1.0, 10, 1, 1, 0),
                new double[][] {{0, 1}, {15, 0.5}, {20, 1}});
        assertEquals(2.0, ((Schedules.CosineDecayRestarts) yaml("cosine_decay_restarts:"
                + " {initial_learning_rate: 0.1, first_decay_steps: 10}")).tMul());
    }

    @Test
    void linearWarmupGoesInFrontOfAnyRate() {
        assertRates(yaml("linear_warmup: {warmup_steps: 10, schedule: 0.1}"),
                new double[][] {{0, 0}, {5, 0.05}, {10, 0.1}, {1000, 0.1}});
        LearningRate lr = yaml(String.join("\n", "linear_warmup:", "  warmup_steps: 10",
                "  initial_learning_rate: 0.02",
                "  schedule: {exponential_decay: {initial_learning_rate: 0.1, decay_steps: 50,"
                        + " decay_rate: 0.9}}"));
        assertRates(lr, new double[][] {{0, 0.02}, {5, 0.06}, {10, 0.1}, {60, 0.09}});
    }

    @Test
    void anOptimizerTakesAScheduleWhereverARateGoes() {
        OptimizerSpec sgd = Optimizers.parse(Yaml.read("sgd: {learning_rate: {exponential_decay:"
                + " {initial_learning_rate: 0.1, decay_steps: 50, decay_rate: 0.9}}}", "o.yaml"));
        assertEquals(new Schedules.ExponentialDecay(0.1, 50, 0.9, false), sgd.learningRate());
        assertEquals(sgd, Optimizers.parse(ConfigNode.of(sgd.toMap())));
    }

    @Test
    void badSchedulesSayWhatToWrite() {
        ConfigException e = assertThrows(ConfigException.class, () -> yaml(
                "exponential_decya: {initial_learning_rate: 0.1}"));
        assertTrue(e.getMessage().contains("unknown learning-rate schedule 'exponential_decya'."
                + " Did you mean 'exponential_decay'?"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> yaml(
                "exponential_decay: {initial_learning_rate: 0.1, decay_rate: 0.9}"));
        assertTrue(e.getMessage().contains("decay_steps"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> yaml(
                "piecewise_constant_decay: {boundaries: [10, 20], values: [0.1, 0.01]}"));
        assertTrue(e.getMessage().contains("expected one value more than boundaries (3),"
                + " received 2"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> yaml(
                "cosine_decay: {initial_learning_rate: 0.1, decay_steps: 0}"));
        assertTrue(e.getMessage().contains("expected a number > 0, received decay_steps=0"),
                e.getMessage());
        e = assertThrows(ConfigException.class, () -> LearningRate.parse(ConfigNode.of(
                List.of(0.1, 0.2))));
        assertTrue(e.getMessage().contains("expected a learning rate as a number (such as 0.001)"
                + " or a schedule"), e.getMessage());
    }

    @Test
    void theReadmeCompileSectionParses() throws java.io.IOException {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("../README.md"));
        int at = readme.indexOf("### Weight decay, clipping, schedules and weighted samples");
        int from = readme.indexOf("```yaml\n", at) + 8;
        ConfigNode root = Yaml.read(readme.substring(from, readme.indexOf("```", from)), "README");
        java.util.Map<String, ConfigNode> compile = root.asMap().get("compile").asMap();
        OptimizerSpec adam = Optimizers.parse(compile.get("optimizer"));
        assertEquals(new Schedules.CosineDecay(0, 5000, 0, 0.001, 200), adam.learningRate());
        assertEquals(0.0005, adam.learningRate().at(100), 1e-12);
        assertEquals("softmax_cross_entropy",
                dev.lamina.losses.Losses.parse(compile.get("loss")).type());
    }
}
