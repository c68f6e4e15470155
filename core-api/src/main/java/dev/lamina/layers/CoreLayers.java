package dev.lamina.layers;

import dev.lamina.spec.Catalog;
import dev.lamina.spec.LayerProvider;
import dev.lamina.spec.LayerSpec;

/** Registers the layer types of lamina-core. */
public final class CoreLayers implements LayerProvider {
    @Override
    public void register(Catalog<LayerSpec> c) {
        c.register(Dense.TYPE, Dense::fromMap);
        c.register(Flatten.TYPE, Flatten::fromMap);
        c.register(Activation.TYPE, Activation::fromMap);
    }
}
