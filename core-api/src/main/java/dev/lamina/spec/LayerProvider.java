package dev.lamina.spec;

import java.util.ServiceLoader;

/**
 * Adds layer types to the {@link LayerTypes} registry. Implementations are found by
 * {@link ServiceLoader}: list the class in
 * {@code META-INF/services/LayerProvider} of your jar, and YAML files can name
 * your layers.
 */
public interface LayerProvider {
    /** Registers this provider's types: {@code catalog.register("my_layer", MyLayer::fromMap)}. */
    void register(Catalog<LayerSpec> catalog);
}
