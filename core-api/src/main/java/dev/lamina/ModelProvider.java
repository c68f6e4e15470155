package dev.lamina;

import dev.lamina.spec.Catalog;
import java.util.ServiceLoader;

/**
 * Adds named, ready-made models (a zoo) that a run file can start from: {@code model: {zoo: vgg11,
 * classes: 10, input: [1, 32, 32]}}. Implementations are found by {@link ServiceLoader}, as
 * {@link dev.lamina.spec.LayerProvider}s are: list the class in {@code
 * META-INF/services/dev.lamina.ModelProvider} of your jar. The core knows no model by name; the
 * {@code lamina-zoo} module provides them.
 */
public interface ModelProvider {
    /**
     * Registers this provider's models: {@code catalog.register("vgg16", settings -> ...)}. The
     * settings are the keys beside {@code zoo} in the {@code model:} section; read each with its
     * getter, so that {@link dev.lamina.spec.SpecMap#finish()} refuses the rest by name.
     */
    void register(Catalog<Model> catalog);
}
