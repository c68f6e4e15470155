package dev.lamina.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.Model;
import dev.lamina.engine.Backend;
import dev.lamina.models.pretrain.Dbn;
import dev.lamina.run.Run;
import dev.lamina.spec.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run file whose model has a {@code dbn} layer: the run pretrains it (its own lines, history
 * files and samples PNG) on the unlabelled {@code data.pretrain} before fine-tuning, and the
 * saved model loads back and samples on either engine.
 */
class PretrainRunTest {
    static final String RUN = """
            name: tiny-dbn
            seed: 3
            data:
              train: "fashion-mnist-sample:train?per_class=20"
              pretrain: "fashion-mnist-sample:train?per_class=60"
              test: fashion-mnist-sample:test
            model:
              input: [1, 28, 28]
              layers:
                - flatten
                - dbn: {units: [64, 32], pretrain: {epochs: 2, batch_size: 32, held_out: 0.1}}
                - dense: {units: 10}
            compile: {optimizer: {sgd: {learning_rate: 0.1, momentum: 0.9}},
                      loss: softmax_cross_entropy, metrics: [accuracy]}
            fit: {epochs: 10, batch_size: 20}
            """;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"pytorch", "mxnet"})
    void aRunPretrainsTheDbnThenFineTunes(String engine) throws IOException {
        Path f = tmp.resolve("run.yaml");
        Files.writeString(f, RUN);
        Path dir = tmp.resolve("out");
        List<String> lines = new ArrayList<>();
        try (Run.Result r = Run.load(f).directory(dir).backend(Backend.of(engine, "cpu"))
                .log(lines::add).train()) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("pretraining dbn/rbm1 (binary"
                    + " 784 -> 64, CD-1): ")), lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("pretraining dbn/rbm2 (binary"
                    + " 64 -> 32, CD-1): ")), lines.toString());
            for (String phase : List.of("dbn-rbm1", "dbn-rbm2")) {
                List<String> csv = Files.readAllLines(dir.resolve("pretrain/" + phase + ".csv"));
                assertEquals("epoch,recon_error,val_recon_error,free_energy_gap,learning_rate",
                        csv.get(0));
                assertEquals(3, csv.size(), csv.toString());
            }
            assertTrue(Files.size(dir.resolve("pretrain/dbn-samples.png")) > 0);
            assertTrue(Files.size(dir.resolve("pretrain/dbn-samples-from-data.png")) > 0);
            assertTrue(r.metrics().containsKey("pretrain_seconds"));
            assertTrue(r.metrics().containsKey("pretrain_dbn_rbm2_free_energy_gap"));
            assertEquals(10, r.history().epochs());
            // chance is 0.1: fine-tuning on 200 labelled images gets well above it
            assertTrue(r.testScores().get("accuracy") > 0.4, r.testScores().toString());
            // the saved model is the fine-tuned one, and still samples
            String other = engine.equals("pytorch") ? "mxnet" : "pytorch";
            try (Model back = Model.load(dir.resolve("model"), Backend.of(other, "cpu"))) {
                assertEquals(r.model().architecture(), back.architecture());
                assertEquals(4, Dbn.sample(back, "dbn", 4, 5, null).size());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pytorch"})
    void pretrainDataForAModelWithoutPretrainingIsRefusedAtItsLine(String engine)
            throws IOException {
        Path f = tmp.resolve("run.yaml");
        Files.writeString(f, RUN.replace("- dbn: {units: [64, 32], pretrain: {epochs: 2,"
                + " batch_size: 32, held_out: 0.1}}", "- dense: {units: 32, activation: sigmoid}"));
        var e = assertThrows(ConfigException.class, () -> Run.load(f).directory(tmp.resolve("o"))
                .backend(Backend.of(engine, "cpu")).train());
        assertTrue(e.getMessage().contains(":5") && e.getMessage().contains("model 'tiny-dbn'"
                + " has no layer that pretrains (dbn, rbm, stacked_autoencoder): remove"
                + " data.pretrain"), e.getMessage());
    }
}
