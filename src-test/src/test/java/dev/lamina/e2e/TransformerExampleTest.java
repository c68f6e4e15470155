package dev.lamina.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** examples/transformer.yaml parses and builds, with the parameter count worked out by hand. */
class TransformerExampleTest {
    @Test
    void theTransformerExampleBuildsWithItsParameterCount() {
        // dense 28·48 + 48 = 1,392; position_embedding 28·48 = 1,344; each encoder (48 features,
        // 4 heads of 12, intermediate 96): attention 3·(48·4·12 + 48) + 4·12·48 + 48 = 9,408,
        // two layer norms 192, dense 48·96 + 96 = 4,704, dense 96·48 + 48 = 4,656: 18,960;
        // classifier 48·10 + 10 = 490. 1,392 + 1,344 + 2·18,960 + 490 = 41,146
        Cli s = Cli.run("summary", "../examples/transformer.yaml");
        assertEquals(0, s.status(), s.err());
        assertTrue(s.out().contains("transformer_encoder_1 (transformer_encoder)  (None, 28, 48)"
                + "   18,960"), s.out());
        assertTrue(s.out().contains("global_avg_pool (global_avg_pool)            (None, 48)"),
                s.out());
        assertTrue(s.out().contains("Total params: 41,146"), s.out());
    }
}
