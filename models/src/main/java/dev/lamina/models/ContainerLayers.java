package dev.lamina.models;

import dev.lamina.models.layers.Inception;
import dev.lamina.models.layers.Residual;
import dev.lamina.spec.Catalog;
import dev.lamina.spec.LayerProvider;
import dev.lamina.spec.LayerSpec;

/** Registers the container layers of lamina-models: {@code residual} and {@code inception}. */
public final class ContainerLayers implements LayerProvider {
    @Override
    public void register(Catalog<LayerSpec> c) {
        c.register(Residual.TYPE, Residual::fromMap);
        c.register(Inception.TYPE, Inception::fromMap);
    }
}
