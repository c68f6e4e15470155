package dev.lamina.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.spec.ConfigException;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.SpecException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsing optimizers by name and settings, writing them back, and the messages for mistakes. */
class OptimizerCatalogTest {
    @Test
    void knowsKerasNames() {
        assertEquals(List.of("adadelta", "adagrad", "adam", "adamax", "adamw", "nadam", "rmsprop", "sgd"),
                List.copyOf(Optimizers.CATALOG.names()));
    }

    @Test
    void bareNameGivesKerasDefaults() {
        assertEquals(Optimizers.adam(), Optimizers.parse(ConfigNode.of("adam")));
        assertEquals(new Adam(LearningRate.constant(0.001), 0.9, 0.999, 1e-7, false, Clipping.NONE),
                Optimizers.parse(ConfigNode.of("adam")));
        assertEquals(new Sgd(0.01, 0, false), Optimizers.parse(ConfigNode.of("sgd")));
        assertEquals(new RmsProp(LearningRate.constant(0.001), 0.9, 0, 1e-7, false, null),
                Optimizers.parse(ConfigNode.of("rmsprop")));
        assertEquals(new Adagrad(LearningRate.constant(0.001), 0.1, 1e-7, null),
                Optimizers.parse(ConfigNode.of("adagrad")));
        assertEquals(new Adadelta(LearningRate.constant(0.001), 0.95, 1e-7, null),
                Optimizers.parse(ConfigNode.of("adadelta")));
        assertEquals(new AdamW(LearningRate.constant(0.001), 0.004, 0.9, 0.999, 1e-7, false, null),
                Optimizers.parse(ConfigNode.of("adamw")));
    }

    @Test
    void oneKeyMapSetsSettings() {
        OptimizerSpec spec = Optimizers.parse(ConfigNode.of(Map.of("adam", Map.of("learning_rate", 0.01))));
        assertEquals(Optimizers.adam(0.01), spec);
        assertEquals(new LearningRate.Constant(0.01), ((Adam) spec).learningRate());
        assertEquals(0.01, ((Adam) spec).learningRate().at(1000));

        OptimizerSpec sgd = Optimizers.parse(ConfigNode.of(
                Map.of("sgd", Map.of("learning_rate", 0.1, "momentum", 0.9, "nesterov", true, "clipnorm", 2))));
        assertEquals(Optimizers.sgd(0.1, 0.9, true).withClipnorm(2), sgd);
    }

    @Test
    void configRoundTrips() {
        for (OptimizerCases.Case c : OptimizerCases.all()) {
            Map<String, Object> written = c.spec().toMap();
            assertEquals(c.spec(), Optimizers.parse(ConfigNode.of(written)), c.name() + ": " + written);
        }
        for (String name : Optimizers.CATALOG.names()) {
            OptimizerSpec spec = Optimizers.parse(ConfigNode.of(name));
            assertEquals(spec, Optimizers.parse(ConfigNode.of(spec.toMap())), name);
        }
    }

    @Test
    void configUsesKerasNamesAndPlainNumbers() {
        Map<String, Object> c = Optimizers.adamw(0.01, 0.1).withClipvalue(0.5).config();
        assertEquals(List.of("learning_rate", "weight_decay", "beta_1", "beta_2", "epsilon", "amsgrad", "clipvalue"),
                List.copyOf(c.keySet()));
        assertEquals(0.01, c.get("learning_rate"));
        assertEquals(0.5, c.get("clipvalue"));
        assertEquals(List.of("learning_rate", "rho", "momentum", "epsilon", "centered"),
                List.copyOf(Optimizers.rmsprop().config().keySet()));
    }

    @Test
    void weightDecayAndGlobalClipnormFromFiles() {
        OptimizerSpec adam = Optimizers.parse(ConfigNode.of(Map.of("adam", Map.of("learning_rate", 0.001,
                "weight_decay", 0.01, "exclude_from_weight_decay", List.of("bias", "gamma", "beta"),
                "global_clipnorm", 1.0))));
        assertEquals(Optimizers.adam(0.001).withWeightDecay(0.01).excludeFromWeightDecay("bias", "gamma", "beta")
                .withGlobalClipnorm(1.0), adam);
        assertEquals(new WeightDecay(0.01, List.of("bias", "gamma", "beta")), ((Adam) adam).weightDecay());
        assertEquals(List.of("learning_rate", "beta_1", "beta_2", "epsilon", "amsgrad", "weight_decay",
                "exclude_from_weight_decay", "global_clipnorm"), List.copyOf(adam.config().keySet()));
        assertEquals(adam, Optimizers.parse(ConfigNode.of(adam.toMap())));

        // every optimizer Keras 3 gives weight_decay takes it; off (0) unless set, and then not written
        for (String name : List.of("sgd", "rmsprop", "adagrad", "adadelta", "adam", "adamax", "nadam")) {
            OptimizerSpec plain = Optimizers.parse(ConfigNode.of(name));
            assertTrue(!plain.config().containsKey("weight_decay"), name + ": " + plain.config());
            OptimizerSpec decayed = Optimizers.parse(ConfigNode.of(Map.of(name, Map.of("weight_decay", 0.1))));
            assertEquals(0.1, decayed.config().get("weight_decay"), name);
            assertTrue(!decayed.equals(plain), name);
        }
        // AdamW's default decay is Keras's 0.004, always written; its exclusions are the same setting
        AdamW adamw = (AdamW) Optimizers.parse(ConfigNode.of(Map.of("adamw",
                Map.of("exclude_from_weight_decay", List.of("bias")))));
        assertEquals(new WeightDecay(0.004, List.of("bias")), adamw.weightDecay());
        assertEquals(List.of("learning_rate", "weight_decay", "exclude_from_weight_decay", "beta_1", "beta_2",
                "epsilon", "amsgrad"), List.copyOf(adamw.config().keySet()));
    }

