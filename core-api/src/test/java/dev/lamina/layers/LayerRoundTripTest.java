package dev.lamina.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lamina.initializers.Constant;
import dev.lamina.regularizers.L1L2;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.LayerTypes;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** config() → catalog → the same record, directly and through JSON text, for every layer type. */
class LayerRoundTripTest {
    static Stream<LayerSpec> specs() {
        return Stream.of(new Dense(3), new Dense(4, "relu").withKernelRegularizer(L1L2.l2(0.01)),
                new Flatten(), new Activation("softmax"), new Activation("leaky_relu", 0.1),
                new Dropout(0.3), new Reshape(1, 28, -1), new Permute(2, 1), new Permute(3, 1, 2),
                new Conv1d(8, 3), new Conv1d(8, 5, 2, "same", "relu"),
                new Conv2d(16, 3), new Conv2d(16, 3, 2, "same", "elu").withDilation(1),
                new Conv2d(4, List.of(1, 3), List.of(1, 1), "same", List.of(2, 1),
                        new Activation("tanh"), false, Constant.ONES, null, L1L2.l1(0.1),
                        L1L2.l1l2(0.1, 0.2)),
                new MaxPool1d(), new MaxPool1d(3, 1, "same"), new MaxPool2d(),
                new MaxPool2d(List.of(3, 2), List.of(1, 2), "same"), new AvgPool1d(),
                new AvgPool2d(3, 2, "same"), new GlobalAvgPool(), new GlobalMaxPool(),
                new BatchNorm(), new BatchNorm(-1, 0.9, 1e-5, false, true, null, Constant.of(0.5),
                        null, null),
                new LayerNorm(), new LayerNorm(1e-6, true, false, null, null),
                new LayerNorm(1e-5, false, true, true, null, Constant.of(2)),
                new RmsNorm(), new RmsNorm(1, 1e-5), new GroupNorm(),
                new GroupNorm(-1, -1, 1e-5, false, true, null, Constant.of(0.5)),
                new MultiHeadAttention(2, 4), new MultiHeadAttention(3, 8, 5, 0.1, false, 16, true,
                        true, Constant.ONES, Constant.of(0.5)),
                new SimpleRnn(3), new Lstm(4, true).withLayers(2, 0.2), new Gru(5).bidirectional(),
                new Bidirectional(new Lstm(2)), new Embedding(100, 8),
                new TimeDistributed(new Dense(3, "relu")), new Masking(), new Masking(-1),
                new Embedding(100, 8).withMaskZero(true), new GlobalAvgPool(true),
                new GlobalMaxPool(true), new dev.lamina.spec.Pick(2),
                new Gru(3).withResetAfter(false).with(s -> s.useBias(false).goBackwards(true)
                        .returnState(true).dropout(0.1).recurrentDropout(0.2)),
                new Bidirectional(new SimpleRnn(2, true), Bidirectional.MergeMode.NONE,
                        new SimpleRnn(4, true).with(s -> s.goBackwards(true))),
                new RandomFlip(), new RandomFlip("vertical"), new RandomRotation(0.1),
                new RandomRotation(-0.2, 0.1, "constant", "nearest", 0.5),
                new RandomTranslation(0.1, 0.2),
                new RandomTranslation(0, 0.3, -0.1, 0.1, "wrap", "bilinear", 0),
                new RandomZoom(0.2), new RandomZoom(-0.3, 0.1, 0.0, 0.2, "nearest", "nearest", 0),
                new RandomZoom(1), new RandomCrop(24, 20), new RandomContrast(0.2),
                new RandomContrast(0.1, 0.3, 0, 1), new RandomBrightness(0.2),
                new RandomBrightness(-0.1, 0.3, 0, 1), new GaussianNoise(0.1),
                new GaussianDropout(0.2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void configParsesBackToAnEqualSpec(LayerSpec spec) throws Exception {
        assertEquals(spec, LayerTypes.catalog().parse(ConfigNode.of(spec.toMap())));
        ObjectMapper json = new ObjectMapper();
        Object back = json.readValue(json.writeValueAsString(spec.toMap()), Map.class);
        assertEquals(spec, LayerTypes.catalog().parse(ConfigNode.of(back)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void everyTypeIsRegistered(LayerSpec spec) {
        assertEquals(true, LayerTypes.catalog().contains(spec.type()));
    }

    /** An activation layer may be written as a layer's activation setting is. */
    @org.junit.jupiter.api.Test
    void anActivationLayerTakesTheSettingsForm() {
        LayerSpec want = LayerTypes.parse(ConfigNode.of(Map.of("activation",
                Map.of("activation", "leaky_relu", "alpha", 0.2))));
        assertEquals(want, LayerTypes.parse(ConfigNode.of(Map.of("activation",
                Map.of("leaky_relu", Map.of("alpha", 0.2))))));
        assertEquals(LayerTypes.parse(ConfigNode.of(Map.of("activation", "relu"))),
                LayerTypes.parse(ConfigNode.of(Map.of("activation", Map.of("relu", Map.of())))));
    }
}
