package dev.lamina.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.Model;
import dev.lamina.Sequential;
import dev.lamina.spec.ConfigException;
import dev.lamina.spec.Yaml;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Run files: a good one reads back every setting; a bad one is refused at its line and field. */
class RunConfigTest {
    static final String GOOD = """
            name: mlp
            engine: mxnet
            seed: 42
            data: {train: fashion-mnist-sample:train, test: fashion-mnist-sample:test, validation_split: 0.1}
            model:
              input: [1, 28, 28]
              layers:
                - flatten
                - dense: {units: 64, activation: relu, kernel_regularizer: {l2: {l2: 0.001}}}
                - dense: {units: 10, name: logits}
            compile: {optimizer: {adam: {learning_rate: 1e-3}}, loss: softmax_cross_entropy, metrics: [accuracy]}
            fit: {epochs: 3, batch_size: 128}
            """;

    static RunConfig parse(String yaml) {
        return RunConfig.parse(Yaml.read(yaml, "run.yaml"), Path.of("run.yaml"));
    }

    static ConfigException error(String yaml) {
        return assertThrows(ConfigException.class, () -> parse(yaml));
    }

    @Test
    void aGoodFileReadsBackEverySetting() {
        RunConfig r = parse(GOOD);
        assertEquals("mlp", r.name());
        assertEquals("mxnet", r.engine());
        assertEquals(42L, r.seed());
        assertEquals("fashion-mnist-sample:train", r.data().train());
        assertEquals(0.1, r.data().validationSplit());
        assertEquals(3, r.fit().epochs());
        assertEquals(128, r.fit().batchSize());
        assertEquals("adam", r.compile().optimizer().type());
        assertEquals(0.001, ((Number) r.compile().optimizer().config().get("learning_rate"))
                .doubleValue(), 1e-12);
        Model m = r.model();
        Sequential s = (Sequential) m;
        assertEquals(3, s.layers().size());
        assertEquals("logits", s.layers().get(2).name());
        assertEquals("dense", s.layers().get(1).name());
    }

    @Test
    void anUnknownSettingIsNamedWithItsLineAndANearName() {
        ConfigException e = error(GOOD.replace("units: 64", "unit: 64"));
        assertEquals("run.yaml:9", e.where());
        assertTrue(e.getMessage().contains("'dense' has no setting 'unit'. Did you mean 'units'?"),
                e.getMessage());
    }

    @Test
    void anUnknownLayerTypeSuggestsTheNearestOne() {
        ConfigException e = error(GOOD.replace("- flatten", "- flaten"));
        assertEquals("run.yaml:8", e.where());
        assertTrue(e.getMessage().contains("unknown layer type 'flaten'. Did you mean 'flatten'?"),
                e.getMessage());
    }

    @Test
    void aValueOfTheWrongTypeIsNamed() {
        ConfigException e = error(GOOD.replace("units: 64", "units: sixty-four"));
        assertEquals("run.yaml:9", e.where());
        assertEquals("model.layers[1].dense.units", e.field());
        assertTrue(e.detail().contains("expected an integer, got 'sixty-four' (text)"), e.detail());
    }

    @Test
    void anInvalidValueSaysWhatWasExpected() {
        ConfigException e = error(GOOD.replace("units: 64", "units: 0"));
        assertEquals("run.yaml:9", e.where());
        assertTrue(e.detail().contains("expected a positive integer, received units=0"), e.detail());
    }

    @Test
    void aYamlSyntaxErrorGivesItsLine() {
        ConfigException e = error(GOOD.replace("fit: {epochs: 3, batch_size: 128}",
                "fit: {epochs: 3, batch_size: 128"));
        assertTrue(e.where().startsWith("run.yaml:"), e.getMessage());
        assertTrue(e.getMessage().contains("YAML syntax error"), e.getMessage());
    }

    @Test
    void anUnknownTopLevelKeyIsNamed() {
        ConfigException e = error(GOOD.replace("seed: 42", "sed: 42"));
        assertEquals("run.yaml:3", e.where());
        assertTrue(e.getMessage().contains("unknown setting 'sed'. Did you mean 'seed'?"),
                e.getMessage());
    }

    @Test
    void anUnknownOptimizerSuggestsTheNearestOne() {
        ConfigException e = error(GOOD.replace("{adam: {learning_rate: 1e-3}}", "adm"));
        assertEquals("run.yaml:11", e.where());
        assertTrue(e.getMessage().contains("Did you mean 'adam'?"), e.getMessage());
    }

    @Test
    void anImpossibleShapeIsReportedAtTheLayer() {
        String bad = GOOD.replace("- flatten\n", "- reshape: {target_shape: [10, 10]}\n");
        ConfigException e = error(bad);
        assertEquals("run.yaml:8", e.where());
        assertTrue(e.getMessage().contains("layer 0 'reshape'"), e.getMessage());
    }

    @Test
    void aDuplicateKeyIsRefused() {
        ConfigException e = error(GOOD.replace("seed: 42", "seed: 42\nseed: 43"));
        assertEquals("run.yaml:4", e.where());
        assertTrue(e.getMessage().contains("duplicate key 'seed'"), e.getMessage());
    }

    @Test
    void aMissingSectionSaysWhatToWrite() {
        ConfigException e = error(GOOD.replaceAll("(?s)compile:.*?\n", ""));
        assertTrue(e.getMessage().contains("the run file needs 'compile'"), e.getMessage());
    }

    @Test
    void aBadEngineSuggestsTheNearestOne() {
        ConfigException e = error(GOOD.replace("engine: mxnet", "engine: pytorc"));
        assertEquals("run.yaml:2", e.where());
        assertTrue(e.getMessage().contains("Did you mean 'pytorch'?"), e.getMessage());
    }
}