    @Test
    void unknownNameSuggestsTheClosest() {
        ConfigException e = assertThrows(ConfigException.class, () -> Optimizers.parse(ConfigNode.of("adm")));
        assertTrue(e.getMessage().contains("unknown optimizer 'adm'"), e.getMessage());
        assertTrue(e.getMessage().contains("Did you mean 'adam'"), e.getMessage());
    }

    @Test
    void unknownSettingSuggestsTheClosest() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Optimizers.parse(ConfigNode.of(Map.of("adam", Map.of("learning_rat", 0.01)))));
        assertTrue(e.getMessage().contains("'adam' has no setting 'learning_rat'"), e.getMessage());
        assertTrue(e.getMessage().contains("Did you mean 'learning_rate'"), e.getMessage());
    }

    @Test
    void badValuesNameTheSetting() {
        assertBad(Map.of("sgd", Map.of("momentum", 1.5)), "momentum", "received momentum=1.5");
        assertBad(Map.of("adam", Map.of("learning_rate", -0.1)), "learning_rate", "received learning_rate=-0.1");
        assertBad(Map.of("adam", Map.of("learning_rate", 0)), "learning_rate", "expected a number > 0");
        assertBad(Map.of("rmsprop", Map.of("rho", 1.0)), "rho", "expected a number in (0, 1)");
        assertBad(Map.of("adadelta", Map.of("rho", 0)), "rho", "received rho=0.0");
        assertBad(Map.of("adam", Map.of("beta_1", 1)), "beta_1", "received beta_1=1.0");
        assertBad(Map.of("adam", Map.of("beta_2", -0.5)), "beta_2", "received beta_2=-0.5");
        assertBad(Map.of("adamw", Map.of("weight_decay", -1)), "weight_decay", "expected a number >= 0");
        assertBad(Map.of("adagrad", Map.of("initial_accumulator_value", -1)), "initial_accumulator_value",
                "expected a number >= 0");
        assertBad(Map.of("rmsprop", Map.of("epsilon", 0)), "epsilon", "expected a number > 0");
        assertBad(Map.of("sgd", Map.of("clipnorm", 0)), "clipnorm", "expected a number > 0");
        assertBad(Map.of("sgd", Map.of("clipvalue", -1)), "clipvalue", "received clipvalue=-1.0");
        assertBad(Map.of("sgd", Map.of("clipnorm", 1, "clipvalue", 1)), "clipvalue",
                "expected only one of clipnorm, clipvalue and global_clipnorm, received clipnorm=1.0 and clipvalue=1.0");
        assertBad(Map.of("adam", Map.of("clipnorm", 1, "global_clipnorm", 2)), "global_clipnorm",
                "expected only one of clipnorm, clipvalue and global_clipnorm, received clipnorm=1.0 and "
                        + "global_clipnorm=2.0");
        assertBad(Map.of("adam", Map.of("global_clipnorm", 0)), "global_clipnorm",
                "expected a number > 0, received global_clipnorm=0.0");
        assertBad(Map.of("rmsprop", Map.of("weight_decay", -0.01)), "weight_decay",
                "expected a number >= 0, received weight_decay=-0.01");
        assertBad(Map.of("adam", Map.of("exclude_from_weight_decay", List.of("bias"))), "exclude_from_weight_decay",
                "has no effect without weight decay: set weight_decay > 0 (such as 0.004), received weight_decay=0 "
                        + "and exclude_from_weight_decay=[bias]");
        assertBad(Map.of("adamw", Map.of("exclude_from_weight_decay", List.of("bias("))), "exclude_from_weight_decay",
                "expected a name or a regular expression, received 'bias('");
        assertBad(Map.of("adam", Map.of("learning_rate", "fast")), "learning_rate", "expected a learning rate");
        assertBad(Map.of("adam", Map.of("learning_rate", Map.of("exponential_decay", Map.of()))), "exponential_decay",
                "initial_learning_rate");
        assertBad(Map.of("sgd", Map.of("nesterov", "yes")), "nesterov", "expected true or false");
    }

    private static void assertBad(Map<String, Object> plain, String setting, String detail) {
        ConfigException e = assertThrows(ConfigException.class, () -> Optimizers.parse(ConfigNode.of(plain)),
                plain.toString());
        assertTrue(e.field().endsWith(setting), "field of " + plain + ": " + e.field());
        assertTrue(e.getMessage().contains(detail), e.getMessage());
    }

    @Test
    void javaConstructorsCheckToo() {
        SpecException e = assertThrows(SpecException.class, () -> Optimizers.sgd(0));
        assertEquals("sgd", e.type());
        assertEquals("learning_rate", e.setting());
        assertTrue(e.detail().contains("received learning_rate=0.0"), e.detail());
        e = assertThrows(SpecException.class, () -> Optimizers.sgd(0.1, 1.0));
        assertEquals("momentum", e.setting());
        e = assertThrows(SpecException.class, () -> Optimizers.adam(0.1).withClipnorm(-2));
        assertEquals("clipnorm", e.setting());
        e = assertThrows(SpecException.class, () -> Optimizers.adam(Double.NaN));
        assertEquals("learning_rate", e.setting());
        e = assertThrows(SpecException.class,
                () -> new Adam(null, 0.9, 0.999, 1e-7, false, Clipping.NONE));
        assertEquals("learning_rate", e.setting());
    }

    @Test
    void toDjlGivesAFreshOptimizerEachTime() {
        OptimizerSpec spec = Optimizers.adam();
        assertTrue(spec.toDjl() != spec.toDjl());
    }
}
