package dev.lamina.models;

import dev.lamina.models.layers.Conv1dTranspose;
import dev.lamina.models.layers.Conv2dTranspose;
import dev.lamina.models.layers.Highway;
import dev.lamina.models.layers.HighwayConv2d;
import dev.lamina.models.layers.Lrn;
import dev.lamina.models.layers.Maxout;
import dev.lamina.models.layers.MaxoutConv2d;
import dev.lamina.models.layers.PositionEmbedding;
import dev.lamina.models.layers.TransformerEncoder;
import dev.lamina.models.layers.UpSampling1d;
import dev.lamina.models.layers.UpSampling2d;
import dev.lamina.models.pretrain.Dbn;
import dev.lamina.models.pretrain.Rbm;
import dev.lamina.models.pretrain.StackedAutoencoder;
import dev.lamina.spec.Catalog;
import dev.lamina.spec.LayerProvider;
import dev.lamina.spec.LayerSpec;

/**
 * Registers the layer types of lamina-models: highway, maxout, local response normalisation,
 * position embeddings, Transformer encoders, transposed convolutions and up-sampling, and the
 * layers with unsupervised pretraining (restricted Boltzmann machines, deep belief networks,
 * stacked autoencoders).
 */
public final class ModelLayers implements LayerProvider {
    @Override
    public void register(Catalog<LayerSpec> c) {
        c.register(Highway.TYPE, Highway::fromMap);
        c.register(HighwayConv2d.TYPE, HighwayConv2d::fromMap);
        c.register(Maxout.TYPE, Maxout::fromMap);
        c.register(MaxoutConv2d.TYPE, MaxoutConv2d::fromMap);
        c.register(Lrn.TYPE, Lrn::fromMap);
        c.register(PositionEmbedding.TYPE, PositionEmbedding::fromMap);
        c.register(TransformerEncoder.TYPE, TransformerEncoder::fromMap);
        c.register(Conv1dTranspose.TYPE, Conv1dTranspose::fromMap);
        c.register(Conv2dTranspose.TYPE, Conv2dTranspose::fromMap);
        c.register(UpSampling1d.TYPE, UpSampling1d::fromMap);
        c.register(UpSampling2d.TYPE, UpSampling2d::fromMap);
        c.register(Rbm.TYPE, Rbm::fromMap);
        c.register(Dbn.TYPE, Dbn::fromMap);
        c.register(StackedAutoencoder.TYPE, StackedAutoencoder::fromMap);
    }
}
