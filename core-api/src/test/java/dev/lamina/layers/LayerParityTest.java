package dev.lamina.layers;

import ai.djl.ndarray.types.Shape;
import dev.lamina.spec.LayerSpec;
import dev.lamina.testing.EngineParity;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every layer gives the same outputs, input gradients, parameter gradients and parameter updates
 * on PyTorch and MXNet (float32, 1e-5), with the same weights and inputs drawn in Java.
 */
class LayerParityTest {
    static Stream<Arguments> inference() {
        List<Arguments> c = new ArrayList<>();
        c.add(Arguments.of(new Dense(4, "relu"), new Shape(3)));
        c.add(Arguments.of(new Dense(4), new Shape(2, 3)));
        // conv2d: valid, same (even and odd pad), stride, dilation, 1x1, no bias
        c.add(Arguments.of(new Conv2d(3, 3), new Shape(2, 6, 6)));
        c.add(Arguments.of(new Conv2d(3, 3, 1, "same", "relu"), new Shape(2, 5, 5)));
        c.add(Arguments.of(new Conv2d(3, 2, 1, "same", "linear"), new Shape(2, 5, 5)));
        c.add(Arguments.of(new Conv2d(3, 3, 2, "same", "linear"), new Shape(2, 6, 7)));
        c.add(Arguments.of(new Conv2d(3, 3, 2, "valid", "tanh"), new Shape(2, 7, 6)));
        c.add(Arguments.of(new Conv2d(2, List.of(2, 3), List.of(1, 2), "same", null, null, false,
                null, null, null, null), new Shape(3, 5, 6)));
        c.add(Arguments.of(new Conv2d(3, 3).withDilation(2), new Shape(2, 7, 7)));
        c.add(Arguments.of(new Conv2d(3, 2, 1, "same", "linear").withDilation(2), new Shape(2, 6, 6)));
        c.add(Arguments.of(new Conv2d(4, 1), new Shape(3, 4, 4)));
        // conv1d
        c.add(Arguments.of(new Conv1d(3, 3), new Shape(2, 9)));
        c.add(Arguments.of(new Conv1d(3, 4, 1, "same", "tanh"), new Shape(2, 9)));
        c.add(Arguments.of(new Conv1d(3, 3, 2, "valid", "linear"), new Shape(2, 9)));
        c.add(Arguments.of(new Conv1d(3, 3, 2, "same", "linear"), new Shape(2, 8)));
        c.add(Arguments.of(new Conv1d(2, 3, 1, "same", "linear").withDilation(2), new Shape(2, 8)));
        // pools, valid and same
        for (String pad : List.of("valid", "same")) {
            c.add(Arguments.of(new MaxPool2d(2, 2, pad), new Shape(2, 5, 5)));
            c.add(Arguments.of(new MaxPool2d(3, 2, pad), new Shape(2, 6, 7)));
            c.add(Arguments.of(new MaxPool2d(2, 1, pad), new Shape(2, 4, 5)));
            c.add(Arguments.of(new AvgPool2d(2, 2, pad), new Shape(2, 5, 5)));
            c.add(Arguments.of(new AvgPool2d(3, 2, pad), new Shape(2, 6, 7)));
            c.add(Arguments.of(new AvgPool2d(2, 1, pad), new Shape(2, 4, 5)));
            c.add(Arguments.of(new MaxPool1d(3, 2, pad), new Shape(2, 8)));
            c.add(Arguments.of(new MaxPool1d(2, 2, pad), new Shape(2, 7)));
            c.add(Arguments.of(new AvgPool1d(3, 2, pad), new Shape(2, 8)));
            c.add(Arguments.of(new AvgPool1d(2, 2, pad), new Shape(2, 7)));
        }
        c.add(Arguments.of(new GlobalAvgPool(), new Shape(3, 4, 4)));
        c.add(Arguments.of(new GlobalAvgPool(), new Shape(3, 5)));
        c.add(Arguments.of(new GlobalMaxPool(), new Shape(3, 4, 4)));
        c.add(Arguments.of(new GlobalMaxPool(), new Shape(3, 5)));
        c.add(Arguments.of(new BatchNorm(), new Shape(3, 4, 4)));
        c.add(Arguments.of(new BatchNorm(), new Shape(5)));
        c.add(Arguments.of(new LayerNorm(), new Shape(3, 6)));
        c.add(Arguments.of(new LayerNorm(1e-5, false, true, null, null), new Shape(6)));
        c.add(Arguments.of(new LayerNorm(1e-3, true, true, true, null, null), new Shape(3, 6)));
        c.add(Arguments.of(new RmsNorm(), new Shape(3, 6)));
        c.add(Arguments.of(new RmsNorm(1, 1e-6), new Shape(3, 6)));
        c.add(Arguments.of(new GroupNorm(2), new Shape(4, 3, 3)));
        c.add(Arguments.of(new GroupNorm(-1), new Shape(3, 5)));
        c.add(Arguments.of(new GroupNorm(3, -1, 1e-3, false, true, null, null), new Shape(2, 6)));
        c.add(Arguments.of(new Reshape(3, -1), new Shape(2, 6)));
        c.add(Arguments.of(new Permute(2, 1), new Shape(2, 6)));
        c.add(Arguments.of(new MultiHeadAttention(2, 3), new Shape(4, 5)));
        c.add(Arguments.of(new MultiHeadAttention(2, 2, 3, 0, false, 4, true, false, null, null),
                new Shape(3, 5)));
        c.add(Arguments.of(new Flatten(), new Shape(2, 3, 2)));
        c.add(Arguments.of(new Dropout(0.5), new Shape(6)));
        for (String a : Activation.NAMES) {
            c.add(Arguments.of(new Activation(a), new Shape(3, 4)));
        }
        c.add(Arguments.of(new Activation("leaky_relu", 0.1), new Shape(5)));
        c.add(Arguments.of(new Activation("elu", 0.5), new Shape(5)));
        return c.stream();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("inference")
    void enginesAgreeAtInference(LayerSpec spec, Shape sample) {
        EngineParity.with().inputScale(2).check(spec, sample).assertOk();
    }

    static Stream<Arguments> training() {
        return Stream.of(
                Arguments.of(new BatchNorm(), new Shape(3, 4, 4)),
                Arguments.of(new BatchNorm(), new Shape(3, 6)),
                Arguments.of(new BatchNorm(), new Shape(5)),
                Arguments.of(new BatchNorm(-1, 0.9, 1e-3, true, true, null, null, null, null),
                        new Shape(3, 4, 4)),
                Arguments.of(new BatchNorm(1, 0.9, 1e-5, false, false, null, null, null, null),
                        new Shape(2, 3, 3)),
                Arguments.of(new LayerNorm(), new Shape(4, 6)),
                Arguments.of(new Conv2d(3, 3, 2, "same", "relu"), new Shape(2, 6, 7)),
                Arguments.of(new Dense(3, "gelu"), new Shape(4)),
                Arguments.of(new Dropout(0), new Shape(4)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("training")
    void enginesAgreeInTraining(LayerSpec spec, Shape sample) {
        EngineParity.with().training(true).batch(4).check(spec, sample).assertOk();
    }
}
