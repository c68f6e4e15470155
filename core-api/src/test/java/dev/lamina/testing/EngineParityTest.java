package dev.lamina.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import dev.lamina.layers.Dense;
import dev.lamina.spec.BuildContext;
import dev.lamina.spec.LayerSpec;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The harness finds the engine differences ENGINES.md lists, and says where they are. */
class EngineParityTest {
    /** A spec around a raw DJL block, to feed known-bad pieces to the harness. */
    record Raw(String type, Supplier<Block> block) implements LayerSpec {
        @Override
        public Shape outputShape(Shape in) {
            return in;
        }

        @Override
        public Block toBlock(BuildContext ctx, Shape input) {
            return block.get();
        }

        @Override
        public Map<String, Object> config() {
            return Map.of();
        }
    }

    @Test
    void findsPyTorchIgnoringAvgPoolExcludePadding() {
        // 3x3 window, stride 1, padding 1, count_include_pad = false: same shape as the input
        var spec = new Raw("djl_avg_pool", () -> Pool.avgPool2dBlock(new Shape(3, 3),
                new Shape(1, 1), new Shape(1, 1), false, false));
        var report = EngineParity.with().check(spec, new Shape(1, 4, 4));
        assertFalse(report.ok());
        assertTrue(report.mismatches().get(0).startsWith("output: max difference"),
                report.mismatches().toString());
        AssertionError e = assertThrows(AssertionError.class, report::assertOk);
        assertTrue(e.getMessage().contains("PyTorch and MXNet disagree"), e.getMessage());
    }

    @Test
    void namesTheParameterWhenDjlsBatchNormMovesItsVarianceDifferently() {
        var spec = new Raw("djl_batch_norm", () -> BatchNorm.builder().build());
        var report = EngineParity.with().training(true).batch(4).check(spec, new Shape(3, 2, 2));
        assertFalse(report.ok());
        assertTrue(report.mismatches().stream().anyMatch(m -> m.contains("value after forward of")
                && m.contains("runningVar")), report.mismatches().toString());
    }

    @Test
    void gradientCheckFindsAWrongGradient() {
        // y = x · stopGradient(x): the engines say dy/dx = x, the true derivative is 2x
        var spec = new Raw("wrong_gradient", () -> dev.lamina.layers.FnBlock.elementwise(
                x -> x.mul(x.stopGradient())));
        for (String engine : EngineParity.ENGINES) {
            var bad = EngineParity.with().gradientCheck(engine, spec, new Shape(4), 10, 1e-6);
            assertTrue(bad.size() == 1 && bad.get(0).contains("gradient of input"), bad.toString());
        }
    }

    @Test
    void agreeingLayersPassAndGradientsMatchCentralDifferences() {
        EngineParity.assertSame(new Dense(3, "tanh"), new Shape(4));
        for (String engine : EngineParity.ENGINES) {
            var bad = EngineParity.with().gradientCheck(engine, new Dense(3, "tanh"), new Shape(4),
                    20, 1e-6);
            assertTrue(bad.isEmpty(), bad.toString());
        }
    }
}
