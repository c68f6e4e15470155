package dev.lamina.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.losses.Reduction;
import dev.lamina.optimizers.Adam;
import dev.lamina.optimizers.Optimizers;
import dev.lamina.optimizers.WeightDecay;
import dev.lamina.spec.ConfigException;
import dev.lamina.spec.Yaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The YAML side of issue 10's training settings: class_weight, weight decay, clipping, reduction. */
class RunWeightsTest {
    @TempDir
    Path tmp;

    /** Three samples (1, 0), (0, 1), (1, 1) of classes 0, 1, 1; a dense layer starting at zero. */
    private Path file(String fit, String engine) throws Exception {
        Files.writeString(tmp.resolve("three.csv"), "1,0,0\n0,1,1\n1,1,1\n");
        Path f = tmp.resolve("run.yaml");
        Files.writeString(f, """
                name: weighted
                engine: ENGINE
                seed: 1
                data: {train: "csv:CSV"}
                model:
                  input: [2]
                  layers:
                    - dense: {units: 2, kernel_initializer: zeros, bias_initializer: zeros}
                compile: {optimizer: {sgd: {learning_rate: 0.1}}, loss: softmax_cross_entropy}
                fit: FIT
                """.replace("FIT", fit).replace("ENGINE", engine)
                .replace("CSV", tmp.resolve("three.csv").toString()));
        return f;
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void classWeightFromTheRunFile(String engine) throws Exception {
        // every sample's logits start at (0, 0): loss ln 2 each; class_weight {0: 1, 1: 3} weighs the
        // three samples 1, 3, 3, so the first (only) batch's loss is ln 2·(1 + 3 + 3)/3
        Path f = file("{epochs: 1, batch_size: 3, shuffle: false, class_weight: {0: 1.0, 1: 3.0}}",
                engine.toLowerCase());
        assertEquals(Map.of(0, 1.0, 1, 3.0), RunConfig.read(f).fit().classWeight());
        try (Run.Result r = Run.load(f).directory(tmp.resolve("out")).log(s -> {}).train()) {
            assertEquals(Math.log(2) * 7 / 3, r.history().last("loss"), 1e-5);
        }
    }

    @Test
    void aClassTheModelLacksIsRefusedAtItsLineBeforeTraining() throws Exception {
        Path f = file("{class_weight: {0: 1.0, 2: 5.0}}", "pytorch");
        Path out = tmp.resolve("out");
        ConfigException e = assertThrows(ConfigException.class, () -> Run.load(f).directory(out).train());
        assertEquals("run.yaml:10", e.where().substring(e.where().lastIndexOf('/') + 1));
        assertTrue(e.detail().contains("class_weight names class 2, but model"), e.detail());
        assertFalse(Files.exists(out.resolve("model")), "nothing is written");
    }

    @Test
    void badClassWeightsAreNamedAtTheirLine() throws Exception {
        ConfigException e = assertThrows(ConfigException.class,
                () -> RunConfig.read(file("{class_weight: {0: 1.0, 1: -5.0}}", "pytorch")));
        assertTrue(e.field().endsWith("class_weight"), e.field());
        assertTrue(e.detail().contains("class_weight[1] is -5.0: expected a finite number >= 0"), e.detail());
        e = assertThrows(ConfigException.class,
                () -> RunConfig.read(file("{class_weight: {cat: 1.0}}", "pytorch")));
        assertTrue(e.detail().contains("class_weight maps class ids (0, 1, ...) to weights, received the key 'cat'"),
                e.detail());
    }

    @Test
    void optimizerAndLossSettingsFromTheRunFile() throws Exception {
        Path f = file("{epochs: 1}", "pytorch");
        String yaml = Files.readString(f).replace(
                "compile: {optimizer: {sgd: {learning_rate: 0.1}}, loss: softmax_cross_entropy}",
                "compile: {optimizer: {adam: {learning_rate: 0.001, weight_decay: 0.01, "
                        + "exclude_from_weight_decay: [bias, gamma, beta], global_clipnorm: 1.0}},\n"
                        + "          loss: {softmax_cross_entropy: {reduction: sum}}}");
        RunConfig c = RunConfig.parse(Yaml.read(yaml, "run.yaml"), Path.of("run.yaml"));
        assertEquals(Optimizers.adam(0.001).withWeightDecay(0.01).excludeFromWeightDecay("bias", "gamma", "beta")
                .withGlobalClipnorm(1.0), c.compile().optimizer());
        assertEquals(new WeightDecay(0.01, List.of("bias", "gamma", "beta")),
                ((Adam) c.compile().optimizer()).weightDecay());
        assertEquals(Reduction.SUM, c.compile().loss().reduction());
        ConfigException e = assertThrows(ConfigException.class, () -> RunConfig.parse(Yaml.read(
                yaml.replace("global_clipnorm: 1.0", "global_clipnorm: 1.0, clipnorm: 2"), "run.yaml"),
                Path.of("run.yaml")));
        assertTrue(e.detail().contains("expected only one of clipnorm, clipvalue and global_clipnorm"), e.detail());
    }
}
