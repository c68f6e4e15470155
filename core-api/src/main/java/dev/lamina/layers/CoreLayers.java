package dev.lamina.layers;

import dev.lamina.spec.Catalog;
import dev.lamina.spec.LayerProvider;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.Pick;

/** Registers the layer types of lamina-core. */
public final class CoreLayers implements LayerProvider {
    /**
     * The layer types that draw no random numbers from the engine in training: a model made of
     * these alone need not seed the engine before each update (on MXNet, seeding waits for the
     * engine). Any other type (dropout, noise, recurrent layers with dropout, attention, the
     * models module's blocks) is taken to draw.
     */
    public static final java.util.Set<String> DRAW_NOTHING = draws();

    private static java.util.Set<String> draws() {
        java.util.Set<String> s = new java.util.HashSet<>(java.util.List.of(Dense.TYPE,
                Conv1d.TYPE, Conv2d.TYPE, Flatten.TYPE, Reshape.TYPE, Permute.TYPE,
                Activation.TYPE, MaxPool1d.TYPE, MaxPool2d.TYPE, AvgPool1d.TYPE, AvgPool2d.TYPE,
                GlobalAvgPool.TYPE, GlobalMaxPool.TYPE, BatchNorm.TYPE, LayerNorm.TYPE,
                RmsNorm.TYPE, GroupNorm.TYPE, Embedding.TYPE, Masking.TYPE, Concatenate.TYPE,
                ZeroPadding.TYPE_1D, ZeroPadding.TYPE_2D, Rescaling.TYPE, Pick.TYPE));
        s.addAll(Merge.TYPES);
        return java.util.Set.copyOf(s);
    }

    @Override
    public void register(Catalog<LayerSpec> c) {
        c.register(Dense.TYPE, Dense::fromMap);
        for (String merge : Merge.TYPES) {
            c.register(merge, m -> Merge.fromMap(merge, m));
        }
        c.register(Concatenate.TYPE, Concatenate::fromMap);
        c.register(Flatten.TYPE, Flatten::fromMap);
        c.register(Activation.TYPE, Activation::fromMap);
        c.register(Dropout.TYPE, Dropout::fromMap).shorthand(Dropout.TYPE, "rate");
        c.register(Reshape.TYPE, Reshape::fromMap);
        c.register(Permute.TYPE, Permute::fromMap);
        c.register(ZeroPadding.TYPE_1D, m -> ZeroPadding.fromMap(1, m))
                .shorthand(ZeroPadding.TYPE_1D, "padding");
        c.register(ZeroPadding.TYPE_2D, m -> ZeroPadding.fromMap(2, m))
                .shorthand(ZeroPadding.TYPE_2D, "padding");
        c.register(Rescaling.TYPE, Rescaling::fromMap);
        c.register(Conv1d.TYPE, Conv1d::fromMap);
        c.register(Conv2d.TYPE, Conv2d::fromMap);
        c.register(MaxPool1d.TYPE, MaxPool1d::fromMap);
        c.register(MaxPool2d.TYPE, MaxPool2d::fromMap);
        c.register(AvgPool1d.TYPE, AvgPool1d::fromMap);
        c.register(AvgPool2d.TYPE, AvgPool2d::fromMap);
        c.register(GlobalAvgPool.TYPE, GlobalAvgPool::fromMap);
        c.register(GlobalMaxPool.TYPE, GlobalMaxPool::fromMap);
        c.register(BatchNorm.TYPE, BatchNorm::fromMap);
        c.register(LayerNorm.TYPE, LayerNorm::fromMap);
        c.register(RmsNorm.TYPE, RmsNorm::fromMap);
        c.register(GroupNorm.TYPE, GroupNorm::fromMap).shorthand(GroupNorm.TYPE, "groups");
        c.register(MultiHeadAttention.TYPE, MultiHeadAttention::fromMap);
        c.register(SimpleRnn.TYPE, SimpleRnn::fromMap);
        c.register(Lstm.TYPE, Lstm::fromMap);
        c.register(Gru.TYPE, Gru::fromMap);
        c.register(Bidirectional.TYPE, Bidirectional::fromMap);
        c.register(Embedding.TYPE, Embedding::fromMap);
        c.register(Pick.TYPE, Pick::fromMap);
        c.register(Masking.TYPE, Masking::fromMap).shorthand(Masking.TYPE, "mask_value");
        c.register(TimeDistributed.TYPE, TimeDistributed::fromMap);
        c.register(RandomFlip.TYPE, RandomFlip::fromMap).shorthand(RandomFlip.TYPE, "mode");
        c.register(RandomRotation.TYPE, RandomRotation::fromMap)
                .shorthand(RandomRotation.TYPE, "factor");
        c.register(RandomTranslation.TYPE, RandomTranslation::fromMap);
        c.register(RandomZoom.TYPE, RandomZoom::fromMap).shorthand(RandomZoom.TYPE, "height_factor");
        c.register(RandomCrop.TYPE, RandomCrop::fromMap);
        c.register(RandomContrast.TYPE, RandomContrast::fromMap);
        c.register(RandomBrightness.TYPE, RandomBrightness::fromMap);
        c.register(GaussianNoise.TYPE, GaussianNoise::fromMap)
                .shorthand(GaussianNoise.TYPE, "stddev");
        c.register(GaussianDropout.TYPE, GaussianDropout::fromMap)
                .shorthand(GaussianDropout.TYPE, "rate");
    }
}
