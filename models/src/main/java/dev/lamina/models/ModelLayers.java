package dev.lamina.models;

import dev.lamina.models.layers.Highway;
import dev.lamina.models.layers.HighwayConv2d;
import dev.lamina.models.layers.Lrn;
import dev.lamina.models.layers.Maxout;
import dev.lamina.models.layers.MaxoutConv2d;
import dev.lamina.spec.Catalog;
import dev.lamina.spec.LayerProvider;
import dev.lamina.spec.LayerSpec;

/** Registers the layer types of lamina-models: highway, maxout and local response normalisation. */
public final class ModelLayers implements LayerProvider {
    @Override
    public void register(Catalog<LayerSpec> c) {
        c.register(Highway.TYPE, Highway::fromMap);
        c.register(HighwayConv2d.TYPE, HighwayConv2d::fromMap);
        c.register(Maxout.TYPE, Maxout::fromMap);
        c.register(MaxoutConv2d.TYPE, MaxoutConv2d::fromMap);
        c.register(Lrn.TYPE, Lrn::fromMap);
    }
}
