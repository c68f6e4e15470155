package dev.lamina;

import static dev.lamina.testing.ForwardComparison.assertSame;
import static dev.lamina.testing.ForwardComparison.assertSameNumbers;
import static dev.lamina.testing.ForwardComparison.integerWeights;
import static dev.lamina.testing.ForwardComparison.integers;
import static dev.lamina.testing.ForwardComparison.outputAndGradients;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.lamina.layers.Activation;
import dev.lamina.layers.Conv1d;
import dev.lamina.layers.Conv2d;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Flatten;
import dev.lamina.layers.MaxPool1d;
import dev.lamina.layers.MaxPool2d;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A Sequential model runs a ReLU that feeds a max pool after the pool, and gives the numbers of
 * its layers run one by one, each with its own ReLU: the outputs and every parameter's gradient,
 * over integer data and weights (windows tie, sums cancel to zero, negatives abound).
 */
class ReluAfterPoolTest {
    /** The model's own forward pass against its layers run one by one, outputs and gradients. */
    static void assertSameAsLayerByLayer(Model m, List<String> layers, NDArray x) {
        try (NDManager mm = m.djlModel().getNDManager().newSubManager()) {
            NDArray in = x.duplicate();
            in.attach(mm);
            List<float[]> want = outputAndGradients(m, mm, ps -> {
                NDList y = new NDList(in);
                for (String name : layers) {
                    y = m.layerBlock(name).forward(ps, y, true);
                }
                return y.head();
            });
            assertSame(want, outputAndGradients(m, mm,
                    ps -> m.block().forward(ps, new NDList(in), true).head()));
            // and in inference (PyTorch pools by strided views there)
            NDArray once = m.block().forward(new ParameterStore(mm, false), new NDList(in), false).head();
            assertSameNumbers(want.get(0), once.toFloatArray(), "inference output");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void aReluThatFeedsAMaxPoolRunsAfterItWithTheSameNumbers(String engine) {
        try (Sequential m = new Sequential("convnet").input(2, 9, 8)
                .add("conv_a", new Conv2d(3, 3, 1, "same", "relu"))
                .add("pool_a", new MaxPool2d(2, 1, "same")) // overlapping windows, padded
                .add("conv_b", new Conv2d(4, 3))
                .add("relu_b", new Activation("relu"))
                .add("pool_b", new MaxPool2d())
                .add("flat", new Flatten())
                .add("dense_relu", new Dense(5, "relu"))
                .add("out", new Dense(3))) {
            m.engine(engine).seed(1);
            assertEquals(List.of("conv_a", "relu_b"), m.reluAfterPool());
            integerWeights(m);
            try (NDManager data = m.djlModel().getNDManager().newSubManager()) {
                NDArray x = data.create(integers(4 * 2 * 9 * 8, 7), new Shape(4, 2, 9, 8));
                assertSameAsLayerByLayer(m, List.of("conv_a", "pool_a", "conv_b", "relu_b",
                        "pool_b", "flat", "dense_relu", "out"), x);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void aOneDimensionalPoolToo(String engine) {
        try (Sequential m = new Sequential("conv1d").input(2, 12)
                .add("conv", new Conv1d(3, 3, 1, "valid", "relu"))
                .add("pool", new MaxPool1d(3, 2, "valid"))
                .add("flat", new Flatten())
                .add("out", new Dense(2))) {
            m.engine(engine).seed(1);
            assertEquals(List.of("conv"), m.reluAfterPool());
            integerWeights(m);
            try (NDManager data = m.djlModel().getNDManager().newSubManager()) {
                NDArray x = data.create(integers(5 * 2 * 12, 11), new Shape(5, 2, 12));
                assertSameAsLayerByLayer(m, List.of("conv", "pool", "flat", "out"), x);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void onlyAPlainReluBeforeAMaxPoolMoves(String engine) {
        try (Sequential m = new Sequential("others").input(1, 8, 8)
                .add("tanh", new Conv2d(2, 3, 1, "same", "tanh"))
                .add("max", new MaxPool2d())
                .add("relu", new Conv2d(2, 3, 1, "same", "relu"))
                .add("avg", new dev.lamina.layers.AvgPool2d())
                .add("flat", new Flatten())
                .add("out", new Dense(2))) {
            m.engine(engine).seed(1);
            assertEquals(List.of(), m.reluAfterPool(),
                    "tanh saturates (ties the pool would break elsewhere); an average is no max");
        }
    }
}
