package dev.lamina.graph;

import static dev.lamina.testing.ForwardComparison.assertSame;
import static dev.lamina.testing.ForwardComparison.assertSameNumbers;
import static dev.lamina.testing.ForwardComparison.integerWeights;
import static dev.lamina.testing.ForwardComparison.integers;
import static dev.lamina.testing.ForwardComparison.outputAndGradients;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.lamina.Functional;
import dev.lamina.layers.Activation;
import dev.lamina.layers.Conv2d;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Flatten;
import dev.lamina.layers.MaxPool2d;
import dev.lamina.layers.Merge;
import dev.lamina.spec.Input;
import dev.lamina.spec.Layer;
import dev.lamina.spec.Node;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A functional graph runs a ReLU after the max pool it alone feeds (a residual block's
 * {@code add → relu → pool}), and gives the numbers of its layers run one by one: the outputs
 * and every parameter's gradient, over integer data and weights. A ReLU with a second consumer,
 * or that is a model output, stays where it is.
 */
class GraphReluAfterPoolTest {
    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void aResidualBlocksReluRunsAfterItsPoolWithTheSameNumbers(String engine) {
        Node image = Input.of("image", 2, 8, 8);
        Node c1 = Layer.of("c1", new Conv2d(3, 3, 1, "same", "relu")).on(image);
        Node c2 = Layer.of("c2", new Conv2d(3, 3, 1, "same", "relu")).on(c1);
        Node c3 = Layer.of("c3", new Conv2d(3, 3, 1, "same", "linear")).on(c2);
        Node sum = Layer.of("sum", Merge.add()).on(c1, c3);
        Node relu = Layer.of("relu", new Activation("relu")).on(sum);
        Node pool = Layer.of("pool", new MaxPool2d()).on(relu);
        Node out = Layer.of("out", new Dense(3)).on(Layer.of("flat", new Flatten()).on(pool));
        try (Functional m = new Functional("residual", List.of(image), List.of(out))) {
            m.engine(engine).seed(1);
            GraphBlock g = (GraphBlock) m.block();
            assertTrue(g.reluAfterPool(relu), "relu feeds only the pool");
            assertFalse(g.reluAfterPool(c1), "c1 feeds c2 and the sum");
            assertFalse(g.reluAfterPool(c2), "c2 feeds a convolution");
            integerWeights(m);
            try (NDManager mm = m.djlModel().getNDManager().newSubManager()) {
                NDArray x = mm.create(integers(4 * 2 * 8 * 8, 5), new Shape(4, 2, 8, 8));
                List<float[]> want = outputAndGradients(m, mm, ps -> {
                    NDList y1 = m.layerBlock("c1").forward(ps, new NDList(x), true);
                    NDList y2 = m.layerBlock("c2").forward(ps, y1, true);
                    NDList y3 = m.layerBlock("c3").forward(ps, y2, true);
                    NDList s = m.layerBlock("sum").forward(ps, new NDList(y1.head(), y3.head()), true);
                    NDList r = m.layerBlock("relu").forward(ps, s, true);
                    NDList p = m.layerBlock("pool").forward(ps, r, true);
                    NDList f = m.layerBlock("flat").forward(ps, p, true);
                    return m.layerBlock("out").forward(ps, f, true).head();
                });
                assertSame(want, outputAndGradients(m, mm,
                        ps -> m.block().forward(ps, new NDList(x), true).head()));
                NDArray once = m.block().forward(new ParameterStore(mm, false), new NDList(x), false)
                        .head();
                assertSameNumbers(want.get(0), once.toFloatArray(), "inference output");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void aReluThatIsAlsoAnOutputStaysInPlace(String engine) {
        Node image = Input.of("image", 1, 6, 6);
        Node conv = Layer.of("conv", new Conv2d(2, 3, 1, "same", "relu")).on(image);
        Node pool = Layer.of("pool", new MaxPool2d()).on(conv);
        try (Functional m = new Functional("two", List.of(image), List.of(pool, conv))) {
            m.engine(engine).seed(1);
            assertFalse(((GraphBlock) m.block()).reluAfterPool(conv),
                    "the model gives conv's own output, ReLU included");
        }
    }
}
